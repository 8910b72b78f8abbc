"""The dispatcher: claims due SMS, sends them, records each result as soon as it is known.

One run:
1. Claim (one short transaction, committed): one `UPDATE ... WHERE id IN (SELECT ... LIMIT n)`
   takes up to `batch_size` due rows, `queued` ones whose time has come and `sending` ones whose
   lease ran out (their dispatcher died), and marks them `sending` with this run's claim token,
   a lease (`next_attempt_at` = now + lease) and one more attempt. On PostgreSQL the inner
   SELECT is `FOR UPDATE SKIP LOCKED`, so several app instances share the work without waiting
   on each other; SQLite has a single writer, which makes the statement atomic by itself.
   Rows taken back from an expired lease are flagged `in_doubt` (the same statement reads the
   old status). Non-essential rows to numbers that answered STOP, and rows past `expires_at`,
   are set aside (`suppressed`) in the same transaction.
2. Send, outside any transaction, `concurrency` at a time. An `in_doubt` row is first looked up
   at the provider (`Backend.find_sent`): if an earlier attempt got through, its id is recorded
   and nothing is sent again.
3. Record each result in its own transaction the moment it is known, guarded by the claim token
   (a late dispatcher cannot overwrite a newer claim): `sent` with the provider's id; transient
   errors back to `queued` after an exponential backoff with jitter, until `max_attempts`, then
   `failed`; permanent errors at once `undeliverable` (recipient) or `failed` (configuration).
   An essential message that ends in failure emits `MessageUndeliverable`.

Crash safety: a run killed at any point loses nothing (unrecorded rows come back when their
lease ends) and a row that has a provider id is never sent again. The only window for a double
send is a provider that accepted a message whose id we could not store *and* that `find_sent`
cannot see; with Twilio the lookup by recipient and text closes it except for a provider-side
listing delay, which the lease length (default 2 minutes) makes negligible.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from notifications.backends.base import Backend, OutgoingSms, SendError
from notifications.models import MessageStatus, OptOut, OutboxMessage
from notifications.service.outbox import emit_if_alert
from snp.db import utcnow
from snp.settings import Settings

log = logging.getLogger(__name__)

SessionMaker = async_sessionmaker[AsyncSession]


@dataclass(frozen=True, slots=True)
class DispatchOptions:
    owner: str
    batch_size: int = 50
    concurrency: int = 10
    lease: timedelta = timedelta(seconds=120)
    max_attempts: int = 6
    retry_base_seconds: float = 15.0
    retry_max_seconds: float = 900.0

    @classmethod
    def from_settings(cls, settings: Settings, owner: str) -> DispatchOptions:
        return cls(
            owner=owner,
            batch_size=settings.sms_dispatch_batch_size,
            concurrency=settings.sms_dispatch_concurrency,
            lease=timedelta(seconds=settings.sms_lease_seconds),
            max_attempts=settings.sms_max_attempts,
            retry_base_seconds=settings.sms_retry_base_seconds,
            retry_max_seconds=settings.sms_retry_max_seconds,
        )


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    found: int = 0  # in-doubt rows the provider already had: recorded, not sent again
    retried: int = 0
    failed: int = 0
    undeliverable: int = 0
    suppressed: int = 0
    lost_claims: int = 0  # results that could not be recorded (the claim was taken over)

    def add(self, other: DispatchReport) -> None:
        for field in fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    recipient: str
    body: str
    essential: bool
    in_doubt: bool
    attempts: int
    created_at: datetime
    expires_at: datetime | None
    token: str

    def sms(self) -> OutgoingSms:
        return OutgoingSms(self.id, self.recipient, self.body, self.created_at)


def backoff_seconds(
    attempts: int, base: float, cap: float, rng: random.Random | None = None
) -> float:
    """Delay before the next attempt: base * 2^(attempts-1), capped, with "equal jitter" (half
    fixed, half random) so that a burst of failures does not retry in lockstep."""
    delay = min(cap, base * 2.0 ** max(0, attempts - 1))
    # Not cryptographic: only spreads retries in time.
    jitter = rng.uniform(0, delay / 2) if rng else random.uniform(0, delay / 2)  # noqa: S311
    return delay / 2 + jitter


def _due(now: datetime) -> object:
    return and_(
        OutboxMessage.status.in_([MessageStatus.QUEUED.value, MessageStatus.SENDING.value]),
        OutboxMessage.next_attempt_at <= now,
        OutboxMessage.provider_sid.is_(None),
    )


async def claim(
    session: AsyncSession, options: DispatchOptions, now: datetime
) -> tuple[list[Claimed], int]:
    """Take this run's batch (see the module doc); returns the rows to send and how many were
    set aside. The caller commits."""
    token = f"{options.owner}/{uuid.uuid4().hex[:12]}"
    due = _due(now)
    pick = (
        select(OutboxMessage.id)
        .where(due)  # type: ignore[arg-type]
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(options.batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    rows = (
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(pick), due)  # type: ignore[arg-type]
            .values(
                # Right-hand sides see the row as it was: a row still `sending` was lost by a
                # dispatcher whose lease ran out, and may have reached the provider.
                in_doubt=or_(
                    OutboxMessage.in_doubt.is_(True),
                    OutboxMessage.status == MessageStatus.SENDING.value,
                ),
                status=MessageStatus.SENDING.value,
                claim_token=token,
                claimed_at=now,
                next_attempt_at=now + options.lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(
                OutboxMessage.id,
                OutboxMessage.recipient,
                OutboxMessage.body,
                OutboxMessage.essential,
                OutboxMessage.in_doubt,
                OutboxMessage.attempts,
                OutboxMessage.created_at,
                OutboxMessage.expires_at,
            )
            .execution_options(synchronize_session=False)
        )
    ).all()
    claimed = [
        Claimed(
            r.id,
            r.recipient,
            r.body,
            bool(r.essential),
            bool(r.in_doubt),
            r.attempts,
            r.created_at,
            r.expires_at,
            token,
        )
        for r in rows
    ]
    reasons = {c.id: "expired" for c in claimed if c.expires_at and c.expires_at <= now}
    optional_phones = {c.recipient for c in claimed if not c.essential and c.id not in reasons}
    if optional_phones:
        opted_out = set(
            await session.scalars(select(OptOut.phone).where(OptOut.phone.in_(optional_phones)))
        )
        reasons.update(
            {c.id: "opted_out" for c in claimed if not c.essential and c.recipient in opted_out}
        )
    for reason in set(reasons.values()):
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([i for i, r in reasons.items() if r == reason]))
            .values(
                status=MessageStatus.SUPPRESSED.value,
                last_error=reason,
                claim_token=None,
                in_doubt=False,
            )
            .execution_options(synchronize_session=False)
        )
    return [c for c in claimed if c.id not in reasons], len(reasons)


async def _record(
    sessionmaker: SessionMaker,
    item: Claimed,
    values: dict[str, object],
    *,
    alert: bool = False,
    writer: asyncio.Lock | None = None,
) -> bool:
    # SQLite has one writer: queueing here is cheaper than spinning on its busy handler.
    async with writer or contextlib.nullcontext(), sessionmaker() as session:
        row = (
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == item.id,
                    OutboxMessage.claim_token == item.token,
                    OutboxMessage.status == MessageStatus.SENDING.value,
                )
                .values(claim_token=None, **values)
                .returning(OutboxMessage.id)
                .execution_options(synchronize_session=False)
            )
        ).first()
        if row is not None and alert:
            await emit_if_alert(session, item.id)
        await session.commit()
    return row is not None


async def _sid_known(sessionmaker: SessionMaker, sid: str) -> bool:
    async with sessionmaker() as session:
        found = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.provider_sid == sid)
        )
    return found is not None


async def _process(
    sessionmaker: SessionMaker,
    backend: Backend,
    options: DispatchOptions,
    item: Claimed,
    now: datetime,
    rng: random.Random | None,
    writer: asyncio.Lock | None,
) -> str:
    sms = item.sms()
    looking_up = item.in_doubt
    try:
        sid = await backend.find_sent(sms) if item.in_doubt else None
        if sid is not None and await _sid_known(sessionmaker, sid):
            sid = None  # the same text to the same number belongs to another row
        looking_up = False
        found = sid is not None
        if sid is None:
            sid = await backend.send(sms)
    except SendError as error:
        return await _record_failure(
            sessionmaker, options, item, error, looking_up, now, rng, writer
        )
    except Exception as exc:  # a backend bug: keep the message, try again later
        log.exception("SMS backend %s failed unexpectedly", backend.name)
        unexpected = SendError("error", type(exc).__name__, transient=True, in_doubt=True)
        return await _record_failure(
            sessionmaker, options, item, unexpected, looking_up, now, rng, writer
        )
    recorded = await _record(
        sessionmaker,
        item,
        {
            "status": MessageStatus.SENT.value,
            "provider": backend.name,
            "provider_sid": sid,
            "sent_at": now,
            "in_doubt": False,
            "error_code": None,
            "last_error": None,
        },
        writer=writer,
    )
    if not recorded:
        return "lost_claims"
    return "found" if found else "sent"


async def _record_failure(
    sessionmaker: SessionMaker,
    options: DispatchOptions,
    item: Claimed,
    error: SendError,
    looking_up: bool,
    now: datetime,
    rng: random.Random | None,
    writer: asyncio.Lock | None,
) -> str:
    common: dict[str, object] = {"error_code": error.code[:16], "last_error": str(error)[:300]}
    if error.transient and item.attempts < options.max_attempts:
        delay = backoff_seconds(
            item.attempts, options.retry_base_seconds, options.retry_max_seconds, rng
        )
        values = {
            **common,
            "status": MessageStatus.QUEUED.value,
            "next_attempt_at": now + timedelta(seconds=delay),
            # Still unsure whether an earlier attempt got through: look again next time.
            "in_doubt": error.in_doubt or (item.in_doubt and looking_up),
        }
        outcome = "retried"
    else:
        status = MessageStatus.UNDELIVERABLE if error.undeliverable else MessageStatus.FAILED
        values = {**common, "status": status.value, "failed_at": now, "in_doubt": False}
        outcome = status.value
    if not await _record(sessionmaker, item, values, alert=outcome != "retried", writer=writer):
        return "lost_claims"
    log.info("SMS %d: %s (%s, attempt %d)", item.id, outcome, error.code, item.attempts)
    return outcome


async def dispatch_once(
    sessionmaker: SessionMaker,
    backend: Backend,
    options: DispatchOptions,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> DispatchReport:
    """Claim one batch of due SMS, send them and record every result."""
    now = now or utcnow()
    async with sessionmaker() as session:
        batch, set_aside = await claim(session, options, now)
        await session.commit()
        sqlite = session.get_bind().dialect.name == "sqlite"
    report = DispatchReport(claimed=len(batch) + set_aside, suppressed=set_aside)
    if not batch:
        return report
    gate = asyncio.Semaphore(options.concurrency)
    writer = asyncio.Lock() if sqlite else None

    async def one(item: Claimed) -> str:
        async with gate:
            return await _process(sessionmaker, backend, options, item, now, rng, writer)

    for outcome in await asyncio.gather(*(one(item) for item in batch)):
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


async def dispatch_until_idle(
    sessionmaker: SessionMaker,
    backend: Backend,
    options: DispatchOptions,
    *,
    budget_seconds: float = 30.0,
) -> DispatchReport:
    """Run batches while full ones keep coming, within `budget_seconds` (the scheduled job)."""
    total = DispatchReport()
    started = time.monotonic()
    while True:
        report = await dispatch_once(sessionmaker, backend, options)
        total.add(report)
        if report.claimed < options.batch_size or time.monotonic() - started > budget_seconds:
            return total
