"""What the consoles read: the board (waiting calls with who they probably are, calls in
progress, callback tasks, operators' presence) and the call log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation import PhoneHistory, phone_histories
from snp import auth
from snp.actor import Actor
from snp.db import utcnow
from snp.kit import PageParams, count_rows
from snp.settings import Settings
from telephony.errors import CallNotFound
from telephony.models import CallbackTask, CallState, Direction, PhoneCall
from telephony.schemas import (
    OUTCOME_LABELS,
    ActiveCallOut,
    BoardOut,
    CallerHints,
    CallOut,
    CallPage,
    TaskOut,
    WaitingCallOut,
    mask_number,
)
from telephony.service import hours, presence, tasks

NO_HISTORY = CallerHints(
    previous_requests=0, last_request_at=None, open_request_id=None, referrer_structure=None
)


def _hints(history: PhoneHistory | None) -> CallerHints:
    if history is None:
        return NO_HISTORY
    return CallerHints(
        previous_requests=history.previous_requests,
        last_request_at=history.last_request_at,
        open_request_id=history.open_request_id,
        referrer_structure=history.referrer_structure,
    )


async def _names(session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for user_id in sorted(user_ids):
        account = await auth.get_account(session, user_id)
        names[user_id] = account.full_name if account is not None else f"Compte {user_id}"
    return names


async def board(
    session: AsyncSession, actor: Actor, settings: Settings, now: datetime | None = None
) -> BoardOut:
    now = now or utcnow()
    live = list(
        await session.scalars(
            select(PhoneCall)
            .where(PhoneCall.state.in_((CallState.WAITING, CallState.CONNECTED)))
            .order_by(PhoneCall.arrived_at, PhoneCall.id)
            .limit(500)
        )
    )
    waiting = [c for c in live if c.state == CallState.WAITING and c.direction == Direction.INBOUND]
    active = [c for c in live if c not in waiting]
    open_tasks = await tasks.open_tasks(session)
    histories = await phone_histories(
        session, [c.from_number for c in waiting] + [t.from_number for t in open_tasks]
    )
    names = await _names(session, {c.operator_user_id for c in active if c.operator_user_id})
    return BoardOut(
        backend=settings.voice_backend,
        open_now=hours.is_open(settings, now),
        me=await presence.my_presence(session, actor, now),
        operators=await presence.operators(session, now),
        waiting=[
            WaitingCallOut(
                id=c.id,
                number_masked=mask_number(c.from_number),
                arrived_at=c.arrived_at,
                wait_seconds=max(0, round((now - c.arrived_at).total_seconds())),
                position=position,
                hints=_hints(histories.get(c.from_number)),
            )
            for position, c in enumerate(waiting, start=1)
        ],
        active=[
            ActiveCallOut(
                id=c.id,
                direction=c.direction,
                number_masked=mask_number(c.from_number),
                operator_user_id=c.operator_user_id,
                operator_name=names.get(c.operator_user_id) if c.operator_user_id else None,
                answered_at=c.answered_at,
                request_id=c.request_id,
                mine=c.operator_user_id is not None and c.operator_user_id == actor.user_id,
            )
            for c in active
        ],
        tasks=[_task_out(t, histories.get(t.from_number)) for t in open_tasks],
    )


def _task_out(task: CallbackTask, history: PhoneHistory | None) -> TaskOut:
    return TaskOut(
        id=task.id,
        number_masked=mask_number(task.from_number),
        reason=task.reason,
        reason_label=OUTCOME_LABELS.get(task.reason, task.reason),
        first_call_at=task.first_call_at,
        last_call_at=task.last_call_at,
        calls=task.calls,
        hints=_hints(history),
    )


def _call_out(row: PhoneCall, names: dict[int, str]) -> CallOut:
    return CallOut(
        id=row.id,
        direction=row.direction,
        number_masked=mask_number(row.from_number),
        state=row.state,
        arrived_at=row.arrived_at,
        answered_at=row.answered_at,
        ended_at=row.ended_at,
        wait_seconds=row.wait_seconds,
        duration_seconds=row.duration_seconds,
        operator_user_id=row.operator_user_id,
        operator_name=names.get(row.operator_user_id) if row.operator_user_id else None,
        outcome=row.outcome,
        outcome_label=OUTCOME_LABELS.get(row.outcome) if row.outcome else None,
        request_id=row.request_id,
    )


async def call_log(
    session: AsyncSession,
    *,
    page: PageParams,
    start: datetime | None = None,
    end: datetime | None = None,
    outcome: str | None = None,
) -> CallPage:
    """Every call, newest first, numbers masked."""
    query: Select[tuple[PhoneCall]] = select(PhoneCall)
    if start is not None:
        query = query.where(PhoneCall.arrived_at >= start)
    if end is not None:
        query = query.where(PhoneCall.arrived_at < end)
    if outcome is not None:
        query = query.where(PhoneCall.outcome == outcome)
    total = await count_rows(session, query)
    rows: list[PhoneCall] = list(
        await session.scalars(
            query.order_by(PhoneCall.arrived_at.desc(), PhoneCall.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
    )
    names = await _names(session, {r.operator_user_id for r in rows if r.operator_user_id})
    return CallPage(items=[_call_out(r, names) for r in rows], total=total)


async def call_out(session: AsyncSession, call_id: int) -> CallOut:
    row = await session.get(PhoneCall, call_id)
    if row is None:
        raise CallNotFound("Appel introuvable.", ("path", "call_id"))
    names = await _names(session, {row.operator_user_id} if row.operator_user_id else set())
    return _call_out(row, names)


def task_out(task: CallbackTask) -> TaskOut:
    return _task_out(task, None)
