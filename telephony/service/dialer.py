"""« Rappeler »: the operator's phone rings first, then the line dials the patient with the CPTS
number as caller ID. The call-back's row is committed before the line's REST call (no
transaction open meanwhile: `start_call_back`), then `call_back_placed` or `call_back_failed`.
How the patient's side ended (answered, no answer, busy, duration) is logged as a callback
attempt of the request, so regulation's "unreachable" rule keeps working;
an answered call-back closes the caller's callback tasks."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from regulation import CallbackResult, get_contact, log_callback_attempt
from snp import audit, auth, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import DomainError
from snp.settings import Settings
from telephony.errors import CallNotFound, InvalidPhone
from telephony.events import CallEnded, CallTaken
from telephony.models import CallOutcome, CallState, Direction, PhoneCall
from telephony.schemas import OUTCOME_LABELS
from telephony.service import presence, tasks
from telephony.service.calls import ENTITY, get_call

log = logging.getLogger(__name__)

# The provider's DialCallStatus -> what happened on the patient's side.
DIAL_RESULTS: dict[str, CallOutcome] = {
    "completed": CallOutcome.REACHED,
    "answered": CallOutcome.REACHED,
    "busy": CallOutcome.BUSY,
    "no-answer": CallOutcome.NO_ANSWER,
    "failed": CallOutcome.NO_ANSWER,
    "canceled": CallOutcome.NO_ANSWER,
}
ATTEMPT_RESULTS = {
    CallOutcome.REACHED: CallbackResult.REACHED,
    CallOutcome.BUSY: CallbackResult.BUSY,
    CallOutcome.NO_ANSWER: CallbackResult.NO_ANSWER,
}


@dataclass(frozen=True, slots=True)
class Dialling:
    """A « Rappeler » recorded (committed) before the line is asked to place it, so no
    transaction is open during the provider's REST call."""

    call_id: int
    operator_phone: str
    number: str
    user_id: int
    at: datetime


async def start_call_back(
    session: AsyncSession,
    actor: Actor,
    *,
    request_id: int | None = None,
    task_id: int | None = None,
    now: datetime | None = None,
) -> Dialling:
    """Checks, then the call-back's row (its provider id comes once the line placed it)."""
    now = now or utcnow()
    assert actor.user_id is not None  # the route's policy: a logged-in account
    if (request_id is None) == (task_id is None):
        raise InvalidPhone("Rappeler une demande ou une tâche de rappel.", ("body", "request_id"))
    operator_phone = await presence.phone_of(session, actor.user_id)
    number: str | None
    if request_id is not None:
        contact = await get_contact(session, request_id, reader=actor)
        if contact is None:
            raise CallNotFound("Demande introuvable.", ("body", "request_id"))
        number = contact.phone
    else:
        assert task_id is not None
        number = (await tasks.get_task(session, task_id)).from_number
    if not number or not tasks.callable_number(number):
        raise InvalidPhone("Pas de numéro à rappeler.", ("body", "request_id"))
    row = PhoneCall(
        sid=f"pending-{uuid.uuid4().hex}",
        direction=Direction.CALLBACK,
        from_number=number,
        state=CallState.CONNECTED,
        arrived_at=now,
        operator_user_id=actor.user_id,
        request_id=request_id,
        callback_task_id=task_id,
    )
    session.add(row)
    await session.flush()
    await audit.created(session, actor, ENTITY, row.id)
    return Dialling(row.id, operator_phone, number, actor.user_id, now)


async def call_back_placed(
    session: AsyncSession, actor: Actor, dialling: Dialling, sid: str
) -> PhoneCall:
    """The line placed the call: its provider id is kept, the operator is on a call."""
    row = await get_call(session, dialling.call_id)
    row.sid = sid
    if row.state == CallState.CONNECTED:  # (a status callback may have ended it meanwhile)
        await presence.on_call(session, dialling.user_id, dialling.at)
    await session.flush()
    await events.emit(session, CallTaken(row.id, dialling.user_id))
    return row


