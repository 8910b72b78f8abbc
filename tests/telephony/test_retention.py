"""Callers' numbers are erased past their retention period from ended calls and closed tasks;
open tasks keep theirs (someone must still call back)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.db import utcnow
from telephony.models import CallbackTask, PhoneCall
from telephony.schemas import mask_number
from telephony.service.retention import forget_numbers


async def test_old_numbers_are_erased_and_open_tasks_keep_theirs(session: AsyncSession) -> None:
    now = utcnow()
    old, recent = now - timedelta(days=100), now - timedelta(days=10)
    session.add_all(
        [
            PhoneCall(
                sid="CA1", from_number="+33612345601", state="ended", arrived_at=old, ended_at=old
            ),
            PhoneCall(
                sid="CA2",
                from_number="+33612345602",
                state="ended",
                arrived_at=recent,
                ended_at=recent,
            ),
            CallbackTask(
                from_number="+33612345603",
                reason="abandoned",
                state="done",
                first_call_at=old,
                last_call_at=old,
                calls=1,
                done_at=old,
            ),
            CallbackTask(
                from_number="+33612345604",
                reason="abandoned",
                state="open",
                first_call_at=old,
                last_call_at=old,
                calls=1,
            ),
        ]
    )
    await session.commit()
    assert await forget_numbers(session, before=now - timedelta(days=90)) == 2
    await session.commit()
    calls = {c.sid: c.from_number for c in await session.scalars(select(PhoneCall))}
    tasks = [
        t.from_number for t in await session.scalars(select(CallbackTask).order_by(CallbackTask.id))
    ]
    assert calls == {"CA1": "erased", "CA2": "+33612345602"}
    assert tasks == ["erased", "+33612345604"]
    assert mask_number("erased") == "Numéro effacé"
    assert await forget_numbers(session, before=now - timedelta(days=90)) == 0
