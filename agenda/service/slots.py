"""SNP slots of an effector: generated in bulk (templates, ICS) or managed one by one.

An effector's slots never overlap. Every write first takes the effector's write lock
(`lock_effector`: an UPDATE of its row), then checks for overlaps, so two concurrent writers for
one effector are serialised on PostgreSQL (row lock) and on SQLite (the database write lock).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import (
    InvalidPeriod,
    MissingValue,
    SiteNotOfEffector,
    SlotInThePast,
    SlotOverlap,
)
from agenda.events import AppointmentNeedsRebooking
from agenda.models import Appointment, AppointmentStatus, Site, Slot, SlotStatus
from agenda.schemas import SlotAppointmentOut, SlotIn, SlotOut, SlotPatch
from agenda.service.slot_rules import (
    DEFAULT_KINDS,
    DEFAULT_VISIBILITY,
    KIND_COLUMNS,
    MAX_WINDOW,
    VISIBILITY_COLUMNS,
    as_utc,
    check_manages,
    check_reads,
    check_site,
    check_times,
    describe,
    effective_status,
    kind_values,
    lock_effector,
    slot_kinds,
    slot_source,
    slot_visibility,
    visibility_values,
)
from agenda.service.supply_events import STATE_COLUMNS, announce, snapshot
from snp import audit, events
from snp.actor import Actor
from snp.db import dialect_insert, utcnow
from snp.errors import NotFound

# Names other modules import from here (they live in `slot_rules`).
__all__ = [
    "KIND_COLUMNS",
    "VISIBILITY_COLUMNS",
    "NewSlot",
    "SlotOverlap",
    "add_generated_slots",
    "create_slot",
    "delete_slot",
    "kind_values",
    "list_slots",
    "slot_out",
    "update_slot",
    "visibility_values",
]

_INSERT_CHUNK = 500  # rows per INSERT statement (keeps under SQLite's bound-parameter limit)


@dataclass(frozen=True, slots=True)
class NewSlot:
    """A slot to create in bulk (template materialisation, ICS import).

    `source_key` makes re-generation idempotent: a second slot with the same
    (effector, source_key) is ignored, even if the first one was moved since.
    """

    start_at: datetime
    end_at: datetime
    kinds: frozenset[str] = DEFAULT_KINDS
    visibility: frozenset[str] = DEFAULT_VISIBILITY
    shared_with_sas: bool = True
    reason: str | None = None
    source_key: str | None = None
    template_id: int | None = None


@dataclass(frozen=True, slots=True)
class _Interval:
    start_at: datetime
    end_at: datetime
    slot_id: int | None = field(default=None, compare=False)


async def _existing_intervals(
    session: AsyncSession, effector_id: int, start: datetime, end: datetime
) -> list[_Interval]:
    rows = await session.execute(
        select(Slot.id, Slot.start_at, Slot.end_at)
        .where(Slot.effector_id == effector_id, Slot.start_at < end, Slot.end_at > start)
        .order_by(Slot.start_at)
    )
    return [_Interval(r.start_at, r.end_at, r.id) for r in rows]


def _overlaps(interval: _Interval, taken: list[_Interval]) -> bool:
    """Whether `interval` overlaps one of `taken` (sorted by start, never overlapping)."""
    i = bisect_left(taken, interval.start_at, key=lambda t: t.start_at)
    before = taken[i - 1] if i > 0 else None
    after = taken[i] if i < len(taken) else None
    return bool(
        (before is not None and before.end_at > interval.start_at)
        or (after is not None and after.start_at < interval.end_at)
    )


async def add_generated_slots(
    session: AsyncSession, effector_id: int, site_id: int, slots: list[NewSlot]
) -> int:
    """Insert generated slots idempotently; returns how many were inserted.

    Skipped without error: a slot whose (effector, source_key) already exists, one overlapping
    an existing slot of the effector, and one overlapping an earlier slot of the same batch.
    Raises a French 422 for a naive datetime, an end not after its start, an unknown kind or
    visibility, or a site of another effector.
    """
    if not slots:
        return 0
    await lock_effector(session, effector_id)
    await check_site(session, effector_id, site_id)
    now = utcnow()
    candidates: list[tuple[_Interval, NewSlot]] = []
    for new in slots:
        start, end = check_times(new.start_at, new.end_at)
        kind_values(new.kinds)
        visibility_values(new.visibility)
        candidates.append((_Interval(start, end), new))
    window_start = min(c[0].start_at for c in candidates)
    window_end = max(c[0].end_at for c in candidates)
    taken = await _existing_intervals(session, effector_id, window_start, window_end)
    rows: list[dict[str, object]] = []
    for interval, new in sorted(candidates, key=lambda c: c[0].start_at):
        if _overlaps(interval, taken):
            continue
        insort(taken, interval, key=lambda t: t.start_at)
        rows.append(
            {
                "effector_id": effector_id,
                "site_id": site_id,
                "start_at": interval.start_at,
                "end_at": interval.end_at,
                **kind_values(new.kinds),
                **visibility_values(new.visibility),
                "shared_with_sas": new.shared_with_sas,
                "reason": new.reason,
                "status": SlotStatus.FREE.value,
                "source_key": new.source_key,
                "template_id": new.template_id,
                "created_at": now,
                "updated_at": now,
            }
        )
    insert = dialect_insert(session)
    inserted: list[Any] = []
    for offset in range(0, len(rows), _INSERT_CHUNK):
        statement = (
            insert(Slot.__table__)
            .values(rows[offset : offset + _INSERT_CHUNK])
            .on_conflict_do_nothing(index_elements=["effector_id", "source_key"])
            .returning(*STATE_COLUMNS)
        )
        inserted += (await session.execute(statement)).all()
    from_pattern = any(
        new.template_id is not None or (new.source_key or "").startswith("ovr:") for new in slots
    )
    await announce(session, "generated" if from_pattern else "imported", after=inserted)
    return len(inserted)


def slot_out(slot: Slot, appointment: Appointment | None, now: datetime | None = None) -> SlotOut:
    status = effective_status(slot, now or utcnow())
    return SlotOut.model_validate(
        {
            "id": slot.id,
            "effector_id": slot.effector_id,
            "site_id": slot.site_id,
            "start_at": slot.start_at,
            "end_at": slot.end_at,
            "kinds": slot_kinds(slot),
            "visibility": slot_visibility(slot),
            "shared_with_sas": slot.shared_with_sas,
            "reason": slot.reason,
            "status": status,
            "hold_expires_at": slot.hold_expires_at if status == SlotStatus.HELD else None,
            "template_id": slot.template_id,
            "source": slot_source(slot.source_key),
            "appointment": (
                SlotAppointmentOut.model_validate(appointment, from_attributes=True)
                if appointment is not None
                else None
            ),
        }
    )


# The appointment a booked slot shows: live, or its outcome once recorded.
_ON_THE_SLOT = [
    AppointmentStatus.BOOKED.value,
    AppointmentStatus.FULFILLED.value,
    AppointmentStatus.NOSHOW.value,
]


async def list_slots(
    session: AsyncSession, actor: Actor, *, effector_id: int, start: datetime, end: datetime
) -> list[SlotOut]:
    """An effector's slots overlapping [start, end), with the patient of each booked one and
    the appointment's outcome once recorded (seen, absent)."""
    start, end = as_utc(start, "start", "query"), as_utc(end, "end", "query")
    if end <= start:
        raise InvalidPeriod("La fin doit être après le début.", loc=["query", "end"])
    if end - start > MAX_WINDOW:
        raise InvalidPeriod("Période trop longue (93 jours au plus).", loc=["query", "end"])
    await check_reads(session, actor, effector_id)
    slots = list(
        await session.scalars(
            select(Slot)
            .where(Slot.effector_id == effector_id, Slot.start_at < end, Slot.end_at > start)
            .order_by(Slot.start_at)
        )
    )
    booked = [s.id for s in slots if s.status == SlotStatus.BOOKED]
    appointments: dict[int | None, Appointment] = {}
    if booked:
        rows = await session.scalars(
            select(Appointment).where(
                Appointment.slot_id.in_(booked), Appointment.status.in_(_ON_THE_SLOT)
            )
        )
        appointments = {a.slot_id: a for a in rows}
    now = utcnow()
    return [slot_out(s, appointments.get(s.id), now) for s in slots]


