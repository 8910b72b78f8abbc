"""The SAS adapter's reactions to the agenda's events (registered from the composition root).

Only appointments taken by SAS regulators (origin `sas`) concern the platform, and every later
appointment of the same patient request (a rebooking, whoever makes it):
- `SlotBooked` origin sas, request never reported: a new platform appointment (POST) naming the
  regulator who booked (`FrAppointmentOperator`);
- `SlotBooked` (any origin) for a request whose SAS appointment was cancelled or lost its slot:
  the same platform appointment rescheduled (PUT, same identifier, status booked, new times,
  still naming the SAS regulator who booked it — an operator or coordinator rebooking it does
  not replace them);
- `AppointmentNeedsRebooking` (the effector moved or removed the slot): PUT cancelled at once —
  the platform must never keep a time that no longer exists — then, if the patient is rebooked,
  the PUT above;
- `AppointmentCancelled`: PUT cancelled;
- `AppointmentMoved` (same appointment, another slot of the same effector): PUT with the new
  times, same identifier;
- `AppointmentOutcomeRecorded`: PUT fulfilled or noshow (a correction sends the new status).
Each push is an outbox row written in the transaction of the change (`outbox.enqueue`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda import AppointmentOutcomeRecorded
from sas.fhir import prefixed
from sas.models import SasAppointment
from sas.outbox import appointment_system, enqueue
from sas.practitioners import operator_of_user
from snp import events
from snp.db import utcnow
from snp.settings import settings_of

SAS_ORIGIN = "sas"


async def _row(session: AsyncSession, appointment_id: str) -> SasAppointment | None:
    return await session.get(SasAppointment, appointment_id)


async def _reported_before(session: AsyncSession, request_id: int | None) -> SasAppointment | None:
    """The latest SAS appointment of this request, when it no longer holds a slot."""
    if request_id is None:
        return None
    latest = await session.scalar(
        select(SasAppointment)
        .where(SasAppointment.request_id == request_id)
        .order_by(SasAppointment.booked_at.desc(), SasAppointment.start_at.desc())
        .limit(1)
    )
    if latest is None or (latest.status != "cancelled" and not latest.awaiting_rebooking):
        return None
    return latest


@events.on(agenda.SlotBooked)
async def on_slot_booked(session: AsyncSession, event: agenda.SlotBooked) -> None:
    previous = await _reported_before(session, event.request_id)
    if previous is None and event.origin != SAS_ORIGIN:
        return
    facts = await agenda.sas_appointment_facts(session, event.appointment_id)
    effector = prefixed(facts.effector_national_id, facts.effector_national_id_kind)
    if previous is not None:  # a reschedule of the same platform appointment
        previous.awaiting_rebooking = False
        row = SasAppointment(
            appointment_id=facts.id,
            identifier=previous.identifier,
            identifier_system=previous.identifier_system,
            request_id=facts.request_id,
            booked_by_user_id=previous.booked_by_user_id,
            effector_national_id=effector,
            operator_type=previous.operator_type,
            operator_value=previous.operator_value,
            status="booked",
            start_at=facts.start_at,
            end_at=facts.end_at,
            booked_at=previous.booked_at,
            awaiting_rebooking=False,
        )
    else:
        operator = await operator_of_user(session, facts.booked_by_user_id)
        row = SasAppointment(
            appointment_id=facts.id,
            identifier=facts.id,
            identifier_system=appointment_system(settings_of(session)),
            request_id=facts.request_id,
            booked_by_user_id=facts.booked_by_user_id,
            effector_national_id=effector,
            operator_type=operator[0] if operator else None,
            operator_value=operator[1] if operator else None,
            status="booked",
            start_at=facts.start_at,
            end_at=facts.end_at,
            booked_at=facts.created_at,
            awaiting_rebooking=False,
        )
    session.add(row)
    await session.flush()
    await enqueue(session, row, settings_of(session))


@events.on(agenda.AppointmentCancelled)
async def on_cancelled(session: AsyncSession, event: agenda.AppointmentCancelled) -> None:
    row = await _row(session, event.appointment_id)
    if row is None:
        return
    row.awaiting_rebooking = False
    if row.status == "cancelled":  # already reported when its slot went away
        return
    row.status = "cancelled"
    await enqueue(session, row, settings_of(session))


@events.on(AppointmentOutcomeRecorded)
async def on_outcome(session: AsyncSession, event: AppointmentOutcomeRecorded) -> None:
    row = await _row(session, event.appointment_id)
    if row is None or event.outcome not in ("fulfilled", "noshow") or row.status == event.outcome:
        return
    if (event.recorded_at or utcnow()) < event.start_at:  # never about one still to come
        return
    row.status = event.outcome
    await enqueue(session, row, settings_of(session))


@events.on(agenda.AppointmentNeedsRebooking)
async def on_needs_rebooking(
    session: AsyncSession, event: agenda.AppointmentNeedsRebooking
) -> None:
    row = await _row(session, event.appointment_id)
    if row is None or row.status != "booked":
        return
    row.awaiting_rebooking = True
    row.status = "cancelled"
    await enqueue(session, row, settings_of(session))


@events.on(agenda.AppointmentMoved)
async def on_moved(session: AsyncSession, event: agenda.AppointmentMoved) -> None:
    row = await _row(session, event.appointment_id)
    if row is None or row.status != "booked":
        return
    row.start_at = event.to_start_at
    row.end_at = event.to_end_at
    await enqueue(session, row, settings_of(session))
