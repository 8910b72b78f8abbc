"""Telephony's scheduled job.

- `telephony.away_when_gone`: every 30 s, sets away the available operators whose console has
  been silent for `SNP_VOICE_PRESENCE_GRACE_SECONDS` (closed tab, lost network), from the moment
  they were last seen, so calls are not queued for nobody and presence hours stay true.
- A console's WebSocket `ping` says its operator is there (`snp.live.on_heartbeat`).
- `telephony.forget_numbers`: hourly, erases the callers' numbers of the calls that ended, and
  of the callback tasks closed, more than `SNP_VOICE_NUMBER_RETENTION_DAYS` ago (the call log
  and the figures keep everything else). Open tasks keep theirs: someone must still call back.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from snp import live, scheduler
from snp.actor import Actor
from snp.db import utcnow
from snp.settings import settings_of
from telephony.service import presence
from telephony.service.retention import forget_numbers

log = logging.getLogger(__name__)


@scheduler.register("telephony.forget_numbers", timedelta(hours=1))
async def forget_old_numbers(session: AsyncSession) -> None:
    days = settings_of(session).voice_number_retention_days
    erased = await forget_numbers(session, before=utcnow() - timedelta(days=days))
    if erased:
        log.info("erased the callers' numbers of %d calls and tasks", erased)


@scheduler.register("telephony.away_when_gone", timedelta(seconds=30))
async def away_when_gone(session: AsyncSession) -> None:
    grace = settings_of(session).voice_presence_grace_seconds
    gone = await presence.away_when_gone(session, grace_seconds=grace, now=utcnow())
    if gone:
        log.info("set away %d operators whose console went silent", len(gone))


@live.on_heartbeat
async def console_seen(session: AsyncSession, actor: Actor) -> None:
    if actor.user_id is not None:
        await presence.seen(session, actor.user_id, utcnow())
