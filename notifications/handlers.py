"""Event handlers: the agenda's events become SMS rows in the same transaction.

Imported once by the composition root (`snp/app.py`), which registers them with `snp.events`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentCancelled, AppointmentNeedsRebooking, SlotBooked
from notifications.service import messages
from snp import events


@events.on(SlotBooked)
async def notify_booking(session: AsyncSession, event: SlotBooked) -> None:
    """Effector told at once (or after quiet hours), patient confirmation and reminder."""
    await messages.on_slot_booked(session, event)


@events.on(AppointmentCancelled)
async def notify_cancellation(session: AsyncSession, event: AppointmentCancelled) -> None:
    await messages.on_appointment_cancelled(session, event)


@events.on(AppointmentNeedsRebooking)
async def notify_rebooking(session: AsyncSession, event: AppointmentNeedsRebooking) -> None:
    await messages.on_needs_rebooking(session, event)
