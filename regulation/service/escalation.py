"""The escalation ladder, when no slot fits a request's deadline.

Steps, in order: the patient's own médecin traitant when they are a member of the CPTS (found
by the RPPS recorded on the request), then the effectors whose practice is near the patient
(`regulation_escalation_nearby_km`), then the whole CPTS. Each step is an SMS broadcast with a
response timeout (`regulation_escalation_step_minutes`), the first effector to accept getting
the patient.

The broadcast itself belongs to `notifications`, which depends on regulation (not the other way
round): regulation gives the ladder as data (each step's effectors), and records a step when the
operator starts it (`record_escalation`: a timeline entry and the `RequestEscalated` event, which
carries the effectors, the place and the timeout for the broadcast). The directory is read
through `directory.active_members` (cached a minute per app instance).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import StepImpossible
from regulation.events import RequestEscalated
from regulation.models import RegulationRequest, RequestLogEntry, RequestStatus
from regulation.schemas_booking import EscalationOut, EscalationStep, EscalationStepOut
from regulation.service.directory import active_members
from regulation.service.gates import ensure_bookable
from regulation.service.needs import patient_place
from regulation.service.records import (
    ENTITY,
    display_name,
    ensure_open,
    get_row,
    log_step,
)
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import Forbidden
from snp.settings import Settings, settings_of

MAX_TARGETS = 200  # largest broadcast notifications accepts
LABELS: dict[str, str] = {
    "gp": "Médecin traitant du patient",
    "nearby": "Effecteurs proches du patient",
    "cpts": "Toute la CPTS",
}


async def _started(session: AsyncSession, request_id: int) -> dict[str, datetime]:
    rows = await session.scalars(
        select(RequestLogEntry)
        .where(RequestLogEntry.request_id == request_id, RequestLogEntry.kind == "escalated")
        .order_by(RequestLogEntry.at)
    )
    started: dict[str, datetime] = {}
    for entry in rows:
        step = (entry.detail or {}).get("step")
        if isinstance(step, str):
            started.setdefault(step, entry.at)
    return started


async def ladder(
    session: AsyncSession, row: RegulationRequest, *, settings: Settings
) -> EscalationOut:
    """The three steps with their effectors (nearest first), each saying if it is possible."""
    directory = await active_members(session)
    place = await patient_place(session, row)
    gp_rpps = row.gp_rpps
    by_distance = directory.nearest(place, 2 * MAX_TARGETS + 1)
    timeout = settings.regulation_escalation_step_minutes
    started = await _started(session, row.id)

    gp = next((e for e in directory.members if gp_rpps and e.rpps == gp_rpps), None)
    if gp is not None:
        gp_ids, gp_reason = [gp.id], None
    elif gp_rpps:
        gp_ids, gp_reason = [], "Le médecin traitant n'est pas membre de la CPTS (ou inactif)."
    else:
        gp_ids, gp_reason = [], "Médecin traitant non renseigné (RPPS)."
    excluded = set(gp_ids)

    if place is None:
        nearby_ids: list[int] = []
        nearby_reason: str | None = "Position du patient inconnue."
    else:
        radius = settings.regulation_escalation_nearby_km
        nearby_ids = [e.id for e, km in by_distance if km <= radius and e.id not in excluded][
            :MAX_TARGETS
        ]
        nearby_reason = (
            None if nearby_ids else f"Aucun effecteur à moins de {radius:g} km du patient."
        )
    excluded |= set(nearby_ids)

    everyone = [e.id for e, _ in by_distance if e.id not in excluded][:MAX_TARGETS]
    cpts_reason = None if everyone else "Aucun autre effecteur actif dans la CPTS."

    def step(name: EscalationStep, ids: list[int], reason: str | None) -> EscalationStepOut:
        return EscalationStepOut(
            step=name,
            label=LABELS[name],
            available=bool(ids),
            reason=reason,
            effector_ids=ids,
            timeout_minutes=timeout,
            started_at=started.get(name),
        )

    return EscalationOut(
        request_id=row.id,
        place=place.label if place is not None else "Territoire de la CPTS",
        steps=[
            step("gp", gp_ids, gp_reason),
            step("nearby", nearby_ids, nearby_reason),
            step("cpts", everyone, cpts_reason),
        ],
    )


async def escalation_ladder(
    session: AsyncSession, actor: Actor, request_id: int, *, settings: Settings | None = None
) -> EscalationOut:
    """The ladder of an open request (read traced in the audit trail)."""
    row = await get_row(session, request_id)
    ensure_open(row)
    await audit.read(session, actor, ENTITY, row.id)
    return await ladder(session, row, settings=settings or settings_of(session))


async def record_escalation(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    step: EscalationStep,
    *,
    broadcast_id: int | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> EscalationStepOut:
    """Record that the operator handling the request started a step of the ladder; emits
    `RequestEscalated` (with the step's effectors, for the SMS broadcast)."""
    settings = settings or settings_of(session)
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    if row.status != RequestStatus.CLAIMED or row.claimed_by_user_id != actor.user_id:
        raise Forbidden(
            "Prenez d'abord la demande en charge pour lancer l'escalade.", ("path", "request_id")
        )
    ensure_bookable(row)  # a broadcast books the patient: triage (and regulator) first
    current = await ladder(session, row, settings=settings)
    chosen = next(s for s in current.steps if s.step == step)
    if not chosen.available:
        raise StepImpossible(chosen.reason or "Étape impossible.", ("body", "step"))
    place = current.place
    log_step(
        session,
        row.id,
        actor,
        await display_name(session, actor),
        "escalated",
        at=now,
        step=step,
        effectors=len(chosen.effector_ids),
        broadcast_id=broadcast_id,
    )
    await audit.changed(session, actor, ENTITY, row.id, ["escalation"])
    await events.emit(
        session,
        RequestEscalated(
            request_id=row.id,
            step=step,
            effector_ids=tuple(chosen.effector_ids),
            place=place,
            timeout_minutes=chosen.timeout_minutes,
            broadcast_id=broadcast_id,
            referrer_user_id=row.referrer_user_id,
        ),
    )
    await session.flush()
    return chosen.model_copy(update={"started_at": chosen.started_at or now})
