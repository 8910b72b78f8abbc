"""Telephony's scheduled job.

- `telephony.forget_numbers`: hourly, erases the callers' numbers of the calls that ended, and
  of the callback tasks closed, more than `SNP_VOICE_NUMBER_RETENTION_DAYS` ago (the call log
  and the figures keep everything else). Open tasks keep theirs: someone must still call back.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from snp import scheduler
from snp.db import utcnow
from snp.settings import settings_of
from telephony.service.retention import forget_numbers

log = logging.getLogger(__name__)


@scheduler.register("telephony.forget_numbers", timedelta(hours=1))
async def forget_old_numbers(session: AsyncSession) -> None:
    days = settings_of(session).voice_number_retention_days
    erased = await forget_numbers(session, before=utcnow() - timedelta(days=days))
    if erased:
        log.info("erased the callers' numbers of %d calls and tasks", erased)
