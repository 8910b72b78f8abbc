"""After triage, the steps a physician or the record must take: a regulator's decision on a
request the protocol sent to them, the record of how a red-flag call reached the 15, and the
regulators' follow-up list of those calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import InvalidTransferTime, RequestNotOpen
from regulation.events import RequestTransferred, RequestUpdated
from regulation.models import (
    AssignedTo,
    Orientation,
    Origin,
    Priority,
    Redirect15,
    RegulationRequest,
    RequestStatus,
    Transfer15Mode,
)
from regulation.schemas import RequestOut
from regulation.schemas_safety import (
    TRANSFER_15_LABELS,
    FollowUpItem,
    FollowUpPage,
    FollowUpRedirect,
    RegulatorDecisionIn,
    Transfer15In,
)
from regulation.service.records import (
    ENTITY,
    age_label,
    display_name,
    ensure_not_held_by_other,
    ensure_open,
    get_row,
    log_step,
    to_detail,
    today_paris,
)
from regulation.service.redirect_15 import ENTITY as REDIRECT_ENTITY
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Conflict, Forbidden
from snp.identifiers import display_phone

FOLLOW_UP_DAYS = 7
_DECISION_FIELDS = [
    "assigned_to",
    "deadline_at",
    "orientation",
    "priority",
    "regulator_decision_at",
    "regulator_note",
    "status",
]
_TRANSFER_FIELDS = ["transfer_15_at", "transfer_15_mode", "transfer_15_note"]


async def record_regulator_decision(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    decision: RegulatorDecisionIn,
    *,
    now: datetime | None = None,
) -> RequestOut:
    """A regulator decides where the patient goes and how soon; the request can then be
    booked (back on the operators' worklist unless the regulator keeps it in hand)."""
    if actor.role != Role.REGULATOR:
        raise Forbidden("Seul un médecin régulateur enregistre une décision médicale.")
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    if row.status == RequestStatus.ORIENTED:
        raise RequestNotOpen("Demande déjà orientée.")
    ensure_not_held_by_other(row, actor)
    name = await display_name(session, actor)
    if row.triaged_at is None:  # the physician's assessment stands for the triage
        row.triaged_at = now
        row.triage_rule = "regulator_decision"
    row.retriage_reason = None
    row.orientation = Orientation(decision.orientation)
    row.priority = Priority(decision.priority)
    row.deadline_at = now + timedelta(hours=decision.deadline_hours)
    row.regulator_decision_at = now
    row.regulator_decision_by_user_id = actor.user_id
    row.regulator_decision_by_name = name
    row.regulator_note = decision.note
    row.assigned_to = AssignedTo.OPERATOR
    if row.status != RequestStatus.CLAIMED:
        row.status = RequestStatus.WAITING
    await audit.changed(session, actor, ENTITY, row.id, _DECISION_FIELDS)
    log_step(
        session,
        row.id,
        actor,
        name,
        "regulator_decision",
        at=now,
        orientation=decision.orientation,
        priority=decision.priority.value,
        deadline_hours=decision.deadline_hours,
    )
    await events.emit(
        session, RequestUpdated(row.id, tuple(_DECISION_FIELDS), row.referrer_user_id)
    )
    await events.emit(
        session, RequestTransferred(row.id, AssignedTo.OPERATOR, row.referrer_user_id)
    )
    await session.flush()
    return await to_detail(session, row, now)


async def record_transfer_15(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    transfer: Transfer15In,
    *,
    now: datetime | None = None,
) -> RequestOut:
    """Record how a request sent to the 15 reached it (once): warm transfer or patient told
    to call, when, by whom."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    if row.status != RequestStatus.REDIRECTED_15:
        raise Conflict(
            "Cette demande n'a pas été réorientée vers le 15 : aucun transfert à consigner.",
            ("path", "request_id"),
        )
    if row.transfer_15_at is not None:
        raise Conflict(
            f"Transfert vers le 15 déjà consigné par {row.transfer_15_by_name}.",
            ("path", "request_id"),
        )
    at = transfer.at or now
    if at > now + timedelta(minutes=1):
        raise InvalidTransferTime(
            "L'heure du transfert ne peut pas être dans le futur.", ("body", "at")
        )
    if row.closed_at is not None and at < row.closed_at - timedelta(hours=1):
        raise InvalidTransferTime(
            "L'heure du transfert précède le signe d'alerte de plus d'une heure.", ("body", "at")
        )
    name = await display_name(session, actor)
    row.transfer_15_mode = transfer.mode
    row.transfer_15_at = at
    row.transfer_15_by_user_id = actor.user_id
    row.transfer_15_by_name = name
    row.transfer_15_note = transfer.note
    await audit.changed(session, actor, ENTITY, row.id, _TRANSFER_FIELDS)
    log_step(session, row.id, actor, name, "transfer_15", at=now, mode=transfer.mode.value)
    await events.emit(
        session, RequestUpdated(row.id, tuple(_TRANSFER_FIELDS), row.referrer_user_id)
    )
    await session.flush()
    return await to_detail(session, row, now)


async def list_follow_up(
    session: AsyncSession,
    actor: Actor,
    *,
    days: int = FOLLOW_UP_DAYS,
    now: datetime | None = None,
) -> FollowUpPage:
    """Requests sent to the 15 over the last `days`: those whose transfer is not recorded
    first, then newest first; and the redirects recorded with only what was known (no
    request), newest first. Each one listed is an audited read."""
    now = now or utcnow()
    R = RegulationRequest
    since = now - timedelta(days=days)
    where = (R.status == RequestStatus.REDIRECTED_15, R.closed_at >= since)
    rows = list(
        await session.scalars(
            select(R)
            .where(*where)
            .order_by(R.transfer_15_at.is_not(None), R.closed_at.desc(), R.id.desc())
            .limit(200)
        )
    )
    total = int(await session.scalar(select(func.count()).select_from(R).where(*where)) or 0)
    await audit.read_many(session, actor, ENTITY, [r.id for r in rows])
    on = today_paris(now)
    items = [
        FollowUpItem(
            id=r.id,
            status=RequestStatus(r.status),
            priority=Priority(r.priority) if r.priority else None,
            family_name=r.family_name,
            given_name=r.given_name,
            age_label=age_label(r.birth_date, on),
            motif=r.motif,
            origin=Origin(r.origin),
            referrer_structure=r.referrer_structure,
            red_flag_id=r.red_flag_id,
            red_flag_text=r.red_flag_text,
            closed_at=r.closed_at,
            transfer_15_mode=Transfer15Mode(r.transfer_15_mode) if r.transfer_15_mode else None,
            transfer_15_label=TRANSFER_15_LABELS[Transfer15Mode(r.transfer_15_mode)]
            if r.transfer_15_mode
            else None,
            transfer_15_at=r.transfer_15_at,
            transfer_15_by_name=r.transfer_15_by_name,
            transfer_15_note=r.transfer_15_note,
            transfer_recorded=r.transfer_15_at is not None,
        )
        for r in rows
    ]
    redirects, redirects_total = await _follow_up_redirects(session, actor, since, on)
    return FollowUpPage(
        items=items,
        total=total,
        days=days,
        redirects=redirects,
        redirects_total=redirects_total,
    )


async def _follow_up_redirects(
    session: AsyncSession, actor: Actor, since: datetime, on: date
) -> tuple[list[FollowUpRedirect], int]:
    where = Redirect15.recorded_at >= since
    rows = list(
        await session.scalars(
            select(Redirect15)
            .where(where)
            .order_by(Redirect15.recorded_at.desc(), Redirect15.id.desc())
            .limit(200)
        )
    )
    total = int(await session.scalar(select(func.count()).where(where)) or 0)
    await audit.read_many(session, actor, REDIRECT_ENTITY, [r.id for r in rows])
    told = TRANSFER_15_LABELS[Transfer15Mode.TOLD_TO_CALL_15]
    return [
        FollowUpRedirect(
            id=r.id,
            given_name=r.given_name,
            family_name=r.family_name,
            age_label=age_label(r.birth_date, on) if r.birth_date else None,
            phone_display=display_phone(r.phone or ""),
            origin=Origin(r.origin),
            red_flag_id=r.red_flag_id,
            red_flag_text=r.red_flag_text,
            priority=r.priority,
            note=r.note,
            recorded_at=r.recorded_at,
            recorded_by_name=r.recorded_by_name,
            transfer_15_label=told,
        )
        for r in rows
    ], total
