"""When a booked appointment falls through.

- Its request goes back to the queue, flagged « à replanifier » (`rebook_reason`), whether the
  appointment was cancelled (by the patient, the effector, an operator...) or its slot removed
  or moved by the effector.
- A slot freed by a cancellation is offered first to the waiting requests it fits: the best
  `regulation_freed_slot_offers` of them (priority, then deadline, then distance) carry it in
  `offered_slot_id`, which puts them first within their priority in the queue and puts the slot
  first in their candidates, until someone books it.

Called by `regulation.handlers` on agenda's events, inside agenda's transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import FreeSlot, search_free_slots
from regulation.errors import NotAConsultation, RequestNotFound, RequestNotTriaged
from regulation.events import FreedSlotOffered, RequestToRebook
from regulation.models import (
    OPEN_STATUSES,
    AssignedTo,
    Outcome,
    RegulationRequest,
    RequestStatus,
)
from regulation.service import retriage
from regulation.service.matching import VISIBLE_TO, home_visit_reach
from regulation.service.needs import (
    ConsultationKind,
    Place,
    compatible_kinds,
    place_from,
)
from regulation.service.records import (
    ENTITY,
    age_months,
    clear_claim,
    get_row,
    log_step,
    today_paris,
    unclaimed_status,
)
from snp import audit, events, territory
from snp.actor import Actor
from snp.db import utcnow
from snp.kit import distance_km
from snp.settings import Settings, settings_of

SYSTEM = Actor.system("regulation.rebooking")
BY_LABELS = {
    "patient": "par le patient",
    "effector": "par l'effecteur",
    "operator": "par un opérateur",
    "regulator": "par un médecin régulateur",
    "coordinator": "par la coordination",
    "sas": "par le SAS",
}
PRIORITY_RANK = {"P0": 0, "P1": 1, "P2": 2, "P3": 3}


async def reopen_for_rebooking(
    session: AsyncSession,
    *,
    request_id: int,
    appointment_id: str,
    cause: str,
    reason: str,
    cancelled_by: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Put the request whose appointment fell through back in the queue (« à replanifier »).

    Only when that appointment is still the request's booking (a stale event changes nothing).
    Returns whether the request was reopened."""
    now = now or utcnow()
    try:
        row = await get_row(session, request_id, for_update=True)
    except RequestNotFound:
        return False
    booked = row.status == RequestStatus.ORIENTED or (
        row.status == RequestStatus.CLOSED and row.outcome == Outcome.SLOT_BOOKED
    )
    if not booked or row.appointment_id != appointment_id:
        return False
    if cause == "cancelled":
        who = BY_LABELS.get(cancelled_by or "", "")
        text = f"Rendez-vous annulé {who} : {reason}".replace("  ", " ")
    else:  # agenda's own wording: "Créneau supprimé : congés", "Créneau déplacé."
        text = reason
    row.status = unclaimed_status(row)
    row.outcome = None
    row.outcome_note = None
    row.closed_at = None
    row.closed_by_user_id = None
    row.appointment_id = None
    row.consultation_at = None
    row.rebook_reason = text[:300]
    row.rebook_at = now
    clear_claim(row)
    # The patient's state may have changed since: the red flags are asked again (a new
    # triage) before any rebooking.
    await retriage.send_back_to_triage(
        session,
        row,
        "Rendez-vous annulé ou déplacé : reposez les signes d'alerte (nouveau tri) avant de "
        "replanifier.",
        triage_within_minutes=settings_of(session).regulation_triage_within_minutes,
        now=now,
    )
    fields = ["appointment_id", "outcome", "rebook_reason", *retriage.RESET_FIELDS]
    await audit.changed(session, SYSTEM, ENTITY, row.id, fields)
    log_step(
        session,
        row.id,
        SYSTEM,
        "Système",
        "to_rebook",
        at=now,
        cause=cause,
        by=cancelled_by,
        appointment_id=appointment_id,
    )
    await events.emit(
        session,
        RequestToRebook(row.id, appointment_id, cause, cancelled_by, row.referrer_user_id),
    )
    await session.flush()
    return True


@dataclass(frozen=True, slots=True)
class SlotProposal:
    """A waiting request a freed slot fits."""

    request_id: int
    priority: str | None
    deadline_at: datetime | None
    kind: ConsultationKind
    distance_km: float | None


async def _free_slot(
    session: AsyncSession, slot_id: int, effector_id: int, start_at: datetime
) -> FreeSlot | None:
    # agenda exports no look-up of one slot: the search, narrowed to its effector and start.
    found = await search_free_slots(
        session,
        start=start_at,
        end=start_at + timedelta(minutes=1),
        effector_ids=[effector_id],
        visibility=VISIBLE_TO,
        limit=10,
    )
    return next((s for s in found if s.id == slot_id), None)