async def call_back_failed(
    session: AsyncSession,
    actor: Actor,
    dialling: Dialling,
    *,
    reason: str,
    now: datetime | None = None,
) -> None:
    """The line refused (or did not answer in time) to place the call: it ends without an
    attempt (as when the operator's phone does not answer) and the failure is recorded."""
    now = now or utcnow()
    log.warning("call-back %s: the line did not place it (%s)", dialling.call_id, reason)
    await audit.record(session, actor, "line_refused", ENTITY, dialling.call_id, reason)
    row = await get_call(session, dialling.call_id)
    if row.state != CallState.ENDED:
        row.state = CallState.ENDED
        row.ended_at = now
        row.duration_seconds = 0
    await session.flush()
    await events.emit(session, CallEnded(row.id, row.outcome, row.request_id))


async def _operator(session: AsyncSession, user_id: int | None) -> Actor:
    account = await auth.get_account(session, user_id) if user_id is not None else None
    if account is None:
        return Actor.system("telephonie")
    return Actor(account.id, account.email, Role(account.role))


def _duration_note(outcome: CallOutcome, seconds: int) -> str:
    label = OUTCOME_LABELS[outcome]
    if outcome != CallOutcome.REACHED:
        return f"Rappel par la ligne de la CPTS : {label.lower()}."
    minutes, rest = divmod(seconds, 60)
    return f"Rappel par la ligne de la CPTS : patient joint, {minutes} min {rest:02d} s."


async def patient_leg_ended(
    session: AsyncSession,
    *,
    call_id: int,
    dial_status: str,
    duration: int,
    settings: Settings,
    now: datetime | None = None,
) -> PhoneCall:
    """How the patient's side ended: the call is closed and the attempt logged (once)."""
    now = now or utcnow()
    row = await get_call(session, call_id)
    if row.direction != Direction.CALLBACK or row.state == CallState.ENDED:
        return row
    outcome = DIAL_RESULTS.get(dial_status.lower(), CallOutcome.NO_ANSWER)
    if outcome == CallOutcome.REACHED and duration <= 0:
        duration = 0
    row.state = CallState.ENDED
    row.outcome = outcome
    row.ended_at = now
    row.duration_seconds = duration if outcome == CallOutcome.REACHED else 0
    if outcome == CallOutcome.REACHED:
        row.answered_at = now - timedelta(seconds=duration)
        row.wait_seconds = None
        await tasks.close_tasks_of(
            session,
            row.from_number,
            user_id=row.operator_user_id,
            at=now,
            request_id=row.request_id,
        )
    await session.flush()
    if row.request_id is not None:
        actor = await _operator(session, row.operator_user_id)
        try:
            # Its checks (request open, not held by someone else) come before any write.
            await log_callback_attempt(
                session,
                actor,
                row.request_id,
                ATTEMPT_RESULTS[outcome],
                settings=settings,
                note=_duration_note(outcome, row.duration_seconds or 0),
                now=now,
            )
        except DomainError as exc:  # the request closed or changed hands meanwhile
            log.warning("call-back %s: attempt not logged (%s)", row.id, type(exc).__name__)
    if row.operator_user_id is not None:
        await presence.wrap_up(session, row.operator_user_id, now, settings)
    await events.emit(session, CallEnded(row.id, row.outcome, row.request_id))
    return row


async def operator_leg_ended(
    session: AsyncSession, *, call_id: int, settings: Settings, now: datetime | None = None
) -> None:
    """The operator's phone hung up (status callback of a call-back). If the patient was never
    dialled (the operator did not answer), the call ends without an attempt."""
    now = now or utcnow()
    row = await get_call(session, call_id)
    if row.direction != Direction.CALLBACK or row.state == CallState.ENDED:
        return
    row.state = CallState.ENDED
    row.ended_at = now
    row.duration_seconds = 0
    await session.flush()
    if row.operator_user_id is not None:
        await presence.wrap_up(session, row.operator_user_id, now, settings)
    await events.emit(session, CallEnded(row.id, row.outcome, row.request_id))