def _check_future(start: datetime, loc: str = "start_at") -> None:
    if start <= utcnow():
        raise SlotInThePast("Le créneau doit commencer dans le futur.", loc=["body", loc])


async def _refuse_overlap(
    session: AsyncSession,
    effector_id: int,
    start: datetime,
    end: datetime,
    *,
    exclude_id: int | None = None,
) -> None:
    query = select(Slot).where(
        Slot.effector_id == effector_id, Slot.start_at < end, Slot.end_at > start
    )
    if exclude_id is not None:
        query = query.where(Slot.id != exclude_id)
    conflicting = await session.scalar(query.order_by(Slot.start_at).limit(1))
    if conflicting is not None:
        raise SlotOverlap(
            conflicting.id,
            describe(conflicting.start_at, conflicting.end_at),
            ["body", "start_at"],
        )


async def create_slot(session: AsyncSession, actor: Actor, data: SlotIn) -> SlotOut:
    """Open one slot at one of the effector's sites (the site tells whose agenda it is)."""
    site = await session.get(Site, data.site_id)
    if site is None:
        raise SiteNotOfEffector("Lieu de consultation introuvable.", loc=["body", "site_id"])
    await check_manages(session, actor, site.effector_id)
    start, end = check_times(data.start_at, data.end_at)
    _check_future(start)
    await lock_effector(session, site.effector_id)
    await _refuse_overlap(session, site.effector_id, start, end)
    slot = Slot(
        effector_id=site.effector_id,
        site_id=site.id,
        start_at=start,
        end_at=end,
        **kind_values(data.kinds),
        **visibility_values(data.visibility),
        shared_with_sas=data.shared_with_sas,
        reason=data.reason,
        status=SlotStatus.FREE.value,
    )
    session.add(slot)
    await session.flush()
    await audit.created(session, actor, "slot", slot.id)
    await announce(session, "created", after=[slot])
    return slot_out(slot, None)


