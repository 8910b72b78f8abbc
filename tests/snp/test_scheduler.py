"""Scheduled jobs claim their run in the database: two instances never run a period twice."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from snp import scheduler
from snp.db import Database, utcnow

RUNS: list[str] = []


async def _count_run(session: AsyncSession) -> None:
    RUNS.append("ran")


JOB = scheduler.Job("tests.count", _count_run, timedelta(minutes=5))


async def test_two_instances_racing_for_a_job_run_it_once(db_url: str, database: Database) -> None:
    RUNS.clear()
    other_instance = Database(db_url)
    try:
        results = await asyncio.gather(
            *[
                scheduler.run_once(db, JOB, f"instance-{i}")
                for i, db in enumerate([database, other_instance] * 5)
            ]
        )
    finally:
        await other_instance.dispose()
    assert sorted(results) == [False] * 9 + [True]
    assert RUNS == ["ran"]


async def test_the_next_period_runs_again_and_the_lease_records_it(database: Database) -> None:
    RUNS.clear()
    async with database.transaction() as session:
        assert await scheduler.claim(session, JOB, "a")
        assert not await scheduler.claim(session, JOB, "b")
        later = utcnow() + timedelta(minutes=6)
        assert await scheduler.claim(session, JOB, "b", now=later)
    async with database.sessionmaker() as session:
        lease = await scheduler.lease(session, "tests.count")
    assert lease is not None
    assert lease.owner == "b"


async def test_registered_jobs_are_named_package_dot_verb() -> None:
    import composition.app  # noqa: F401 - the composition root registers every package's jobs

    names = scheduler.registered_jobs()
    assert "auth.purge_expired_sessions" in names
    assert all(name.count(".") == 1 for name in names)
