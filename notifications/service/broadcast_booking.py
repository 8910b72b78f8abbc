"""Booking the patient of a broadcast for the effector who took it, through the public services
of `agenda` and `regulation` (notifications depends on both, never the other way round).

Two steps, so the winner's SMS can name the time before the booking's own SMS are queued:

1. `hold_for_winner` finds the slot and holds it for `broadcast:<id>`: at the time the effector
   gave (`OUI 4821 14h30`, Paris time today) a slot is added to their agenda (or their free slot
   starting then is used); without a time, their next free slot today. The kind follows the
   request (its orientation, or a home visit when the patient cannot travel). None when nothing
   fits (time past, no free slot, request no longer open...): the operator then agrees a time
   with the effector by phone. Nothing is written in that case.
2. `book` confirms the hold (`agenda.confirm`: `SlotBooked`, so the effector gets the patient's
   phone and the patient their confirmation), then orients and closes the request
   (`regulation.mark_oriented`, `regulation.close_request(slot_booked)`) as the system
   `notifications`, which the request's claim does not block.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import regulation
from notifications.models import Broadcast
from notifications.service import sources, timing
from snp.actor import Actor
from snp.errors import NotFound
from snp.kit import PARIS
from snp.settings import settings_of

log = logging.getLogger(__name__)

SYSTEM = Actor.system("notifications")
HOLD_TTL = timedelta(minutes=5)
OPEN = frozenset(
    s.value
    for s in (
        regulation.RequestStatus.RECEIVED,
        regulation.RequestStatus.WAITING,
        regulation.RequestStatus.CLAIMED,
    )
)
KINDS = frozenset({"AMB", "HH", "VR"})


@dataclass(frozen=True, slots=True)
class Held:
    request_id: int
    slot_id: int
    holder: str
    kind: str
    start_at: datetime
    patient_label: str


def holder_of(broadcast: Broadcast) -> str:
    return f"broadcast:{broadcast.id}"


def kind_for(request: regulation.RequestOut) -> str:
    """The consultation kind the request needs."""
    orientation = str(request.orientation) if request.orientation is not None else None
    if orientation in KINDS:
        return orientation
    if request.mobility == regulation.Mobility.NEEDS_HOME_VISIT:
        return "HH"
    return "AMB"


def start_today(at: time, now: datetime) -> datetime:
    """`at` (Paris time) today, in UTC."""
    return datetime.combine(timing.paris_day(now), at, tzinfo=PARIS).astimezone(UTC)


async def _free_slot(
    session: AsyncSession, effector_id: int, kind: str, start: datetime, end: datetime
) -> int | None:
    found = await agenda.search_free_slots(
        session, start=start, end=end, kinds=[kind], effector_ids=[effector_id], limit=1
    )
    return found[0].id if found else None


async def _slot_at(
    session: AsyncSession, broadcast: Broadcast, effector_id: int, kind: str, start: datetime
) -> int | None:
    """A free slot of the effector starting at `start`: added to their agenda if need be."""
    contact = await sources.effector_contact(session, effector_id)
    if contact is None or not contact.addresses:
        return None
    minutes = settings_of(session).sms_broadcast_slot_minutes
    await agenda.add_generated_slots(
        session,
        effector_id,
        next(iter(contact.addresses)),
        [
            agenda.NewSlot(
                start_at=start,
                end_at=start + timedelta(minutes=minutes),
                kinds=frozenset({kind}),
                shared_with_sas=False,
                reason="Patient pris par SMS (diffusion)",
                source_key=f"broadcast:{broadcast.id}",
            )
        ],
    )  # skipped (0) when it overlaps: a free slot starting then is used instead
    return await _free_slot(session, effector_id, kind, start, start + timedelta(minutes=1))


async def hold_for_winner(
    session: AsyncSession, broadcast: Broadcast, effector_id: int, at: time | None, now: datetime
) -> Held | None:
    """Hold the slot the winner will see the patient in (see the module's docstring)."""
    if broadcast.request_id is None:
        return None
    try:
        request = await regulation.get_request(session, sources.READER, broadcast.request_id)
    except NotFound:
        return None
    if str(request.status) not in OPEN or not request.may_book:
        return None  # e.g. sent back to triage since: the operators agree it by phone
    kind = kind_for(request)
    if at is not None:
        start = start_today(at, now)
        if start <= now:
            log.info("broadcast %d: the time given is past, to agree by phone", broadcast.id)
            return None
        slot_id = await _slot_at(session, broadcast, effector_id, kind, start)
    else:
        end_of_day = start_today(time(0, 0), now) + timedelta(days=1)
        slot_id = await _free_slot(session, effector_id, kind, now, end_of_day)
    if slot_id is None:
        return None
    holder = holder_of(broadcast)
    try:
        held = await agenda.hold(session, slot_id, holder, HOLD_TTL)
    except (agenda.SlotUnavailable, NotFound):  # taken or removed a moment ago: nothing written
        return None
    contact = await sources.patient_contact(session, broadcast.request_id)
    return Held(
        request_id=broadcast.request_id,
        slot_id=slot_id,
        holder=holder,
        kind=kind,
        start_at=held.start_at,
        patient_label=sources.patient_label(contact) if contact else "non renseigné",
    )


async def book(
    session: AsyncSession, broadcast: Broadcast, held: Held, now: datetime
) -> agenda.AppointmentOut:
    """Confirm the held slot for the request, then orient and close it (`slot_booked`)."""
    appointment = await agenda.confirm(
        session,
        held.slot_id,
        held.holder,
        request_id=held.request_id,
        patient_label=held.patient_label,
        kind=held.kind,
        origin="sms_broadcast",
        actor=SYSTEM,
    )
    await regulation.mark_oriented(
        session,
        SYSTEM,
        held.request_id,
        orientation=regulation.Orientation(held.kind),
        consultation_at=appointment.start_at,
        appointment_id=appointment.id,
        now=now,
    )
    await regulation.close_request(
        session,
        SYSTEM,
        held.request_id,
        regulation.Outcome.SLOT_BOOKED,
        settings=settings_of(session),
        now=now,
    )
    log.info("broadcast %d: booked for its winner", broadcast.id)
    return appointment
