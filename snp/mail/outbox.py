"""The reliable part: `queue` writes the e-mail in the caller's transaction; `deliver_due`
sends what is due, each result recorded at once.

- Never sent for a rolled-back change: the row is part of the change's transaction.
- Never lost on an SMTP hiccup: a failed attempt goes back to `queued` with a growing delay
  (until `mail_max_attempts`, then `failed`); a refused recipient is `failed` at once.
- Sent soon: after a commit that queued mail, the running app's sender is woken
  (`wake_senders`); it also polls every `mail_poll_seconds` (mail queued by the command line or
  another instance, retries).
- Several instances: a batch is claimed by one conditional UPDATE carrying a claim token and a
  lease (`SKIP LOCKED` on PostgreSQL); a sender that dies leaves rows that come back when the
  lease ends. A crash between the SMTP answer and the record may send one e-mail twice, never
  zero times.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from sqlalchemy import and_, event, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from snp.db import utcnow
from snp.mail import transport
from snp.mail.models import MailMessage, MailStatus
from snp.settings import Settings

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 20
_QUEUED_FLAG = "snp_mail_queued"  # until the commit wakes the senders
_QUEUED_EVER = "snp_mail_queued_in_session"  # for the session's whole life
_wakers: set[asyncio.Event] = set()


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    kind: str = "account"


async def queue(session: AsyncSession, mail: Mail) -> int:
    """Add one e-mail to the outbox in the caller's transaction; returns its id."""
    row = MailMessage(
        recipient=mail.to,
        subject=mail.subject[:200],
        text_body=mail.text,
        html_body=mail.html,
        kind=mail.kind,
        status=MailStatus.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    session.sync_session.info[_QUEUED_FLAG] = True
    session.sync_session.info[_QUEUED_EVER] = True
    return row.id


def queued_in(session: AsyncSession) -> bool:
    """Whether mail was queued through this session (the command line then sends it)."""
    return bool(session.sync_session.info.get(_QUEUED_EVER))


@event.listens_for(Session, "after_commit")
def _wake_after_commit(sync_session: Session) -> None:
    if sync_session.info.pop(_QUEUED_FLAG, False):
        wake_senders()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(sync_session: Session) -> None:
    sync_session.info.pop(_QUEUED_FLAG, None)


def wake_senders() -> None:
    for waker in list(_wakers):
        waker.set()


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min... capped at 1 hour."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _due(now: datetime) -> object:
    return and_(
        or_(MailMessage.status == MailStatus.QUEUED, MailMessage.status == MailStatus.SENDING),
        MailMessage.next_attempt_at <= now,
    )


async def _claim(
    sessionmaker: async_sessionmaker[AsyncSession], now: datetime
) -> tuple[str, list[MailMessage]]:
    token = uuid.uuid4().hex
    async with sessionmaker() as session:
        pick = (
            select(MailMessage.id)
            .where(_due(now))  # type: ignore[arg-type]
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(BATCH)
        )
        if session.get_bind().dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        await session.execute(
            update(MailMessage)
            .where(MailMessage.id.in_(pick), _due(now))  # type: ignore[arg-type]
            .values(
                status=MailStatus.SENDING,
                claim=token,
                attempts=MailMessage.attempts + 1,
                next_attempt_at=now + LEASE,
            )
            .execution_options(synchronize_session=False)
        )
        await session.commit()
        rows = list(
            await session.scalars(
                select(MailMessage).where(MailMessage.claim == token).order_by(MailMessage.id)
            )
        )
    return token, rows


async def _record(
    sessionmaker: async_sessionmaker[AsyncSession], row: MailMessage, token: str, **values: object
) -> None:
    async with sessionmaker() as session:
        await session.execute(
            update(MailMessage)
            .where(MailMessage.id == row.id, MailMessage.claim == token)
            .values(**values)
        )
        await session.commit()


async def deliver_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send the due e-mails, batch after batch, until none is left."""
    report = DeliveryReport()
    while True:
        token, rows = await _claim(sessionmaker, now or utcnow())
        if not rows:
            return report
        for row in rows:
            message = transport.build_message(
                settings,
                to=row.recipient,
                subject=row.subject,
                text=row.text_body,
                html=row.html_body,
            )
            try:
                await anyio.to_thread.run_sync(transport.send, settings, message)
            except transport.MailError as exc:
                final = (
                    isinstance(exc, transport.PermanentMailError)
                    or row.attempts >= settings.mail_max_attempts
                )
                # The error says what failed, never the recipient (logs hold no addresses).
                log.warning("e-mail %d (%s) not sent: %s", row.id, row.kind, exc)
                await _record(
                    sessionmaker,
                    row,
                    token,
                    status=MailStatus.FAILED if final else MailStatus.QUEUED,
                    last_error=str(exc)[:300],
                    next_attempt_at=(now or utcnow()) + backoff(row.attempts),
                )
                if final:
                    report.failed += 1
                else:
                    report.retried += 1
                continue
            await _record(
                sessionmaker, row, token, status=MailStatus.SENT, sent_at=utcnow(), last_error=None
            )
            report.sent += 1
        if now is not None:  # a test's fixed clock: one pass over what is due
            return report


async def run_sender(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """The app's sender: woken after each commit that queued mail, and every
    `mail_poll_seconds`. Runs until cancelled."""
    waker = asyncio.Event()
    _wakers.add(waker)
    try:
        while True:
            try:
                await deliver_due(sessionmaker, settings)
            except Exception:  # the database is away: try again at the next poll
                log.exception("mail sender failed")
            waker.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waker.wait(), timeout=settings.mail_poll_seconds)
    finally:
        _wakers.discard(waker)


async def pending_count(session: AsyncSession) -> int:
    found = await session.scalar(
        select(func.count())
        .select_from(MailMessage)
        .where(MailMessage.status.in_([MailStatus.QUEUED, MailStatus.SENDING]))
    )
    return int(found or 0)
