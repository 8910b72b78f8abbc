"""The optional morning digest: each effector with SNP patients today gets one SMS listing them
(time and initials, no clinical detail).

Off by default (`sms_digest_enabled`): effectors already get one SMS per booking. When on, the
job `notifications.morning_digest` runs every few minutes and, from `sms_digest_time` (Paris
time, and never during the quiet hours) until two hours later, queues the digest of every
effector with booked appointments today. The idempotency key `digest:<effector>:<day>` makes it
once per effector per day, whatever the number of runs or app instances. An effector whose first
patient is booked after the digest went gets the usual booking SMS.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from notifications.models import Audience
from notifications.service import outbox, sources, timing
from notifications.service.outbox import About
from snp.actor import Actor
from snp.kit import PARIS
from snp.settings import Settings

READER = Actor.system("notifications.digest")
WINDOW = timedelta(hours=2)
SHOWN = 6  # patients named in one SMS; the others are counted


def _local(day_start: datetime, clock: time) -> datetime:
    return datetime.combine(timing.paris_day(day_start), clock, tzinfo=PARIS).astimezone(UTC)


def due(now: datetime, settings: Settings) -> bool:
    """Whether the digest may go now."""
    if not settings.sms_digest_enabled:
        return False
    at = _local(now, settings.sms_digest_time)
    if not at <= now < at + WINDOW:
        return False
    return (
        timing.quiet_until(now, settings.sms_quiet_hours_start, settings.sms_quiet_hours_end)
        is None
    )


def listing(labels: list[tuple[datetime, str]]) -> str:
    shown = [f"{timing.paris_time(at)} {label}" for at, label in labels[:SHOWN]]
    more = len(labels) - SHOWN
    return " ; ".join(shown) + (f" et {more} autre(s)" if more > 0 else "")


async def send_digests(session: AsyncSession, now: datetime, settings: Settings) -> int:
    """Queue today's digests if due; returns how many were queued now."""
    if not due(now, settings):
        return 0
    day_start = _local(now, time(0, 0))
    appointments = await agenda.list_appointments(
        session, READER, effector_id=None, start=now, end=day_start + timedelta(days=1)
    )
    by_effector: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for appointment in appointments:
        label = (appointment.patient_label or "patient").split(",")[0]
        by_effector[appointment.effector_id].append((appointment.start_at, label))
    queued = 0
    day = timing.paris_day(now).isoformat()
    for effector_id, labels in sorted(by_effector.items()):
        effector = await sources.effector_contact(session, effector_id)
        if effector is None or not effector.phone:
            continue
        queued += await outbox.enqueue(
            session,
            key=f"digest:{effector_id}:{day}",
            to=effector.phone,
            template="effecteur_programme",
            audience=Audience.EFFECTOR,
            values={
                "date": timing.paris_date(now),
                "nombre": str(len(labels)),
                "liste": listing(labels),
            },
            essential=False,
            expires_at=day_start + timedelta(days=1),
            about=About(effector_id=effector_id),
        )
    return queued
