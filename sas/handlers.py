"""The SAS adapter's reactions to the agenda's events (registered from the composition root).

Only appointments taken by SAS regulators (origin `sas`) concern the platform:
- `SlotBooked` (origin sas): a new platform appointment (POST), or, when the patient of a SAS
  appointment whose slot was removed is rebooked, an update of that same platform appointment
  with the new times (a reschedule: PUT, status booked);
- `AppointmentCancelled`: PUT cancelled;
- `AppointmentOutcomeRecorded`: PUT fulfilled or noshow (a correction sends the new status);
- `AppointmentNeedsRebooking`: remembered, pushed when the patient gets another slot.
Each push is an outbox row written in the transaction of the change (`outbox.enqueue`).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda import AppointmentOutcomeRecorded
from sas.fhir import prefixed
from sas.models import SasAppointment
from sas.outbox import enqueue
from sas.practitioners import operator_of_user
from snp import events
from snp.db import utcnow
from snp.settings import get_settings

SAS_ORIGIN = "sas"


async def _row(session: AsyncSession, appointment_id: str) -> SasAppointment | None:
    return await session.get(SasAppointment, appointment_id)


@events.on(agenda.SlotBooked)
async def on_slot_booked(session: AsyncSession, event: agenda.SlotBooked) -> None:
    if event.origin != SAS_ORIGIN:
        return
    facts = await agenda.sas_appointment_facts(session, event.appointment_id)
    previous = None
    if event.request_id is not None:
        previous = await session.scalar(
            select(SasAppointment)
            .where(
                SasAppointment.request_id == event.request_id,
                SasAppointment.awaiting_rebooking.is_(True),
            )
            .limit(1)
        )
    if previous is not None:  # a reschedule of the same platform appointment
        previous.awaiting_rebooking = False
        row = SasAppointment(
            appointment_id=facts.id,
            identifier=previous.identifier,
            request_id=facts.request_id,
            effector_national_id=prefixed(
                facts.effector_national_id, facts.effector_national_id_kind
            ),
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
            request_id=facts.request_id,
            effector_national_id=prefixed(
                facts.effector_national_id, facts.effector_national_id_kind
            ),
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
    await enqueue(session, row, get_settings())


@events.on(agenda.AppointmentCancelled)
async def on_cancelled(session: AsyncSession, event: agenda.AppointmentCancelled) -> None:
    row = await _row(session, event.appointment_id)
    if row is None or row.status == "cancelled":
        return
    row.status = "cancelled"
    row.awaiting_rebooking = False
    await enqueue(session, row, get_settings())


@events.on(AppointmentOutcomeRecorded)
async def on_outcome(session: AsyncSession, event: AppointmentOutcomeRecorded) -> None:
    row = await _row(session, event.appointment_id)
    if row is None or event.outcome not in ("fulfilled", "noshow") or row.status == event.outcome:
        return
    if (event.recorded_at or utcnow()) < event.start_at:  # never about one still to come
        return
    row.status = event.outcome
    await enqueue(session, row, get_settings())


@events.on(agenda.AppointmentNeedsRebooking)
async def on_needs_rebooking(
    session: AsyncSession, event: agenda.AppointmentNeedsRebooking
) -> None:
    row = await _row(session, event.appointment_id)
    if row is not None:
        row.awaiting_rebooking = True
