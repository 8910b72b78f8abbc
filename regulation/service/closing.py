"""The end of a request: call-back attempts, orientation (booking) and the closing outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import ClosingRefused, MissingValue
from regulation.events import CallbackAttemptLogged, RequestClosed, RequestOriented
from regulation.models import (
    CallbackAttempt,
    CallbackResult,
    Orientation,
    Outcome,
    RequestStatus,
)
from regulation.schemas import CallbackAttemptOut, CallbackOut, RequestOut
from regulation.service.gates import ensure_bookable, ensure_may_close
from regulation.service.records import (
    ENTITY,
    clear_claim,
    display_name,
    ensure_not_held_by_other,
    ensure_open,
    failed_callbacks,
    get_row,
    log_step,
    to_detail,
)
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.settings import Settings


async def log_callback_attempt(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    result: CallbackResult,
    *,
    settings: Settings,
    note: str | None = None,
    now: datetime | None = None,
) -> CallbackOut:
    """Record a call to the patient (reached or not); after N failures "unreachable" may close."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_not_held_by_other(row, actor)
    name = await display_name(session, actor)
    attempt = CallbackAttempt(
        request_id=row.id,
        at=now,
        operator_user_id=actor.user_id,
        operator_name=name,
        result=result,
        note=note,
    )
    session.add(attempt)
    await session.flush()
    failed = await failed_callbacks(session, row.id)
    await audit.changed(session, actor, ENTITY, row.id, ["callback_attempts"])
    log_step(session, row.id, actor, name, "callback", at=now, result=result.value)
    await events.emit(session, CallbackAttemptLogged(row.id, result, failed, row.referrer_user_id))
    return CallbackOut(
        attempt=CallbackAttemptOut.model_validate(attempt),
        failed_attempts=failed,
        unreachable_allowed=failed >= settings.regulation_unreachable_after_attempts,
    )


async def mark_oriented(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    *,
    orientation: Orientation,
    consultation_at: datetime | None = None,
    appointment_id: str | None = None,
    now: datetime | None = None,
) -> RequestOut:
    """The patient has somewhere to go (the booking journey calls this after confirming)."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_not_held_by_other(row, actor)
    ensure_bookable(row)
    row.status = RequestStatus.ORIENTED
    row.orientation = orientation
    row.oriented_at = now
    row.consultation_at = consultation_at
    row.appointment_id = appointment_id
    clear_claim(row)
    fields = ["appointment_id", "consultation_at", "orientation", "oriented_at", "status"]
    await audit.changed(session, actor, ENTITY, row.id, fields)
    log_step(
        session,
        row.id,
        actor,
        await display_name(session, actor),
        "oriented",
        at=now,
        orientation=orientation.value,
        appointment_id=appointment_id,
    )
    await events.emit(
        session,
        RequestOriented(row.id, orientation, consultation_at, appointment_id, row.referrer_user_id),
    )
    await session.flush()
    return await to_detail(session, row, now)


async def close_request(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    outcome: Outcome,
    *,
    settings: Settings,
    note: str | None = None,
    now: datetime | None = None,
) -> RequestOut:
    """Close with an outcome. Rules: `no_slot_found` says what was tried, `unreachable` needs
    the configured number of failed call-backs, `slot_booked` needs a booking (oriented)."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_not_held_by_other(row, actor)
    ensure_may_close(row, actor, outcome, note)
    if outcome == Outcome.NO_SLOT_FOUND and not note:
        raise MissingValue(
            "Indiquez ce qui a été tenté (créneaux cherchés, effecteurs sollicités).",
            ("body", "note"),
        )
    if outcome == Outcome.UNREACHABLE:
        needed = settings.regulation_unreachable_after_attempts
        failed = await failed_callbacks(session, row.id)
        if failed < needed:
            raise ClosingRefused(
                f"Patient injoignable : {needed} tentatives de rappel sans réponse doivent être "
                f"consignées (actuellement {failed}).",
                ("body", "outcome"),
            )
    if outcome == Outcome.SLOT_BOOKED and row.status != RequestStatus.ORIENTED:
        raise ClosingRefused(
            "Aucun rendez-vous n'est réservé pour cette demande.", ("body", "outcome")
        )
    row.status = (
        RequestStatus.REDIRECTED_15 if outcome == Outcome.REDIRECTED_15 else RequestStatus.CLOSED
    )
    row.outcome = outcome
    row.outcome_note = note
    row.closed_at = now
    row.closed_by_user_id = actor.user_id
    clear_claim(row)
    fields = ["closed_at", "outcome", "status"] + (["outcome_note"] if note else [])
    await audit.changed(session, actor, ENTITY, row.id, fields)
    log_step(
        session,
        row.id,
        actor,
        await display_name(session, actor),
        "closed",
        at=now,
        outcome=outcome.value,
    )
    await events.emit(session, RequestClosed(row.id, row.status, outcome, row.referrer_user_id))
    await session.flush()
    return await to_detail(session, row, now)
