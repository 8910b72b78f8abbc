"""The scheduled jobs: the dispatcher runs every few seconds and closes stale broadcasts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import composition.app  # noqa: F401 - the composition root registers every package's jobs
from notifications import backends, jobs
from notifications.models import Audience, Broadcast
from notifications.service import outbox
from snp import scheduler
from snp.db import Database, utcnow
from tests.notifications.conftest import outbox_rows


@pytest.fixture(autouse=True)
async def close_backends() -> AsyncIterator[None]:
    yield
    await backends.close_shared()


async def test_the_dispatcher_job_sends_due_messages_every_two_seconds(
    database: Database, session: AsyncSession
) -> None:
    job = scheduler.registered_jobs()["notifications.dispatch"]
    assert job.interval == timedelta(seconds=2)
    await outbox.enqueue(
        session, key="job", to="+33698765432", template="reponse_start", audience=Audience.PATIENT
    )
    await session.commit()
    assert await scheduler.run_once(database, job, "tests")
    (row,) = await outbox_rows(session)
    assert (row.status, row.provider) == ("sent", "console")
    lease = await scheduler.lease(session, "notifications.dispatch")
    assert lease is not None
    assert lease.last_error is None


async def test_expired_broadcasts_are_closed(session: AsyncSession) -> None:
    assert "notifications.close_expired_broadcasts" in scheduler.registered_jobs()
    for code, minutes in (("1234", -1), ("5678", 10)):
        session.add(
            Broadcast(
                code=code,
                place="Redon",
                status="open",
                expires_at=utcnow() + timedelta(minutes=minutes),
            )
        )
    await session.commit()
    await jobs.close_expired_broadcasts(session)
    await session.commit()
    statuses = await session.execute(
        select(Broadcast.code, Broadcast.status)
        .order_by(Broadcast.code)
        .execution_options(populate_existing=True)
    )
    assert [tuple(r) for r in statuses] == [("1234", "closed"), ("5678", "open")]
