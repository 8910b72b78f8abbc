"""The agenda's scheduled jobs (registered with the kernel scheduler, named `agenda.<verb>`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service import booking, caldav_sync, ics, ics_subscriptions, recurrence
from snp import scheduler
from snp.settings import settings_of

log = logging.getLogger(__name__)


@scheduler.register("agenda.release_expired_holds", timedelta(minutes=1))
async def release_expired_holds(session: AsyncSession) -> None:
    """Free the slots whose hold ran out (they already count as free; this tidies the rows)."""
    released = await booking.release_expired_holds(session)
    if released:
        log.info("released %d expired slot holds", released)


@scheduler.register("agenda.materialise_templates", timedelta(hours=1))
async def materialise_templates(session: AsyncSession) -> None:
    """Open the slots of every weekly template over the rolling horizon (idempotent)."""
    created = await recurrence.materialise_all(
        session, horizon_days=settings_of(session).agenda_horizon_days
    )
    if created:
        log.info("materialised %d slots from availability templates", created)


@scheduler.register("agenda.refresh_ics_subscriptions", timedelta(minutes=5))
async def refresh_ics_subscriptions(session: AsyncSession) -> None:
    """Fetch the subscribed calendars due for a refresh (every `ics_refresh_minutes`); one
    that fails keeps its reason in `ics_last_error` and never stops the others."""
    report = await ics_subscriptions.refresh_subscriptions(
        session, options=ics.IcsOptions.from_settings(settings_of(session))
    )
    if report.refreshed or report.failed:
        log.info("ICS subscriptions: %d refreshed, %d failed", report.refreshed, report.failed)


@scheduler.register("agenda.sync_caldav_calendars", timedelta(minutes=5))
async def sync_caldav_calendars(session: AsyncSession) -> None:
    """Read the busy times of the connected CalDAV calendars due (every `ics_refresh_minutes`)
    and write the booked appointments back when asked; one that fails keeps its reason in
    `last_error` and never stops the others."""
    done, failed = await caldav_sync.sync_due(
        session, options=caldav_sync.CaldavOptions.from_settings(settings_of(session))
    )
    if done or failed:
        log.info("CalDAV calendars: %d synchronised, %d failed", done, failed)


@scheduler.register("agenda.push_caldav_changes", timedelta(minutes=1))
async def push_caldav_changes(session: AsyncSession) -> None:
    """Write at once to the CalDAV calendars the appointments booked, moved, cancelled or given
    an outcome since their last sync (the booking itself never waits for the server); one that
    fails keeps its reason in `last_error` and is retried by the scheduled sync."""
    done, failed = await caldav_sync.push_changed(
        session, options=caldav_sync.CaldavOptions.from_settings(settings_of(session))
    )
    if done or failed:
        log.info("CalDAV changes pushed: %d calendars, %d failed", done, failed)
