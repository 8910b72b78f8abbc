"""Scheduled job of the SAS adapter: `sas.push` sends the queued appointment pushes (INT_R03)
every `sas_push_interval_seconds`; its claims make it safe on several instances at once."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from sas import client
from snp import scheduler
from snp.settings import settings_of

log = logging.getLogger(__name__)


@scheduler.register(
    "sas.push", lambda settings: timedelta(seconds=settings.sas_push_interval_seconds)
)
async def push(session: AsyncSession) -> None:
    """Push the due appointments to the SAS platform (`session` is only the way in)."""
    settings = settings_of(session)
    if not settings.sas_platform_url:
        return
    engine = session.bind
    assert isinstance(engine, AsyncEngine)
    async with client.http_client(settings) as http:
        report = await client.dispatch_until_idle(
            async_sessionmaker(engine, expire_on_commit=False), http, settings
        )
    if report.claimed:
        log.info(
            "SAS push: %d sent, %d to retry, %d refused",
            report.sent,
            report.retried,
            report.rejected,
        )
