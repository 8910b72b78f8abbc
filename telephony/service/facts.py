"""What the indicators read of the line: one fact per call (times, wait, outcome, operator; no
number) and the call-back delay of each missed caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.models import CallbackTask, PhoneCall, TaskState


@dataclass(frozen=True, slots=True)
class CallFact:
    id: int
    direction: str
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    duration_seconds: int | None
    operator_user_id: int | None
    outcome: str | None
    request_id: int | None


async def call_facts(session: AsyncSession, start: datetime, end: datetime) -> list[CallFact]:
    """Every call that arrived in [start, end), oldest first."""
    rows = await session.execute(
        select(
            PhoneCall.id,
            PhoneCall.direction,
            PhoneCall.arrived_at,
            PhoneCall.answered_at,
            PhoneCall.ended_at,
            PhoneCall.wait_seconds,
            PhoneCall.duration_seconds,
            PhoneCall.operator_user_id,
            PhoneCall.outcome,
            PhoneCall.request_id,
        )
        .where(PhoneCall.arrived_at >= start, PhoneCall.arrived_at < end)
        .order_by(PhoneCall.arrived_at, PhoneCall.id)
    )
    return [CallFact(**row._mapping) for row in rows]


async def missed_callback_delays(
    session: AsyncSession, start: datetime, end: datetime
) -> tuple[list[float], int]:
    """Minutes between the first missed call and the call-back, for the callback tasks opened in
    [start, end) and done; and how many of them are still open."""
    rows = (
        await session.execute(
            select(CallbackTask.state, CallbackTask.first_call_at, CallbackTask.done_at).where(
                CallbackTask.first_call_at >= start, CallbackTask.first_call_at < end
            )
        )
    ).all()
    delays = [
        (done - first).total_seconds() / 60
        for state, first, done in rows
        if state == TaskState.DONE and done is not None
    ]
    still_open = sum(1 for state, _first, _done in rows if state == TaskState.OPEN)
    return delays, still_open
