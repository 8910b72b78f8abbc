"""The read model follows the source packages through their events, inside the emitter's
transaction: every request or appointment event names a request or an appointment, whose facts
are re-read from its package (`sync.refresh`), so the rows are those `rebuild` would write; the
supply follows the slots' events (`supply`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

import regulation
from agenda import (
    AppointmentCancelled,
    AppointmentMoved,
    AppointmentNeedsRebooking,
    AppointmentOutcomeRecorded,
    SlotBooked,
    SlotsChanged,
)
from indicators import supply
from indicators.sync import forget_free_text, refresh, set_satisfaction
from notifications import SatisfactionRecorded
from snp import events

RequestEvent = (
    regulation.RequestReceived
    | regulation.RequestTriaged
    | regulation.RequestRedirected15
    | regulation.Redirect15Recorded
    | regulation.RequestClaimed
    | regulation.RequestReleased
    | regulation.RequestTransferred
    | regulation.RequestUpdated
    | regulation.RequestOriented
    | regulation.RequestClosed
    | regulation.CallbackAttemptLogged
    | regulation.RequestBooked
    | regulation.RequestToRebook
    | regulation.RequestEscalated
)
AppointmentEvent = (
    SlotBooked
    | AppointmentCancelled
    | AppointmentNeedsRebooking
    | AppointmentOutcomeRecorded
    | AppointmentMoved
)


async def on_request_event(session: AsyncSession, event: RequestEvent) -> None:
    await refresh(session, request_ids=[event.request_id])


async def on_appointment_event(session: AsyncSession, event: AppointmentEvent) -> None:
    await refresh(session, appointment_ids=[event.appointment_id])


async def on_slots_changed(session: AsyncSession, event: SlotsChanged) -> None:
    """Slots published, moved or removed: the supply figures move at once (no job)."""
    supply.slots_changed(session, event)


async def on_slot_booked(session: AsyncSession, event: SlotBooked) -> None:
    await supply.slot_taken(
        session, event.appointment_id, event.effector_id, event.start_at, taken=True
    )


async def on_appointment_cancelled(session: AsyncSession, event: AppointmentCancelled) -> None:
    if event.slot_freed:
        await supply.slot_taken(
            session, event.appointment_id, event.effector_id, event.start_at, taken=False
        )


async def on_satisfaction(session: AsyncSession, event: SatisfactionRecorded) -> None:
    """The patient's 1-5 answer to the SMS survey after a fulfilled consultation."""
    await set_satisfaction(session, event.appointment_id, event.score)


async def on_pseudonymised(session: AsyncSession, event: regulation.RequestsPseudonymised) -> None:
    """Retention: free text copied from pseudonymised requests (a cancellation reason that may
    name the patient) goes from the read model too; figures stay."""
    await forget_free_text(session, list(event.request_ids), list(event.appointment_ids))


events.on(SlotsChanged)(on_slots_changed)
events.on(SlotBooked)(on_slot_booked)
events.on(AppointmentCancelled)(on_appointment_cancelled)
events.on(SatisfactionRecorded)(on_satisfaction)
events.on(regulation.RequestsPseudonymised)(on_pseudonymised)
for _request_event in RequestEvent.__args__:
    events.on(_request_event)(on_request_event)
for _appointment_event in AppointmentEvent.__args__:
    events.on(_appointment_event)(on_appointment_event)
