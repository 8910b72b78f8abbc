"""Regulation's reactions to events, run inside the emitter's transaction.

Imported once by the composition root (`composition/app.py`), which registers them with
`snp.events`.

- agenda `AppointmentCancelled` / `AppointmentNeedsRebooking`: the request goes back to the
  queue « à replanifier »; a slot freed by a cancellation is offered first to the waiting
  requests it fits.
- agenda `SlotBooked`: a freed slot offered to waiting requests is no longer offered.
- agenda `AppointmentMoved`: the request's consultation time follows and its timeline says so;
  the old slot, free again, is offered first to the waiting requests it fits.
- regulation's own `RequestReleased` (by hand, stale console, transfer), `RequestClosed`,
  `RequestRedirected15`, `RequestOriented`: a slot still held for the request is given back.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentCancelled, AppointmentMoved, AppointmentNeedsRebooking, SlotBooked
from regulation.events import RequestClosed, RequestOriented, RequestRedirected15, RequestReleased
from regulation.service import booking, moves, rebooking
from snp import events


@events.on(AppointmentCancelled)
async def rebook_cancelled(session: AsyncSession, event: AppointmentCancelled) -> None:
    exclude: tuple[int, ...] = ()
    if event.request_id is not None:
        await rebooking.reopen_for_rebooking(
            session,
            request_id=event.request_id,
            appointment_id=event.appointment_id,
            cause="cancelled",
            reason=event.reason,
            cancelled_by=event.by,
        )
        exclude = (event.request_id,)
    if event.slot_freed and event.slot_id is not None:
        await rebooking.offer_freed_slot(
            session,
            event.slot_id,
            effector_id=event.effector_id,
            start_at=event.start_at,
            exclude=exclude,
        )


@events.on(AppointmentNeedsRebooking)
async def rebook_moved(session: AsyncSession, event: AppointmentNeedsRebooking) -> None:
    if event.request_id is not None:
        await rebooking.reopen_for_rebooking(
            session,
            request_id=event.request_id,
            appointment_id=event.appointment_id,
            cause="slot_removed",
            reason=event.reason,
        )


@events.on(AppointmentMoved)
async def follow_moved(session: AsyncSession, event: AppointmentMoved) -> None:
    await moves.record_move(session, event)
    if event.old_slot_freed and event.from_slot_id is not None:
        await rebooking.offer_freed_slot(
            session,
            event.from_slot_id,
            effector_id=event.effector_id,
            start_at=event.from_start_at,
            exclude=(event.request_id,) if event.request_id is not None else (),
        )
    await rebooking.clear_offers(session, event.to_slot_id)


@events.on(SlotBooked)
async def withdraw_offers(session: AsyncSession, event: SlotBooked) -> None:
    await rebooking.clear_offers(session, event.slot_id)


async def _give_back_hold(
    session: AsyncSession,
    event: RequestReleased | RequestClosed | RequestRedirected15 | RequestOriented,
) -> None:
    await booking.give_back_hold(session, event.request_id)


events.on(RequestReleased)(_give_back_hold)
events.on(RequestClosed)(_give_back_hold)
events.on(RequestRedirected15)(_give_back_hold)
events.on(RequestOriented)(_give_back_hold)
