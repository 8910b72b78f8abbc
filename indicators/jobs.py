"""Indicators' scheduled job: `indicators.refresh_supply` recounts the slots offered, booked and
free per effector, commune, day and hour (slots are created in bulk without events) over the
last 7 and the next 60 Paris days."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from indicators.rebuild import refresh_supply
from indicators.timeutil import paris
from snp import scheduler
from snp.db import utcnow

log = logging.getLogger(__name__)


@scheduler.register(
    "indicators.refresh_supply",
    lambda settings: timedelta(minutes=settings.indicators_supply_interval_minutes),
)
async def refresh_supply_job(session: AsyncSession) -> None:
    today = paris(utcnow()).date()
    cells = await refresh_supply(session, today - timedelta(days=7), today + timedelta(days=60))
    log.info("indicators supply refreshed: %d cells", cells)
