"""Scheduled jobs of notifications (named `notifications.<verb>`).

`notifications.dispatch` runs every `sms_dispatch_interval_seconds` (read when the app starts;
the kernel scheduler ticks a job at least that often): it sends due SMS batch after batch until
none is left, for at most one interval (the next tick carries on). Its own claims make it safe
on several instances at once.

`notifications.morning_digest` (every 5 minutes) queues the effectors' morning digest when it is
enabled and due (`digest`); its idempotency keys make it once per effector per day.
"""

from __future__ import annotations

import logging
import socket
import uuid
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from notifications import backends
from notifications.models import Broadcast, BroadcastStatus
from notifications.service import digest, dispatcher, retention
from snp import scheduler
from snp.db import utcnow
from snp.settings import settings_of

log = logging.getLogger(__name__)

OWNER = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"


@scheduler.register(
    "notifications.dispatch",
    lambda settings: timedelta(seconds=settings.sms_dispatch_interval_seconds),
)
async def dispatch(session: AsyncSession) -> None:
    """Send the due SMS (each result in its own transaction: `session` is only the way in)."""
    settings = settings_of(session)
    engine = session.bind
    assert isinstance(engine, AsyncEngine)
    report = await dispatcher.dispatch_until_idle(
        async_sessionmaker(engine, expire_on_commit=False),
        backends.shared(settings),
        dispatcher.DispatchOptions.from_settings(settings, OWNER),
        budget_seconds=settings.sms_dispatch_interval_seconds,
    )
    if report.claimed:
        log.info(
            "SMS dispatch: %d sent, %d retried, %d failed, %d undeliverable, %d suppressed",
            report.sent + report.found,
            report.retried,
            report.failed,
            report.undeliverable,
            report.suppressed,
        )


@scheduler.register("notifications.close_expired_broadcasts", timedelta(minutes=1))
async def close_expired_broadcasts(session: AsyncSession) -> None:
    """Close the broadcasts nobody took in time (their code becomes free again)."""
    await session.execute(
        update(Broadcast)
        .where(Broadcast.status == BroadcastStatus.OPEN.value, Broadcast.expires_at <= utcnow())
        .values(status=BroadcastStatus.CLOSED.value)
    )


@scheduler.register("notifications.morning_digest", timedelta(minutes=5))
async def morning_digest(session: AsyncSession) -> None:
    """The day's SNP patients, one SMS per effector (when `sms_digest_enabled`)."""
    queued = await digest.send_digests(session, utcnow(), settings_of(session))
    if queued:
        log.info("morning digest: %d SMS queued", queued)


@scheduler.register("notifications.pseudonymise_unlinked", timedelta(hours=6))
async def pseudonymise_unlinked(session: AsyncSession) -> None:
    # SMS tied to no request (received ones, auto-replies) older than the retention period.
    from dateutil.relativedelta import relativedelta

    before = utcnow() - relativedelta(months=settings_of(session).retention_months)
    changed = await retention.pseudonymise_unlinked(session, before=before)
    if changed:
        log.info("pseudonymised %d SMS tied to no request", changed)
