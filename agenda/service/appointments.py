"""Appointments once booked: cancel them, list an effector's patients, count the patients
each effector was given. (Booking itself — hold, confirm, release — is in `booking`.)"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import CancellationRefused, InvalidPeriod, MissingValue, UnknownValue
from agenda.events import AppointmentCancelled
from agenda.models import Appointment, AppointmentStatus, Site, Slot, SlotStatus
from agenda.schemas import AppointmentOut, SiteOut
from agenda.service.slot_rules import MAX_WINDOW, as_utc, check_reads, effector_of_user
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Conflict, Forbidden, NotFound

CANCELLERS = frozenset({"patient", "effector", "operator", "regulator", "coordinator", "sas"})


# Who an actor cancels as, by default (they may also cancel on the patient's behalf).
_CANCELLER_OF_ROLE: dict[Role, str] = {
    Role.EFFECTOR: "effector",
    Role.OPERATOR: "operator",
    Role.REGULATOR: "regulator",
    Role.COORDINATOR: "coordinator",
    Role.SAS_REGULATOR: "sas",
}


def canceller_of(actor: Actor) -> str:
    return _CANCELLER_OF_ROLE.get(actor.role, "operator") if actor.role else "operator"


async def site_out(session: AsyncSession, site_id: int | None) -> SiteOut | None:
    if site_id is None:
        return None
    site = await session.get(Site, site_id)
    return SiteOut.model_validate(site) if site is not None else None


def appointment_out(appointment: Appointment, site: SiteOut | None) -> AppointmentOut:
    return AppointmentOut.model_validate(
        {
            "id": appointment.id,
            "slot_id": appointment.slot_id,
            "effector_id": appointment.effector_id,
            "start_at": appointment.start_at,
            "end_at": appointment.end_at,
            "kind": appointment.kind,
            "status": appointment.status,
            "request_id": appointment.request_id,
            "patient_label": appointment.patient_label,
            "origin": appointment.origin,
            "cancelled_by": appointment.cancelled_by,
            "cancel_reason": appointment.cancel_reason,
            "site": site,
        }
    )


async def _check_own_appointment(
    session: AsyncSession, actor: Actor, appointment: Appointment
) -> None:
    if not actor.has(Role.EFFECTOR):
        return
    effector = await effector_of_user(session, actor.user_id)
    if effector is None or effector.id != appointment.effector_id:
        raise Forbidden("Vous ne pouvez annuler que vos propres rendez-vous.")


async def cancel(
    session: AsyncSession,
    appointment_id: str,
    *,
    by: str,
    reason: str,
    actor: Actor | None = None,
) -> AppointmentOut:
    """Cancel a booked (or to-rebook) appointment on behalf of `by`; emits
    `AppointmentCancelled`. Its slot becomes free again when it has not started yet.

    With an `actor`, an effector may cancel only their own appointments, and anyone may cancel
    only as themselves or on the patient's behalf.
    """
    if by not in CANCELLERS:
        raise UnknownValue("Auteur de l'annulation inconnu.", loc=["body", "by"])
    reason = reason.strip()
    if not reason:
        raise MissingValue("Motif obligatoire.", loc=["body", "reason"])
    appointment = await session.get(Appointment, appointment_id)
    if appointment is None:
        raise NotFound("Rendez-vous introuvable.", loc=["path", "appointment_id"])
    if actor is not None and actor.role is not None:
        await _check_own_appointment(session, actor, appointment)
        if by not in ("patient", canceller_of(actor)):
            raise CancellationRefused(
                "Vous annulez en votre nom ou au nom du patient.", loc=["body", "by"]
            )
    was_booked = appointment.status == AppointmentStatus.BOOKED
    result = await session.execute(
        update(Appointment)
        .where(
            Appointment.id == appointment_id,
            Appointment.status.in_([AppointmentStatus.BOOKED, AppointmentStatus.TO_REBOOK]),
        )
        .values(status=AppointmentStatus.CANCELLED.value, cancelled_by=by, cancel_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise Conflict("Ce rendez-vous n'est plus actif (déjà annulé ou passé).")
    now = utcnow()
    slot_freed = False
    if was_booked and appointment.slot_id is not None:
        freed = await session.execute(
            update(Slot)
            .where(
                Slot.id == appointment.slot_id,
                Slot.status == SlotStatus.BOOKED,
                Slot.start_at > now,
            )
            .values(status=SlotStatus.FREE.value, held_by=None, hold_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        slot_freed = bool(freed.rowcount)  # type: ignore[attr-defined]
    await session.refresh(appointment)
    if actor is not None:
        await audit.changed(session, actor, "appointment", appointment.id, ["status"])
    await events.emit(
        session,
        AppointmentCancelled(
            appointment_id=appointment.id,
            slot_id=appointment.slot_id,
            effector_id=appointment.effector_id,
            request_id=appointment.request_id,
            start_at=appointment.start_at,
            by=by,
            reason=reason,
            slot_freed=slot_freed,
        ),
    )
    return appointment_out(appointment, await site_out(session, appointment.site_id))


async def list_appointments(
    session: AsyncSession,
    actor: Actor,
    *,
    effector_id: int | None,
    start: datetime,
    end: datetime,
    statuses: frozenset[str] = frozenset({AppointmentStatus.BOOKED.value}),
) -> list[AppointmentOut]:
    """Appointments starting in [start, end): an effector sees theirs (`effector_id` defaults to
    their own), coordinators and operators anyone's. Each read is traced in the audit trail."""
    start, end = as_utc(start, "start", "query"), as_utc(end, "end", "query")
    if end <= start:
        raise InvalidPeriod("La fin doit être après le début.", loc=["query", "end"])
    if end - start > MAX_WINDOW:
        raise InvalidPeriod("Période trop longue (93 jours au plus).", loc=["query", "end"])
    if actor.has(Role.EFFECTOR):
        own = await effector_of_user(session, actor.user_id)
        if own is None:
            raise Forbidden("Votre compte n'est lié à aucun effecteur.")
        effector_id = own.id if effector_id is None else effector_id
        await check_reads(session, actor, effector_id)
    query = (
        select(Appointment, Site)
        .outerjoin(Site, Site.id == Appointment.site_id)
        .where(
            Appointment.start_at >= start,
            Appointment.start_at < end,
            Appointment.status.in_(sorted(statuses)),
        )
        .order_by(Appointment.start_at, Appointment.id)
    )
    if effector_id is not None:
        query = query.where(Appointment.effector_id == effector_id)
    rows = (await session.execute(query)).all()
    await audit.read_many(session, actor, "appointment", [a.id for a, _ in rows])
    return [
        appointment_out(a, SiteOut.model_validate(site) if site is not None else None)
        for a, site in rows
    ]


