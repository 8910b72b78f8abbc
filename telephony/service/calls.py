"""Inbound calls, from the line's first webhook to their end.

- `call_arrived`: a call rings the CPTS number. Out of hours or with nobody on duty it ends
  after a message and becomes a callback task; otherwise it waits in the queue.
- `claim_call`, then `confirm_taken` or `release_claim`: one operator takes a waiting call: a
  single conditional UPDATE (0 rows: someone else was quicker), committed; then the line puts
  the caller through to the operator's phone, outside any transaction; then a second short
  transaction records the outcome, or gives the call back to the queue if the line refused.
- `call_finished`: the provider says the call ended (or the caller left the queue): a waiting
  caller becomes a callback task, a conversation puts its operator in wrap-up.
- `set_outcome`: what the call became (request created or linked, advice only, wrong number).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from regulation import phone_histories, request_facts
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Forbidden
from snp.settings import Settings, settings_of
from telephony.errors import CallAlreadyTaken, CallNotFound, CallNotWaiting
from telephony.events import CallEnded, CallTaken, CallWaiting
from telephony.models import CallOutcome, CallState, Direction, PhoneCall
from telephony.schemas import TakenOut, shown_number
from telephony.service import hours, presence, tasks

log = logging.getLogger(__name__)

ENTITY = "phone_call"


class Answer(enum.StrEnum):
    QUEUED = "queued"
    OUT_OF_HOURS = "out_of_hours"
    NO_OPERATOR = "no_operator"
    ENDED = "ended"  # the provider asked again about a call already over


@dataclass(frozen=True, slots=True)
class Arrival:
    call_id: int
    answer: Answer


def _seconds(start: datetime | None, end: datetime) -> int | None:
    return None if start is None else max(0, round((end - start).total_seconds()))


async def by_sid(session: AsyncSession, sid: str) -> PhoneCall | None:
    return (await session.scalars(select(PhoneCall).where(PhoneCall.sid == sid))).first()


async def get_call(session: AsyncSession, call_id: int) -> PhoneCall:
    row = await session.get(PhoneCall, call_id)
    if row is None:
        raise CallNotFound("Appel introuvable.", ("path", "call_id"))
    return row


async def _end_missed(
    session: AsyncSession, row: PhoneCall, outcome: CallOutcome, now: datetime, settings: Settings
) -> None:
    row.state = CallState.ENDED
    row.outcome = outcome
    row.ended_at = now
    row.wait_seconds = _seconds(row.arrived_at, now)
    row.callback_task_id = await tasks.record_missed(
        session, row.from_number, outcome, row.arrived_at, settings
    )
    await session.flush()
    await events.emit(session, CallEnded(row.id, outcome))


async def call_arrived(
    session: AsyncSession,
    *,
    sid: str,
    from_number: str,
    settings: Settings,
    now: datetime | None = None,
) -> Arrival:
    """Record the call (once: the provider may post the same webhook again) and decide."""
    now = now or utcnow()
    existing = await by_sid(session, sid)
    if existing is not None:
        if existing.state != CallState.WAITING:
            return Arrival(existing.id, Answer.ENDED)
        return Arrival(existing.id, Answer.QUEUED)
    # Every read before the first write: on SQLite the write lock (one writer at a time) is
    # then held for the INSERT and the COMMIT only, not across further round trips.
    missed: CallOutcome | None = None
    if not hours.is_open(settings, now):
        missed = CallOutcome.OUT_OF_HOURS
    elif not await presence.anyone_on_duty(session, now):
        missed = CallOutcome.NO_OPERATOR
    row = PhoneCall(
        sid=sid,
        direction=Direction.INBOUND,
        from_number=(from_number or "anonymous")[:32],
        state=CallState.WAITING,
        arrived_at=now,
    )
    session.add(row)
    await session.flush()
    if missed == CallOutcome.OUT_OF_HOURS:
        await _end_missed(session, row, missed, now, settings)
        return Arrival(row.id, Answer.OUT_OF_HOURS)
    if missed == CallOutcome.NO_OPERATOR:
        await _end_missed(session, row, missed, now, settings)
        return Arrival(row.id, Answer.NO_OPERATOR)
    await events.emit(session, CallWaiting(row.id))
    return Arrival(row.id, Answer.QUEUED)


async def queue_position(session: AsyncSession, call_id: int) -> int:
    row = await get_call(session, call_id)
    ahead = await session.scalar(
        select(func.count())
        .select_from(PhoneCall)
        .where(
            PhoneCall.state == CallState.WAITING,
            PhoneCall.direction == Direction.INBOUND,
            PhoneCall.arrived_at <= row.arrived_at,
            PhoneCall.id <= row.id,
        )
    )
    return max(1, int(ahead or 0))


@dataclass(frozen=True, slots=True)
class Claim:
    """A waiting call claimed by one operator, committed before the line is asked to put it
    through (`connect`), so no transaction is open during the provider's REST call."""

    call_id: int
    sid: str
    target: str  # the operator's phone
    user_id: int
    at: datetime
    taken: TakenOut


