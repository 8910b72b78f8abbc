"""Callers' numbers are kept for the call-back, not longer: past the retention period they are
erased from ended calls and closed tasks (what is left says "Numéro effacé")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from telephony.models import CallbackTask, CallState, PhoneCall, TaskState

ERASED = "erased"


async def forget_numbers(session: AsyncSession, *, before: datetime) -> int:
    calls = await session.execute(
        update(PhoneCall)
        .where(
            PhoneCall.state == CallState.ENDED,
            PhoneCall.ended_at < before,
            PhoneCall.from_number != ERASED,
        )
        .values(from_number=ERASED)
        .execution_options(synchronize_session=False)
    )
    tasks = await session.execute(
        update(CallbackTask)
        .where(
            CallbackTask.state == TaskState.DONE,
            CallbackTask.done_at < before,
            CallbackTask.from_number != ERASED,
        )
        .values(from_number=ERASED)
        .execution_options(synchronize_session=False)
    )
    return int(calls.rowcount or 0) + int(tasks.rowcount or 0)  # type: ignore[attr-defined]
