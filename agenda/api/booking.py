"""Booking: hold a slot, confirm or release it; cancel and list appointments.

The holder of an API hold is the logged-in user (`user:<id>`): only they can confirm it.
SAS regulators book and cancel only through the SAS routes (`/api/sas`), which keep them to the
slots shared with the SAS and to their own appointments. An appointment for a regulation
request is booked from that request (`/api/regulation/requests/<id>/confirm`, which checks it):
this generic route books appointments without request only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from agenda.schemas import (
    AppointmentOut,
    AppointmentState,
    CancelIn,
    ConfirmIn,
    HoldOut,
    MoveIn,
)
from agenda.service import appointments, booking, moves
from snp import idempotency
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.errors import BusinessRuleError
from snp.idempotency import IdempotencyKeyHeader

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

Booker = Annotated[Actor, Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR))]
Canceller = Annotated[
    Actor,
    Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR, Role.EFFECTOR)),
]
Mover = Canceller
AppointmentReader = Annotated[
    Actor, Depends(require_roles(Role.EFFECTOR, Role.COORDINATOR, Role.OPERATOR))
]


def holder_of(actor: Actor) -> str:
    return f"user:{actor.user_id}"


@router.post("/slots/{slot_id}/hold")
async def hold_slot(
    session: SessionDep, settings: SettingsDep, actor: Booker, slot_id: int
) -> HoldOut:
    """Hold a free slot for a few minutes (setting `hold_ttl_seconds`) while booking it.

    409 when someone else just took it. Holding it again extends your hold."""
    return await booking.hold(
        session, slot_id, holder_of(actor), timedelta(seconds=settings.hold_ttl_seconds)
    )


@router.post(
    "/slots/{slot_id}/confirm",
    status_code=status.HTTP_201_CREATED,
    response_model=AppointmentOut,
)
async def confirm_slot(
    request: Request,
    session: SessionDep,
    actor: Booker,
    slot_id: int,
    body: ConfirmIn,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Turn your hold into an appointment. 409 when the hold expired or someone else has it.

    `request_id` is refused (422): a request's appointment is booked from the request.
    Sent again with the same `Idempotency-Key`, returns the first answer."""
    if body.request_id is not None:
        raise BusinessRuleError(
            "Un rendez-vous pour une demande se prend depuis cette demande (régulation).",
            ("body", "request_id"),
        )
    return await idempotency.once(
        session,
        request,
        actor,
        idempotency_key,
        status.HTTP_201_CREATED,
        lambda: booking.confirm(
            session,
            slot_id,
            holder_of(actor),
            request_id=None,
            patient_label=body.patient_label,
            kind=body.kind,
            origin=booking.ORIGIN_OF_ROLE.get(actor.role, "operator") if actor.role else "operator",
            booked_by_user_id=actor.user_id,
            actor=actor,
        ),
    )


@router.post("/slots/{slot_id}/release", status_code=status.HTTP_204_NO_CONTENT)
async def release_slot(session: SessionDep, actor: Booker, slot_id: int) -> Response:
    """Give your hold back (nothing happens if you do not hold the slot)."""
    await booking.release(session, slot_id, holder_of(actor))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/appointments/{appointment_id}/cancel")
async def cancel_appointment(
    session: SessionDep, actor: Canceller, appointment_id: str, body: CancelIn
) -> AppointmentOut:
    """Cancel an appointment, as yourself or on the patient's behalf (`by: "patient"`).

    The slot is free again if it has not started. An effector cancels only their own."""
    return await appointments.cancel(
        session,
        appointment_id,
        by=body.by or appointments.canceller_of(actor),
        reason=body.reason,
        actor=actor,
    )


@router.post("/appointments/{appointment_id}/move")
async def move_appointment(
    session: SessionDep, actor: Mover, appointment_id: str, body: MoveIn
) -> AppointmentOut:
    """Move a booked appointment to another free slot of the same effector (patient and GP
    told by SMS). An effector moves only their own, into any of their slots; staff move any,
    into slots open to the regulation. 409 when the slot was just taken."""
    return await moves.move_appointment(
        session,
        appointment_id,
        body.slot_id,
        actor=actor,
        reason=body.reason,
        allow_other_site=body.allow_other_site,
    )


@router.get("/appointments")
async def list_appointments(
    session: SessionDep,
    actor: AppointmentReader,
    start: Annotated[datetime, Query(description="Début de la période, avec fuseau horaire.")],
    end: Annotated[datetime, Query(description="Fin de la période (93 jours au plus).")],
    effector_id: Annotated[
        int | None, Query(description="Par défaut, pour un effecteur : le sien.")
    ] = None,
    status_: Annotated[
        list[AppointmentState] | None, Query(alias="status", description="Par défaut : booked.")
    ] = None,
) -> list[AppointmentOut]:
    """Booked patients (minimum necessary: label, kind, site) starting in the period."""
    return await appointments.list_appointments(
        session,
        actor,
        effector_id=effector_id,
        start=start,
        end=end,
        statuses=frozenset(status_ or ["booked"]),
    )
