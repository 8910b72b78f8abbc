"""Moving a booked appointment to another free slot of the same effector.

The appointment keeps its identity (id, patient, request, kind, origin): only its slot, site and
times change. The move is three conditional UPDATEs in the caller's transaction:

1. the new slot, from free (or held with an expired hold) to booked — when it touches no row,
   someone else took the slot and the move is refused (409);
2. the appointment, from its old slot to the new one, only while it is still booked on the old
   slot — a concurrent move or cancellation of the same appointment makes it touch no row (409,
   and the caller's rollback gives the new slot back);
3. the old slot, from booked to free, when it has not started yet.

So two moves onto the same slot, or two moves of the same appointment, leave exactly one winner
on SQLite and PostgreSQL, and the partial unique index `uq_appointments_live_slot` stays the last
line of defence. Emits `AppointmentMoved` (the patient's and the GP's SMS, the request's
timeline, the SAS platform's copy).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import (
    KindNotOffered,
    MissingValue,
    MoveRefused,
    SlotInThePast,
    SlotUnavailable,
)
from agenda.events import AppointmentMoved
from agenda.models import Appointment, AppointmentStatus, Site, Slot, SlotStatus
from agenda.schemas import AppointmentOut
from agenda.service.appointments import appointment_out, site_out
from agenda.service.slot_rules import KIND_COLUMNS, effector_of_user, slot_kinds
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Conflict, Forbidden, NotFound

# Who moves an appointment, by role (the SAS moves its bookings through the SAS platform).
MOVER_OF_ROLE: dict[Role, str] = {
    Role.EFFECTOR: "effector",
    Role.OPERATOR: "operator",
    Role.REGULATOR: "regulator",
    Role.COORDINATOR: "coordinator",
}
# Visibility a slot needs for the platform's staff to book a patient into it.
_STAFF_VISIBLE = ("vis_snp", "vis_cpts")
_TAKEN = "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre."


def mover_of(actor: Actor) -> str:
    if actor.role is None:  # the command line, a job
        return "coordinator"
    if actor.role not in MOVER_OF_ROLE:
        raise Forbidden("Vous ne pouvez pas déplacer ce rendez-vous.")
    return MOVER_OF_ROLE[actor.role]


def _is_free(now: datetime) -> Any:
    return or_(
        Slot.status == SlotStatus.FREE,
        and_(Slot.status == SlotStatus.HELD, Slot.hold_expires_at <= now),
    )


async def _movable(session: AsyncSession, actor: Actor, appointment_id: str) -> Appointment:
    appointment = await session.get(Appointment, appointment_id, populate_existing=True)
    if appointment is not None and actor.has(Role.EFFECTOR):
        own = await effector_of_user(session, actor.user_id)
        if own is None or own.id != appointment.effector_id:
            appointment = None  # someone else's: as if it did not exist
    if appointment is None:
        raise NotFound("Rendez-vous introuvable.", loc=["path", "appointment_id"])
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(
            "Ce rendez-vous n'est plus réservé (annulé, à replanifier ou déjà renseigné) : "
            "il ne peut pas être déplacé.",
            loc=["path", "appointment_id"],
        )
    return appointment


async def _check_target(
    session: AsyncSession,
    actor: Actor,
    appointment: Appointment,
    target: Slot | None,
    *,
    allow_other_site: bool,
    now: datetime,
) -> Slot:
    """The refusals a read can tell before trying (the conditional UPDATE decides the race)."""
    loc = ["body", "slot_id"]
    if target is None:
        raise NotFound("Créneau introuvable.", loc=loc)
    if target.id == appointment.slot_id:
        raise MoveRefused("Le rendez-vous est déjà sur ce créneau.", loc=loc)
    if target.effector_id != appointment.effector_id:
        raise MoveRefused(
            "Ce créneau est dans l'agenda d'un autre médecin : un rendez-vous se déplace dans "
            "l'agenda du même médecin (sinon, annulez-le pour le replanifier).",
            loc=loc,
        )
    if target.start_at <= now:
        raise SlotInThePast("Ce créneau est déjà passé.", loc=loc)
    if not getattr(target, KIND_COLUMNS[appointment.kind]):
        raise KindNotOffered(
            f"Ce créneau ne propose pas ce type de consultation "
            f"(proposés : {', '.join(slot_kinds(target))}).",
            loc=loc,
        )
    if not actor.has(Role.EFFECTOR) and not any(getattr(target, c) for c in _STAFF_VISIBLE):
        raise MoveRefused(
            "Ce créneau n'est pas ouvert à la régulation (visibilité SNP ou CPTS).", loc=loc
        )
    if target.site_id != appointment.site_id and appointment.kind == "AMB" and not allow_other_site:
        site = await session.get(Site, target.site_id)
        raise MoveRefused(
            f"Ce créneau est dans un autre lieu ({site.name if site else 'autre cabinet'}) : "
            "confirmez le changement de lieu.",
            loc=["body", "allow_other_site"],
        )
    if target.status == SlotStatus.BOOKED:
        raise SlotUnavailable(_TAKEN, loc=loc)
    return target


async def move_appointment(
    session: AsyncSession,
    appointment_id: str,
    new_slot_id: int,
    *,
    actor: Actor,
    reason: str,
    allow_other_site: bool = False,
) -> AppointmentOut:
    """Move a booked, still-to-come appointment onto `new_slot_id`, a free future slot of the
    same effector offering the appointment's kind; emits `AppointmentMoved`.

    An effector moves only their own appointments (any other answers 404) into any of their
    slots; operators, regulators and coordinators move any appointment, into slots open to the
    regulation (SNP or CPTS visibility). A slot at another site of the effector needs
    `allow_other_site` (at-the-practice appointments). Refusals: 404 unknown appointment or slot,
    409 appointment no longer booked or slot taken (also when a concurrent move wins), 422 slot
    or appointment in the past, another effector's slot, kind not offered, site change not
    confirmed, missing reason.
    """
    by = mover_of(actor)
    reason = reason.strip()
    if not reason:
        raise MissingValue("Motif obligatoire.", loc=["body", "reason"])
    appointment = await _movable(session, actor, appointment_id)
    now = utcnow()
    if appointment.start_at <= now:
        raise SlotInThePast(
            "Ce rendez-vous a déjà commencé : il ne peut plus être déplacé.",
            loc=["path", "appointment_id"],
        )
    target = await _check_target(
        session,
        actor,
        appointment,
        await session.get(Slot, new_slot_id, populate_existing=True),
        allow_other_site=allow_other_site,
        now=now,
    )
    taken = await session.execute(
        update(Slot)
        .where(
            Slot.id == target.id,
            Slot.effector_id == appointment.effector_id,
            Slot.start_at > now,
            _is_free(now),
            getattr(Slot, KIND_COLUMNS[appointment.kind]).is_(True),
        )
        .values(status=SlotStatus.BOOKED.value, held_by=None, hold_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        raise SlotUnavailable(_TAKEN, loc=["body", "slot_id"])
    old_slot_id, old_site_id = appointment.slot_id, appointment.site_id
    old_start, old_end = appointment.start_at, appointment.end_at
    still_there = (
        Appointment.slot_id.is_(None) if old_slot_id is None else Appointment.slot_id == old_slot_id
    )
    moved = await session.execute(
        update(Appointment)
        .where(
            Appointment.id == appointment.id,
            Appointment.status == AppointmentStatus.BOOKED,
            still_there,
        )
        .values(
            slot_id=target.id,
            site_id=target.site_id,
            start_at=target.start_at,
            end_at=target.end_at,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        raise Conflict(
            "Ce rendez-vous vient d'être modifié par quelqu'un d'autre : rechargez l'agenda.",
            loc=["path", "appointment_id"],
        )
    old_slot_freed = False
    if old_slot_id is not None:
        freed = await session.execute(
            update(Slot)
            .where(Slot.id == old_slot_id, Slot.status == SlotStatus.BOOKED, Slot.start_at > now)
            .values(status=SlotStatus.FREE.value, held_by=None, hold_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        old_slot_freed = bool(freed.rowcount)  # type: ignore[attr-defined]
    await session.refresh(appointment)
    await audit.changed(
        session, actor, "appointment", appointment.id, ["slot_id", "site_id", "start_at", "end_at"]
    )
    await events.emit(
        session,
        AppointmentMoved(
            appointment_id=appointment.id,
            request_id=appointment.request_id,
            effector_id=appointment.effector_id,
            kind=appointment.kind,
            origin=appointment.origin,
            by=by,
            reason=reason,
            from_slot_id=old_slot_id,
            from_site_id=old_site_id,
            from_start_at=old_start,
            from_end_at=old_end,
            to_slot_id=target.id,
            to_site_id=target.site_id,
            to_start_at=target.start_at,
            to_end_at=target.end_at,
            old_slot_freed=old_slot_freed,
            moved_by_user_id=actor.user_id,
        ),
    )
    return appointment_out(appointment, await site_out(session, appointment.site_id))