# Patients an effector was given (a live appointment, or one that took place or was missed).
_GIVEN = (AppointmentStatus.BOOKED, AppointmentStatus.FULFILLED, AppointmentStatus.NOSHOW)


async def count_booked_by_effector(
    session: AsyncSession, effector_ids: Collection[int], start: datetime, end: datetime
) -> dict[int, int]:
    """How many patients each effector was given in [start, end): appointments booked,
    fulfilled or missed (not cancelled), by start time. Every id asked for is in the answer
    (0 when none). One indexed query (`(effector_id, start_at)`), for regulation's fair
    spreading of patients across effectors."""
    wanted = sorted(set(effector_ids))
    counts = dict.fromkeys(wanted, 0)
    if not wanted:
        return counts
    rows = await session.execute(
        select(Appointment.effector_id, func.count())
        .where(
            Appointment.effector_id.in_(wanted),
            Appointment.start_at >= as_utc(start, "start", "query"),
            Appointment.start_at < as_utc(end, "end", "query"),
            Appointment.status.in_([s.value for s in _GIVEN]),
        )
        .group_by(Appointment.effector_id)
    )
    for effector_id, count in rows.all():
        counts[int(effector_id)] = int(count)
    return counts


@functools.lru_cache(maxsize=16)
def _count_in_periods(periods: int) -> Select[Any]:
    """Patients given per effector in `periods` periods at once: named parameters
    `effector_ids`, `first` and `last` (the span of every period) and `start_<n>` and `end_<n>`.
    Built once per number of periods and reused (no statement building per call)."""
    start_at = Appointment.start_at
    counts = [
        func.count(
            case((and_(start_at >= bindparam(f"start_{n}"), start_at < bindparam(f"end_{n}")), 1))
        )
        for n in range(periods)
    ]
    columns: list[Any] = [Appointment.effector_id, *counts]
    return (
        select(*columns)
        .where(
            Appointment.effector_id.in_(bindparam("effector_ids", expanding=True)),
            start_at >= bindparam("first"),
            start_at < bindparam("last"),
            Appointment.status.in_([s.value for s in _GIVEN]),
        )
        .group_by(Appointment.effector_id)
    )


async def count_booked_by_effector_in_periods(
    session: AsyncSession,
    effector_ids: Collection[int],
    periods: Sequence[tuple[datetime, datetime]],
) -> dict[int, tuple[int, ...]]:
    """`count_booked_by_effector` for several periods [start, end) in one query: each
    effector's count in each period, in the order given. Every id asked for is in the answer
    (zeros when none). Reads what the session has flushed. For regulation's fair spreading: the
    day and the week of a slot at once."""
    wanted = sorted(set(effector_ids))
    if not periods:
        return dict.fromkeys(wanted, ())
    zeros = (0,) * len(periods)
    counts = dict.fromkeys(wanted, zeros)
    if not wanted:
        return counts
    values: dict[str, Any] = {"effector_ids": wanted}
    for n, (start, end) in enumerate(periods):
        values[f"start_{n}"] = as_utc(start, "start", "query")
        values[f"end_{n}"] = as_utc(end, "end", "query")
    values["first"] = min(values[f"start_{n}"] for n in range(len(periods)))
    values["last"] = max(values[f"end_{n}"] for n in range(len(periods)))
    # Core rows through the session's connection (as the free-slot search): no ORM overhead.
    connection = await session.connection()
    rows = await connection.execute(_count_in_periods(len(periods)), values)
    for effector_id, *found in rows.all():
        counts[int(effector_id)] = tuple(int(n) for n in found)
    return counts


async def get_own_appointment(
    session: AsyncSession, actor: Actor, appointment_id: str
) -> AppointmentOut:
    """One of the calling effector's own appointments; anyone else's (or an unknown id)
    answers 404, as if it did not exist. The read is traced in the audit trail."""
    own = await effector_of_user(session, actor.user_id)
    appointment = await session.get(Appointment, appointment_id)
    if appointment is None or own is None or appointment.effector_id != own.id:
        raise NotFound("Rendez-vous introuvable.", loc=["path", "appointment_id"])
    await audit.read(session, actor, "appointment", appointment.id)
    return appointment_out(appointment, await site_out(session, appointment.site_id))