async def _locked_slot(session: AsyncSession, actor: Actor, slot_id: int) -> Slot:
    """The slot, re-read under the effector's lock and its own row lock (PostgreSQL), so a
    concurrent booking either finished before (we see it booked) or waits for us."""
    effector_id = await session.scalar(select(Slot.effector_id).where(Slot.id == slot_id))
    if effector_id is None:
        raise NotFound("Créneau introuvable.", loc=["path", "slot_id"])
    await check_manages(session, actor, effector_id)
    await lock_effector(session, effector_id)
    slot = await session.scalar(
        select(Slot)
        .where(Slot.id == slot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if slot is None:
        raise NotFound("Créneau introuvable.", loc=["path", "slot_id"])
    return slot


async def _send_back_to_regulation(
    session: AsyncSession, actor: Actor, slot: Slot, reason: str
) -> Appointment | None:
    """The live appointment of `slot` (if any) goes to `to_rebook`, with an event for operators."""
    if slot.status != SlotStatus.BOOKED:
        return None
    appointment = await session.scalar(
        select(Appointment).where(
            Appointment.slot_id == slot.id, Appointment.status == AppointmentStatus.BOOKED
        )
    )
    if appointment is None:
        return None
    appointment.status = AppointmentStatus.TO_REBOOK.value
    appointment.slot_id = None
    await session.flush()
    await audit.changed(session, actor, "appointment", appointment.id, ["status", "slot_id"])
    await events.emit(
        session,
        AppointmentNeedsRebooking(
            appointment_id=appointment.id,
            request_id=appointment.request_id,
            effector_id=appointment.effector_id,
            start_at=appointment.start_at,
            reason=reason,
        ),
    )
    return appointment


_REQUIRED_IN_PATCH = ("site_id", "start_at", "end_at", "kinds", "visibility", "shared_with_sas")


async def update_slot(
    session: AsyncSession, actor: Actor, slot_id: int, patch: SlotPatch
) -> SlotOut:
    """Change a slot. Moving it (times or site) frees it: a booked patient goes back to the
    regulation queue (`to_rebook`, event `AppointmentNeedsRebooking`), a running hold ends."""
    fields = patch.model_fields_set
    for name in _REQUIRED_IN_PATCH:
        if name in fields and getattr(patch, name) is None:
            raise MissingValue("Ne peut pas être vide.", loc=["body", name])
    slot = await _locked_slot(session, actor, slot_id)
    before = snapshot(slot)
    changed: list[str] = []
    start, end = slot.start_at, slot.end_at
    if "start_at" in fields or "end_at" in fields:
        start, end = check_times(patch.start_at or slot.start_at, patch.end_at or slot.end_at)
    site_id = patch.site_id if patch.site_id is not None else slot.site_id
    moved = (start, end, site_id) != (slot.start_at, slot.end_at, slot.site_id)
    if moved:
        _check_future(start)
        if site_id != slot.site_id:
            await check_site(session, slot.effector_id, site_id)
        await _refuse_overlap(session, slot.effector_id, start, end, exclude_id=slot.id)
        await _send_back_to_regulation(session, actor, slot, "Créneau déplacé.")
        slot.start_at, slot.end_at, slot.site_id = start, end, site_id
        slot.status, slot.held_by, slot.hold_expires_at = SlotStatus.FREE.value, None, None
        changed += ["start_at", "end_at", "site_id", "status"]
    if patch.kinds is not None:
        for column, value in kind_values(patch.kinds).items():
            setattr(slot, column, value)
        changed.append("kinds")
    if patch.visibility is not None:
        for column, value in visibility_values(patch.visibility).items():
            setattr(slot, column, value)
        changed.append("visibility")
    if patch.shared_with_sas is not None:
        slot.shared_with_sas = patch.shared_with_sas
        changed.append("shared_with_sas")
    if "reason" in fields:
        slot.reason = patch.reason
        changed.append("reason")
    await session.flush()
    await audit.changed(session, actor, "slot", slot.id, changed)
    if changed:
        await announce(session, "changed", before=[before], after=[slot])
    appointment = None
    if slot.status == SlotStatus.BOOKED:
        appointment = await session.scalar(
            select(Appointment).where(
                Appointment.slot_id == slot.id, Appointment.status == AppointmentStatus.BOOKED
            )
        )
    return slot_out(slot, appointment)


async def delete_slot(
    session: AsyncSession, actor: Actor, slot_id: int, reason: str | None = None
) -> str | None:
    """Remove a slot. A booked patient is not dropped: the appointment goes to `to_rebook` and
    `AppointmentNeedsRebooking` tells the operators. Returns that appointment's id, if any."""
    slot = await _locked_slot(session, actor, slot_id)
    if slot.status == SlotStatus.BOOKED and slot.start_at <= utcnow():
        raise SlotInThePast(
            "Un créneau passé avec un patient ne peut pas être supprimé.", loc=["path", "slot_id"]
        )
    wording = f"Créneau supprimé : {reason}" if reason else "Créneau supprimé."
    appointment = await _send_back_to_regulation(session, actor, slot, wording)
    before = snapshot(slot)
    await session.delete(slot)
    await session.flush()
    await audit.deleted(session, actor, "slot", slot_id)
    await announce(session, "removed", before=[before])
    return appointment.id if appointment is not None else None
