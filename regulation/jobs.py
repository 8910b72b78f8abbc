"""Regulation's scheduled job and its live-console hook.

- `regulation.release_stale_claims`: frees the claims of consoles that stopped sending
  heartbeats for longer than `SNP_REGULATION_CLAIM_GRACE_SECONDS`.
- `regulation.pseudonymise`: hourly, pseudonymises the closed requests past the retention
  period (`SNP_RETENTION_MONTHS`), in batches (`regulation.service.retention`).
- `regulation.close_abandoned`: every 6 hours, closes the requests still open
  `SNP_REGULATION_ABANDONED_AFTER_DAYS` after they came in (so retention reaches them).
- A console's WebSocket `ping` refreshes its user's claims (`snp.live.on_heartbeat`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from regulation.service import queue, retention
from snp import live, scheduler
from snp.actor import Actor
from snp.settings import settings_of

log = logging.getLogger(__name__)


@scheduler.register("regulation.release_stale_claims", timedelta(seconds=30))
async def release_stale_claims(session: AsyncSession) -> None:
    grace = settings_of(session).regulation_claim_grace_seconds
    released = await queue.release_stale_claims(session, grace_seconds=grace)
    if released:
        log.info("released %d stale claims: %s", len(released), released)


@scheduler.register(retention.JOB_NAME, timedelta(hours=1))
async def pseudonymise(session: AsyncSession) -> None:
    # Identity of requests closed more than `SNP_RETENTION_MONTHS` ago; batched, resumable.
    done = await retention.pseudonymise_expired(
        session, retention_months=settings_of(session).retention_months
    )
    if done:
        log.info("pseudonymised %d closed requests", done)


@scheduler.register("regulation.close_abandoned", timedelta(hours=6))
async def close_abandoned(session: AsyncSession) -> None:
    # Requests nobody closed, `SNP_REGULATION_ABANDONED_AFTER_DAYS` after they came in.
    closed = await retention.close_abandoned(
        session, after_days=settings_of(session).regulation_abandoned_after_days
    )
    if closed:
        log.info("closed %d abandoned requests", closed)


@live.on_heartbeat
async def refresh_claims(session: AsyncSession, actor: Actor) -> None:
    await queue.refresh_heartbeat(session, actor)
