"""Booking core: hold -> confirm (or release). Used by regulation and the SAS adapter.

Every transition is one conditional UPDATE of the slot's `status` (plus, for confirm, the insert
of the appointment), so however many operators, regulators or SAS clients try at once, one slot
yields at most one live appointment, on SQLite and PostgreSQL. When the UPDATE touches no row,
someone else won: a follow-up read only chooses the French message. The partial unique index
`uq_appointments_live_slot` is the last line of defence.

A hold whose `hold_expires_at` has passed counts as free everywhere (hold, search, calendars),
even before the `agenda.release_expired_holds` job resets it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import HoldExpired, KindNotOffered, SlotUnavailable, UnknownValue
from agenda.events import SlotBooked
from agenda.models import Appointment, AppointmentStatus, Effector, Slot, SlotStatus
from agenda.schemas import AppointmentOut, HoldOut
from agenda.service.appointments import appointment_out, site_out
from agenda.service.appointments import cancel as cancel  # moved; callers may use agenda.cancel
from agenda.service.slot_rules import KIND_COLUMNS, slot_kinds
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import NotFound
from snp.settings import settings_of

# Where a booking comes from, by the role of who confirms it.
ORIGIN_OF_ROLE: dict[Role, str] = {
    Role.OPERATOR: "operator",
    Role.REGULATOR: "regulator",
    Role.SAS_REGULATOR: "sas",
    Role.COORDINATOR: "coordinator",
}


def _is_free(now: datetime) -> Any:
    """SQL condition: the slot may be taken (free, or held with an expired hold)."""
    return or_(
        Slot.status == SlotStatus.FREE,
        and_(Slot.status == SlotStatus.HELD, Slot.hold_expires_at <= now),
    )


_SLOT_COLUMNS = (
    Slot.id,
    Slot.effector_id,
    Slot.site_id,
    Slot.start_at,
    Slot.end_at,
    Slot.kind_amb,
    Slot.kind_hh,
    Slot.kind_vr,
)


async def _why_not_holdable(session: AsyncSession, slot_id: int, now: datetime) -> Exception:
    row = (
        await session.execute(
            select(Slot.start_at, Effector.active)
            .join(Effector, Effector.id == Slot.effector_id)
            .where(Slot.id == slot_id)
        )
    ).first()
    if row is None:
        return NotFound("Créneau introuvable.", loc=["path", "slot_id"])
    if row.start_at <= now:
        return SlotUnavailable("Ce créneau est déjà passé.", loc=["path", "slot_id"])
    if not row.active:
        return SlotUnavailable(
            "Cet effecteur ne prend plus de rendez-vous SNP.", loc=["path", "slot_id"]
        )
    return SlotUnavailable(
        "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre.",
        loc=["path", "slot_id"],
    )


async def hold(
    session: AsyncSession,
    slot_id: int,
    holder: str,
    ttl: timedelta | None = None,
) -> HoldOut:
    """Hold a free slot for `holder` for `ttl` (default: setting `hold_ttl_seconds`).

    Taking it again by the same holder extends the hold. Raises `SlotUnavailable` (409) when
    someone else holds or booked it, when it has started, or when its effector is inactive.
    """
    now = utcnow()
    expires = now + (
        ttl if ttl is not None else timedelta(seconds=settings_of(session).hold_ttl_seconds)
    )
    active_effectors = select(Effector.id).where(Effector.active.is_(True))
    row = (
        await session.execute(
            update(Slot)
            .where(
                Slot.id == slot_id,
                Slot.start_at > now,
                Slot.effector_id.in_(active_effectors),
                or_(_is_free(now), and_(Slot.status == SlotStatus.HELD, Slot.held_by == holder)),
            )
            .values(status=SlotStatus.HELD.value, held_by=holder, hold_expires_at=expires)
            .returning(*_SLOT_COLUMNS)
            .execution_options(synchronize_session=False)
        )
    ).first()
    if row is None:
        raise await _why_not_holdable(session, slot_id, now)
    return HoldOut(
        slot_id=row.id,
        holder=holder,
        hold_expires_at=expires,
        effector_id=row.effector_id,
        site_id=row.site_id,
        start_at=row.start_at,
        end_at=row.end_at,
        kinds=[code for code, column in KIND_COLUMNS.items() if getattr(row, column)],
    )


async def release(session: AsyncSession, slot_id: int, holder: str) -> bool:
    """Give a held slot back; returns False (and changes nothing) if `holder` does not hold it."""
    result = await session.execute(
        update(Slot)
        .where(Slot.id == slot_id, Slot.status == SlotStatus.HELD, Slot.held_by == holder)
        .values(status=SlotStatus.FREE.value, held_by=None, hold_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def release_expired_holds(session: AsyncSession, now: datetime | None = None) -> int:
    """Free every slot whose hold has run out; returns how many (the scheduled job)."""
    result = await session.execute(
        update(Slot)
        .where(Slot.status == SlotStatus.HELD, Slot.hold_expires_at <= (now or utcnow()))
        .values(status=SlotStatus.FREE.value, held_by=None, hold_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def _why_not_confirmable(
    session: AsyncSession, slot_id: int, holder: str, kind: str, now: datetime
) -> Exception:
    slot = await session.get(Slot, slot_id, populate_existing=True)
    if slot is None:
        return NotFound("Créneau introuvable.", loc=["path", "slot_id"])
    mine_and_running = (
        slot.status == SlotStatus.HELD
        and slot.held_by == holder
        and slot.hold_expires_at is not None
        and slot.hold_expires_at > now
    )
    if mine_and_running:  # then only the kind can be wrong
        return KindNotOffered(
            f"Ce créneau ne propose pas ce type de consultation "
            f"(proposés : {', '.join(slot_kinds(slot))}).",
            loc=["body", "kind"],
        )
    if slot.status == SlotStatus.BOOKED or (
        slot.status == SlotStatus.HELD
        and slot.held_by != holder
        and slot.hold_expires_at is not None
        and slot.hold_expires_at > now
    ):
        return SlotUnavailable(
            "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre.",
            loc=["path", "slot_id"],
        )
    return HoldExpired(
        "Le délai de réservation de ce créneau a expiré : reprenez-le s'il est encore libre.",
        loc=["path", "slot_id"],
    )


async def confirm(
    session: AsyncSession,
    slot_id: int,
    holder: str,
    *,
    request_id: int | None,
    patient_label: str | None,
    kind: str = "AMB",
    origin: str = "operator",
    booked_by_user_id: int | None = None,
    actor: Actor | None = None,
) -> AppointmentOut:
    """Turn `holder`'s running hold into an appointment; emits `SlotBooked`.

    Raises `HoldExpired` (409) when the hold ran out, `SlotUnavailable` (409) when someone else
    has the slot, a 422 when the slot does not offer `kind`.
    """
    if kind not in KIND_COLUMNS:
        raise UnknownValue("Type de consultation inconnu.", loc=["body", "kind"])
    now = utcnow()
    row = (
        await session.execute(
            update(Slot)
            .where(
                Slot.id == slot_id,
                Slot.status == SlotStatus.HELD,
                Slot.held_by == holder,
                Slot.hold_expires_at > now,
                getattr(Slot, KIND_COLUMNS[kind]).is_(True),
            )
            .values(status=SlotStatus.BOOKED.value, held_by=None, hold_expires_at=None)
            .returning(*_SLOT_COLUMNS)
            .execution_options(synchronize_session=False)
        )
    ).first()
    if row is None:
        raise await _why_not_confirmable(session, slot_id, holder, kind, now)
    appointment = Appointment(
        id=str(uuid.uuid4()),
        slot_id=row.id,
        effector_id=row.effector_id,
        site_id=row.site_id,
        start_at=row.start_at,
        end_at=row.end_at,
        kind=kind,
        status=AppointmentStatus.BOOKED.value,
        request_id=request_id,
        patient_label=patient_label,
        origin=origin,
        booked_by_user_id=booked_by_user_id,
    )
    session.add(appointment)
    try:
        await session.flush()
    except IntegrityError as exc:  # the partial unique index: a live appointment already exists
        raise SlotUnavailable(
            "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre.",
            loc=["path", "slot_id"],
        ) from exc
    if actor is not None:
        await audit.created(session, actor, "appointment", appointment.id)
    await events.emit(
        session,
        SlotBooked(
            appointment_id=appointment.id,
            slot_id=row.id,
            effector_id=row.effector_id,
            site_id=row.site_id,
            request_id=request_id,
            start_at=row.start_at,
            end_at=row.end_at,
            kind=kind,
            origin=origin,
        ),
    )
    return appointment_out(appointment, await site_out(session, row.site_id))
