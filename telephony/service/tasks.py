"""Callback tasks: every missed caller (hung up while waiting, nobody on duty, out of hours)
becomes a task to call back; several missed calls from one number within the setting
`voice_group_minutes` are one task. A task ends when the caller is reached (a call taken from
that number, a call-back answered) or when an operator closes it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp import events
from snp.settings import Settings
from telephony.errors import TaskNotFound
from telephony.events import CallbackTaskChanged
from telephony.models import CallbackTask, TaskState


def callable_number(number: str) -> bool:
    """Hidden numbers (`anonymous`, empty) cannot be called back."""
    return number.startswith("+") and len(number) >= 8


async def record_missed(
    session: AsyncSession, number: str, reason: str, at: datetime, settings: Settings
) -> int | None:
    """The task for this missed call (grouped with a recent one of the same number)."""
    if not callable_number(number):
        return None
    window = at - timedelta(minutes=settings.voice_group_minutes)
    task = (
        await session.scalars(
            select(CallbackTask)
            .where(
                CallbackTask.from_number == number,
                CallbackTask.state == TaskState.OPEN,
                CallbackTask.last_call_at >= window,
            )
            .order_by(CallbackTask.id.desc())
            .with_for_update()
        )
    ).first()
    if task is None:
        task = CallbackTask(
            from_number=number, reason=reason, first_call_at=at, last_call_at=at, calls=1
        )
        session.add(task)
    else:
        task.calls += 1
        task.last_call_at = max(task.last_call_at, at)
    await session.flush()
    await events.emit(session, CallbackTaskChanged(task.id, TaskState.OPEN))
    return task.id


async def close_tasks_of(
    session: AsyncSession,
    number: str,
    *,
    user_id: int | None,
    at: datetime,
    request_id: int | None = None,
) -> list[int]:
    """The caller was reached: their open tasks are done."""
    ids = list(
        await session.scalars(
            select(CallbackTask.id).where(
                CallbackTask.from_number == number, CallbackTask.state == TaskState.OPEN
            )
        )
    )
    if ids:
        await session.execute(
            update(CallbackTask)
            .where(CallbackTask.id.in_(ids), CallbackTask.state == TaskState.OPEN)
            .values(
                state=TaskState.DONE, done_at=at, done_by_user_id=user_id, request_id=request_id
            )
        )
        for task_id in ids:
            await events.emit(session, CallbackTaskChanged(task_id, TaskState.DONE))
    return ids


async def get_task(session: AsyncSession, task_id: int) -> CallbackTask:
    task = await session.get(CallbackTask, task_id)
    if task is None:
        raise TaskNotFound("Tâche de rappel introuvable.", ("path", "task_id"))
    return task


async def close_task(
    session: AsyncSession, task_id: int, *, user_id: int | None, at: datetime
) -> CallbackTask:
    task = await get_task(session, task_id)
    if task.state == TaskState.OPEN:
        task.state = TaskState.DONE
        task.done_at = at
        task.done_by_user_id = user_id
        await session.flush()
        await events.emit(session, CallbackTaskChanged(task.id, TaskState.DONE))
    return task


async def open_tasks(session: AsyncSession, limit: int = 200) -> list[CallbackTask]:
    """Open tasks, the oldest missed call first (the funded promise: called back within the
    hour)."""
    return list(
        await session.scalars(
            select(CallbackTask)
            .where(CallbackTask.state == TaskState.OPEN)
            .order_by(CallbackTask.first_call_at, CallbackTask.id)
            .limit(limit)
        )
    )
