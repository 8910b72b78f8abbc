"""The booking journey: hold a candidate slot, confirm it with the patient, or give it back.

Only the operator (or regulator) holding the request's claim may call these (403 otherwise).
"""

from __future__ import annotations

from fastapi import Request, Response, status

import agenda
from regulation.api.deps import Staff, regulation_router
from regulation.schemas_booking import (
    BookingOut,
    MoveAppointmentIn,
    ReleaseHoldIn,
    ReleaseHoldOut,
    RequestHoldOut,
    SlotChoiceIn,
)
from regulation.service import booking, moves
from snp import idempotency
from snp.deps import SessionDep, SettingsDep
from snp.idempotency import IdempotencyKeyHeader

router = regulation_router()


@router.post("/requests/{request_id}/hold")
async def hold_slot(
    request_id: int, body: SlotChoiceIn, session: SessionDep, settings: SettingsDep, actor: Staff
) -> RequestHoldOut:
    """Hold the slot a few minutes (setting `hold_ttl_seconds`) while the patient confirms.

    409 when someone else just took it; 422 when it does not suit the patient."""
    return await booking.hold_slot(
        session, actor, request_id, body.slot_id, kind=body.kind, settings=settings
    )


@router.post(
    "/requests/{request_id}/confirm",
    status_code=status.HTTP_201_CREATED,
    response_model=BookingOut,
)
async def confirm_booking(
    request: Request,
    request_id: int,
    body: SlotChoiceIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Staff,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Book the held slot: the appointment is created and the request closed (`slot_booked`).

    409 when the hold expired or someone else got the slot. Sent again with the same
    `Idempotency-Key`, returns the first answer."""
    return await idempotency.once(
        session,
        request,
        actor,
        idempotency_key,
        status.HTTP_201_CREATED,
        lambda: booking.confirm_booking(
            session, actor, request_id, body.slot_id, kind=body.kind, settings=settings
        ),
    )


@router.post("/requests/{request_id}/release-hold")
async def release_hold(
    request_id: int, body: ReleaseHoldIn, session: SessionDep, actor: Staff
) -> ReleaseHoldOut:
    """Give the held slot back (the patient declined)."""
    return await booking.release_hold(session, actor, request_id, body.slot_id)


@router.post("/requests/{request_id}/move-appointment")
async def move_appointment(
    request_id: int, body: MoveAppointmentIn, session: SessionDep, actor: Staff
) -> agenda.AppointmentOut:
    """Move the request's booked appointment to another free slot of the same GP, open to the
    regulation (patient and GP told by SMS, the move written in the request's history).

    409 when the slot was just taken or the request has no booked appointment."""
    return await moves.move_request_appointment(
        session,
        actor,
        request_id,
        body.slot_id,
        reason=body.reason,
        allow_other_site=body.allow_other_site,
    )