def _kind_for(
    row: RegulationRequest,
    slot: FreeSlot,
    place: Place | None,
    reach: float | None,
    settings: Settings,
    now: datetime,
) -> tuple[ConsultationKind, float | None] | None:
    minimum = slot.effector.min_patient_age_months
    if minimum is not None and age_months(row.birth_date, today_paris(now)) < minimum:
        return None
    try:
        kinds = compatible_kinds(row.orientation, row.mobility)
    except (NotAConsultation, RequestNotTriaged):  # pharmacist, advice; or not triaged
        return None
    site = (slot.site.latitude, slot.site.longitude)
    distance = distance_km(place.point, site) if place is not None else None
    for kind in kinds:
        if kind not in slot.kinds:
            continue
        if kind == "AMB" and distance is not None and distance > settings.regulation_match_max_km:
            continue
        if kind == "HH" and (reach is None or distance is None or distance > reach):
            continue
        return kind, distance
    return None


async def proposals_for_slot(
    session: AsyncSession,
    slot_id: int,
    *,
    effector_id: int,
    start_at: datetime,
    exclude: Collection[int] = (),
    settings: Settings | None = None,
    now: datetime | None = None,
) -> list[SlotProposal]:
    """Waiting requests the free slot fits (kind, age, distance, deadline), best first:
    priority, then deadline, then distance. Empty when the slot is not free or starts too soon
    for anyone to get there."""
    settings = settings or settings_of(session)
    now = now or utcnow()
    slot = await _free_slot(session, slot_id, effector_id, start_at)
    margin = timedelta(minutes=settings.regulation_travel_margin_minutes)
    if slot is None or slot.start_at < now + margin:
        return []
    rows = (
        await session.scalars(
            select(RegulationRequest).where(
                RegulationRequest.status.in_([RequestStatus.WAITING, RequestStatus.CLAIMED]),
                RegulationRequest.assigned_to == AssignedTo.OPERATOR,
                RegulationRequest.triaged_at.is_not(None),
                RegulationRequest.id.not_in(list(exclude) or [0]),
            )
        )
    ).all()
    communes = await territory.list_communes(session)
    reach = home_visit_reach(slot.effector, settings)
    found: list[SlotProposal] = []
    for row in rows:
        deadline = row.deadline_at
        if deadline is not None and now <= deadline < slot.start_at:
            continue  # after its deadline (an overdue request takes what comes)
        place = place_from(row, communes)
        fit = _kind_for(row, slot, place, reach, settings, now)
        if fit is not None:
            found.append(SlotProposal(row.id, row.priority, deadline, fit[0], fit[1]))
    far = float("inf")
    found.sort(
        key=lambda p: (
            PRIORITY_RANK.get(p.priority or "", 4),
            p.deadline_at or slot.start_at,
            p.distance_km if p.distance_km is not None else far,
            p.request_id,
        )
    )
    return found


async def offer_freed_slot(
    session: AsyncSession,
    slot_id: int,
    *,
    effector_id: int,
    start_at: datetime,
    exclude: Collection[int] = (),
    settings: Settings | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Flag the best waiting requests the freed slot fits (`offered_slot_id`); returns them."""
    settings = settings or settings_of(session)
    now = now or utcnow()
    proposals = await proposals_for_slot(
        session,
        slot_id,
        effector_id=effector_id,
        start_at=start_at,
        exclude=exclude,
        settings=settings,
        now=now,
    )
    chosen = [p.request_id for p in proposals[: settings.regulation_freed_slot_offers]]
    if not chosen:
        return []
    await session.execute(
        update(RegulationRequest)
        .where(RegulationRequest.id.in_(chosen))
        .values(offered_slot_id=slot_id)
        .execution_options(synchronize_session="fetch")
    )
    for request_id in chosen:
        log_step(session, request_id, SYSTEM, "Système", "slot_offered", at=now, slot_id=slot_id)
    await events.emit(session, FreedSlotOffered(slot_id, tuple(chosen)))
    await session.flush()
    return chosen


async def clear_offers(session: AsyncSession, slot_id: int) -> None:
    """The slot was booked: it is no longer offered to anyone."""
    await session.execute(
        update(RegulationRequest)
        .where(
            RegulationRequest.status.in_(OPEN_STATUSES),
            RegulationRequest.offered_slot_id == slot_id,
        )
        .values(offered_slot_id=None)
        .execution_options(synchronize_session="fetch")
    )
