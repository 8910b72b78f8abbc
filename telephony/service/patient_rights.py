"""The line's share of the patients' rights: the calls a number made (or received as a
call-back), for the right of access, and the erasure of that number from the calls and callback
tasks, the same way the retention job does (`Numéro effacé`; times and outcomes stay for the
figures)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp import events
from telephony.events import CallbackTaskChanged
from telephony.models import CallbackTask, PhoneCall, TaskState
from telephony.service.retention import ERASED


@dataclass(frozen=True, slots=True)
class NumberCall:
    """One call from (or a call-back to) the number, as the person may read it."""

    number: str
    direction: str
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    duration_seconds: int | None
    outcome: str | None
    request_id: int | None


def _real(phones: Collection[str]) -> list[str]:
    return sorted({p for p in phones if p and p != ERASED})


async def count_calls_of_numbers(session: AsyncSession, phones: Collection[str]) -> int:
    """How many calls the line keeps from (or to) these numbers."""
    numbers = _real(phones)
    if not numbers:
        return 0
    count = await session.scalar(
        select(func.count()).select_from(PhoneCall).where(PhoneCall.from_number.in_(numbers))
    )
    return int(count or 0)


async def calls_of_numbers(session: AsyncSession, phones: Collection[str]) -> list[NumberCall]:
    """Every call the line keeps from (or to) these numbers, oldest first."""
    numbers = _real(phones)
    if not numbers:
        return []
    rows = await session.scalars(
        select(PhoneCall)
        .where(PhoneCall.from_number.in_(numbers))
        .order_by(PhoneCall.arrived_at, PhoneCall.id)
    )
    return [
        NumberCall(
            number=r.from_number,
            direction=r.direction,
            arrived_at=r.arrived_at,
            answered_at=r.answered_at,
            ended_at=r.ended_at,
            wait_seconds=r.wait_seconds,
            duration_seconds=r.duration_seconds,
            outcome=r.outcome,
            request_id=r.request_id,
        )
        for r in rows
    ]


async def erase_numbers(
    session: AsyncSession, phones: Collection[str], *, now: datetime, user_id: int | None
) -> int:
    """Erase these numbers from every call and callback task (as `forget_numbers` does, but at
    once and whatever the call's age). An open task on such a number can no longer be called
    back: it is closed. Returns how many rows changed."""
    numbers = _real(phones)
    if not numbers:
        return 0
    open_ids = list(
        await session.scalars(
            select(CallbackTask.id).where(
                CallbackTask.from_number.in_(numbers), CallbackTask.state == TaskState.OPEN
            )
        )
    )
    if open_ids:
        await session.execute(
            update(CallbackTask)
            .where(CallbackTask.id.in_(open_ids))
            .values(state=TaskState.DONE, done_at=now, done_by_user_id=user_id)
            .execution_options(synchronize_session=False)
        )
    calls = await session.execute(
        update(PhoneCall)
        .where(PhoneCall.from_number.in_(numbers))
        .values(from_number=ERASED)
        .execution_options(synchronize_session=False)
    )
    tasks = await session.execute(
        update(CallbackTask)
        .where(CallbackTask.from_number.in_(numbers))
        .values(from_number=ERASED)
        .execution_options(synchronize_session=False)
    )
    for task_id in open_ids:  # the consoles drop them from the list to call back
        await events.emit(session, CallbackTaskChanged(task_id, TaskState.DONE))
    return int(calls.rowcount or 0) + int(tasks.rowcount or 0)  # type: ignore[attr-defined]