async def claim_call(
    session: AsyncSession, actor: Actor, call_id: int, *, now: datetime | None = None
) -> Claim:
    """Exactly one operator gets a waiting call, even with several consoles clicking at once:
    one conditional UPDATE (0 rows: someone else was quicker, or the caller hung up)."""
    now = now or utcnow()
    assert actor.user_id is not None  # the route's policy: a logged-in account
    target = await presence.phone_of(session, actor.user_id)
    # Reads first (the caller's history too), so that on SQLite the write lock taken by the
    # claim below is held for that UPDATE and the COMMIT only.
    row = await get_call(session, call_id)
    number, sid, arrived_at = row.from_number, row.sid, row.arrived_at
    history = (await phone_histories(session, [number])).get(number)
    taken = await session.execute(
        update(PhoneCall)
        .where(
            PhoneCall.id == call_id,
            PhoneCall.state == CallState.WAITING,
            PhoneCall.direction == Direction.INBOUND,
        )
        .values(
            state=CallState.CONNECTED,
            operator_user_id=actor.user_id,
            answered_at=now,
            wait_seconds=_seconds(arrived_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        await session.refresh(row)
        if row.state == CallState.CONNECTED:
            raise CallAlreadyTaken(
                "Cet appel vient d'être pris par un autre opérateur.", ("path", "call_id")
            )
        raise CallNotWaiting("L'appelant a raccroché.", ("path", "call_id"))
    session.expire(row)  # the UPDATE bypassed the identity map
    return Claim(
        call_id=call_id,
        sid=sid,
        target=target,
        user_id=actor.user_id,
        at=now,
        taken=TakenOut(
            call_id=call_id,
            number=number,
            number_display=shown_number(number),
            open_request_id=history.open_request_id if history else None,
        ),
    )


async def confirm_taken(session: AsyncSession, actor: Actor, claim: Claim) -> TakenOut:
    """The line put the caller through: the operator is on the call, the caller's callback
    tasks are closed, the read is audited and the consoles are told."""
    row = await get_call(session, claim.call_id)
    if row.state == CallState.CONNECTED and row.operator_user_id == claim.user_id:
        # (A status callback may have ended the call meanwhile: wrap-up then stands.)
        await presence.on_call(session, claim.user_id, claim.at)
    await tasks.close_tasks_of(session, claim.taken.number, user_id=claim.user_id, at=claim.at)
    await audit.read(session, actor, ENTITY, claim.call_id)
    await session.flush()
    await events.emit(session, CallTaken(claim.call_id, claim.user_id))
    return claim.taken


async def release_claim(
    session: AsyncSession, actor: Actor, claim: Claim, *, reason: str, now: datetime | None = None
) -> None:
    """The line refused (or did not answer in time) to put the caller through: the call goes
    back to waiting, for anyone to take, and the failure is recorded. If the caller hung up
    meanwhile (the status callback ended the call), the call becomes what it was, an abandoned
    call with its callback task: it is never lost."""
    now = now or utcnow()
    log.warning("call %s: the line did not put it through (%s)", claim.call_id, reason)
    await audit.record(session, actor, "line_refused", ENTITY, claim.call_id, reason)
    released = await session.execute(
        update(PhoneCall)
        .where(
            PhoneCall.id == claim.call_id,
            PhoneCall.state == CallState.CONNECTED,
            PhoneCall.operator_user_id == claim.user_id,
        )
        .values(state=CallState.WAITING, operator_user_id=None, answered_at=None, wait_seconds=None)
        .execution_options(synchronize_session=False)
    )
    if released.rowcount == 1:  # type: ignore[attr-defined]
        await session.flush()
        await events.emit(session, CallWaiting(claim.call_id))
        return
    row = await get_call(session, claim.call_id)
    await session.refresh(row)
    if (
        row.state == CallState.ENDED
        and row.operator_user_id == claim.user_id
        and row.outcome is None
        and row.callback_task_id is None
    ):
        row.operator_user_id = None
        row.answered_at = None
        row.duration_seconds = None
        ended = row.ended_at or now
        await _end_missed(session, row, CallOutcome.ABANDONED, ended, settings_of(session))


async def call_finished(
    session: AsyncSession,
    *,
    row: PhoneCall,
    settings: Settings,
    now: datetime | None = None,
    duration: int | None = None,
) -> None:
    """The call is over (status callback, the caller leaving the queue, or the console)."""
    now = now or utcnow()
    if row.direction != Direction.INBOUND:
        return
    if row.state == CallState.WAITING:
        await _end_missed(session, row, CallOutcome.ABANDONED, now, settings)
        return
    if row.state == CallState.CONNECTED:
        row.state = CallState.ENDED
        row.ended_at = now
        row.duration_seconds = duration if duration is not None else _seconds(row.answered_at, now)
        await session.flush()
        if row.operator_user_id is not None:
            await presence.wrap_up(session, row.operator_user_id, now, settings)
        await events.emit(session, CallEnded(row.id, row.outcome, row.request_id))


async def operator_unreachable(
    session: AsyncSession, *, row: PhoneCall, settings: Settings, now: datetime | None = None
) -> None:
    """The operator's phone did not answer the transfer: the caller becomes a callback task,
    and the operator is set away (their phone is not answering)."""
    now = now or utcnow()
    if row.state == CallState.ENDED:
        return
    operator = row.operator_user_id
    row.operator_user_id = None
    row.answered_at = None
    await _end_missed(session, row, CallOutcome.NO_OPERATOR, now, settings)
    if operator is not None:
        await presence.unreachable(session, operator, now)


async def set_outcome(
    session: AsyncSession,
    actor: Actor,
    call_id: int,
    outcome: CallOutcome,
    *,
    request_id: int | None = None,
) -> PhoneCall:
    """What the call became, said by its operator (or a coordinator)."""
    row = await get_call(session, call_id)
    if row.operator_user_id != actor.user_id and not actor.has(Role.COORDINATOR):
        raise Forbidden("Seul l'opérateur qui a pris l'appel peut en dire l'issue.")
    if row.direction != Direction.INBOUND or row.answered_at is None:
        raise CallNotWaiting(
            "Cet appel n'a pas été pris : son issue est fixée.", ("path", "call_id")
        )
    if request_id is not None and await request_facts(session, request_id) is None:
        raise CallNotFound("Demande introuvable.", ("body", "request_id"))
    row.outcome = outcome
    if request_id is not None:
        row.request_id = request_id
    await audit.changed(session, actor, ENTITY, row.id, ["outcome", "request_id"])
    await session.flush()
    await events.emit(session, CallEnded(row.id, row.outcome, row.request_id))
    return row


async def hang_up(
    session: AsyncSession,
    actor: Actor,
    call_id: int,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> PhoneCall:
    """The operator ends the conversation from the console (console backend; on Twilio the
    status callback does it when a phone hangs up)."""
    row = await get_call(session, call_id)
    if row.operator_user_id != actor.user_id and not actor.has(Role.COORDINATOR):
        raise Forbidden("Seul l'opérateur qui a pris l'appel peut le terminer.")
    await call_finished(session, row=row, settings=settings, now=now)
    return row


async def longest_waiting_offer(
    session: AsyncSession, *, now: datetime | None = None
) -> tuple[Actor, int] | None:
    """Automatic offer: the longest-waiting call and the longest-idle available operator (to
    be claimed by `claim_call`, like a click on « Prendre l'appel »)."""
    now = now or utcnow()
    # An operator whose claimed call may still be being put through (the line's REST call
    # comes after the claim's commit, lasts at most the Twilio timeout, and their presence
    # changes after it) is not available for another one.
    connecting_since = now - timedelta(seconds=settings_of(session).twilio_timeout_seconds + 5)
    connecting = await session.scalars(
        select(PhoneCall.operator_user_id).where(
            PhoneCall.state == CallState.CONNECTED,
            PhoneCall.direction == Direction.INBOUND,
            PhoneCall.answered_at >= connecting_since,
            PhoneCall.operator_user_id.is_not(None),
        )
    )
    busy = frozenset(user_id for user_id in connecting if user_id is not None)
    operator = await presence.longest_idle_available(session, now, busy=busy)
    if operator is None:
        return None
    call_id = await session.scalar(
        select(PhoneCall.id)
        .where(PhoneCall.state == CallState.WAITING, PhoneCall.direction == Direction.INBOUND)
        .order_by(PhoneCall.arrived_at, PhoneCall.id)
        .limit(1)
    )
    if call_id is None:
        return None
    return Actor(operator.user_id, "telephonie", Role.OPERATOR), call_id
