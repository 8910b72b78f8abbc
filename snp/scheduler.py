"""Scheduled jobs: one APScheduler per app instance, each run claimed in the database.

Every instance ticks every job, but a run happens only where a conditional UPDATE of the job's
lease row succeeds (`next_run_at <= now` -> `now + interval`), so two instances sharing one
database never run the same job twice in one period. Jobs are named `"<package>.<verb>"`.
"""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import String, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base, Database, UTCDateTime, dialect_insert, utcnow
from snp.settings import Settings, get_settings

log = logging.getLogger(__name__)

JobFunc = Callable[[AsyncSession], Awaitable[None]]
Interval = timedelta | Callable[[Settings], timedelta]  # fixed, or read from the settings


class JobLease(Base):
    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner: Mapped[str | None] = mapped_column(String(100))
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    func: JobFunc
    interval: timedelta


_REGISTRY: dict[str, tuple[JobFunc, Interval]] = {}


def register(name: str, interval: Interval) -> Callable[[JobFunc], JobFunc]:
    """Decorator used by the packages' `jobs.py` modules; a job reads its settings from its
    session (`snp.settings.settings_of`)."""

    def decorate(func: JobFunc) -> JobFunc:
        _REGISTRY[name] = (func, interval)
        return func

    return decorate


def registered_jobs(settings: Settings | None = None) -> dict[str, Job]:
    """Every registered job, its interval read from `settings` (the environment's if none)."""
    settings = settings or get_settings()
    return {
        name: Job(name, func, interval if isinstance(interval, timedelta) else interval(settings))
        for name, (func, interval) in _REGISTRY.items()
    }


async def claim(session: AsyncSession, job: Job, owner: str, now: datetime | None = None) -> bool:
    """Take this period's run of `job` for `owner`; False when another instance has it."""
    now = now or utcnow()
    insert = dialect_insert(session)
    await session.execute(
        insert(JobLease).values(name=job.name, next_run_at=now).on_conflict_do_nothing()
    )
    result = await session.execute(
        update(JobLease)
        .where(JobLease.name == job.name, JobLease.next_run_at <= now)
        .values(next_run_at=now + job.interval, owner=owner, last_started_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def run_once(database: Database, job: Job, owner: str) -> bool:
    """Claim then run `job` in its own transaction; returns whether this instance ran it."""
    async with database.sessionmaker() as session:
        won = await claim(session, job, owner)
        await session.commit()
    if not won:
        return False
    error: str | None = None
    try:
        async with database.transaction() as session:
            await job.func(session)
    except Exception as exc:
        error = type(exc).__name__
        log.exception("job %s failed", job.name)
    async with database.sessionmaker() as session:
        await session.execute(
            update(JobLease)
            .where(JobLease.name == job.name)
            .values(last_finished_at=utcnow(), last_error=error)
        )
        await session.commit()
    return True


async def lease(session: AsyncSession, name: str) -> JobLease | None:
    return await session.scalar(select(JobLease).where(JobLease.name == name))


class Scheduler:
    def __init__(self, database: Database, tick_seconds: float = 15.0) -> None:
        self.database = database
        self.owner = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
        self.tick_seconds = tick_seconds
        self._scheduler = AsyncIOScheduler(timezone="UTC")

    def start(self) -> None:
        for job in registered_jobs(self.database.settings).values():
            # Tick often; the lease decides whether the period's run is due and whose it is.
            tick = min(self.tick_seconds, job.interval.total_seconds())
            self._scheduler.add_job(
                run_once,
                "interval",
                seconds=tick,
                args=[self.database, job, self.owner],
                id=job.name,
                max_instances=1,
                coalesce=True,
            )
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
