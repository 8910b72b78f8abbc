"""The phone line's health beside the queue's on the coordinator's supervision page: calls
waiting now and the longest wait, operators available or on a call, today's calls answered,
answered within 60 s and abandoned, the call-back tasks pending and the oldest.

Aggregates only (no number, no caller): nothing here reads patient data, so nothing is
audited. Today's figures follow the call figures' definitions (inbound calls arrived today,
Paris day, at opening hours; abandoned = hung up while waiting or nobody on duty)."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.db import utcnow
from snp.kit import PARIS
from snp.settings import Settings
from telephony.models import (
    CallbackTask,
    CallOutcome,
    CallState,
    Direction,
    OperatorPresence,
    PhoneCall,
    PresenceState,
    TaskState,
)
from telephony.schemas import LineHealthOut, LineTodayOut
from telephony.service import hours
from telephony.service.presence import effective_state

ANSWERED_WITHIN_SECONDS = 60
ABANDONED = (CallOutcome.ABANDONED, CallOutcome.NO_OPERATOR)


def _seconds_since(then: datetime | None, now: datetime) -> int | None:
    return None if then is None else max(0, int((now - then).total_seconds()))


async def line_health(
    session: AsyncSession, settings: Settings, *, now: datetime | None = None
) -> LineHealthOut:
    now = now or utcnow()
    C = PhoneCall
    inbound = C.direction == Direction.INBOUND
    waiting, oldest_arrival = (
        await session.execute(
            select(func.count(), func.min(C.arrived_at)).where(
                C.state == CallState.WAITING, inbound
            )
        )
    ).one()
    start = datetime.combine(now.astimezone(PARIS).date(), time(), tzinfo=PARIS)
    answered = C.answered_at.is_not(None)
    received, answered_count, quick, abandoned = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(answered),
                func.count().filter(and_(answered, C.wait_seconds <= ANSWERED_WITHIN_SECONDS)),
                func.count().filter(C.outcome.in_(ABANDONED)),
            ).where(
                inbound,
                C.arrived_at >= start,
                C.arrived_at <= now,
                C.outcome.is_(None) | (C.outcome != CallOutcome.OUT_OF_HOURS),
            )
        )
    ).one()
    pending, oldest_missed = (
        await session.execute(
            select(func.count(), func.min(CallbackTask.first_call_at)).where(
                CallbackTask.state == TaskState.OPEN
            )
        )
    ).one()
    states = [
        effective_state(row, now)
        for row in await session.scalars(
            select(OperatorPresence).where(OperatorPresence.state != PresenceState.AWAY)
        )
    ]
    return LineHealthOut(
        generated_at=now,
        open_now=hours.is_open(settings, now),
        waiting=waiting,
        longest_wait_seconds=_seconds_since(oldest_arrival, now),
        operators_available=states.count(PresenceState.AVAILABLE),
        operators_on_call=states.count(PresenceState.ON_CALL),
        operators_wrap_up=states.count(PresenceState.WRAP_UP),
        today=LineTodayOut(
            received=received,
            answered=answered_count,
            answered_within_60s=quick,
            abandoned=abandoned,
        ),
        callbacks_pending=pending,
        oldest_callback_seconds=_seconds_since(oldest_missed, now),
    )
