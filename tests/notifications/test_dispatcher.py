"""The dispatcher, driving the real twilio SDK against the fake Twilio server: retries with
backoff, permanent errors, and crash safety (nothing lost, nothing sent twice)."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.backends import ConsoleBackend, TwilioBackend
from notifications.events import MessageUndeliverable
from notifications.models import Audience, MessageStatus, OptOut, OutboxMessage
from notifications.service import dispatcher, outbox
from notifications.service.dispatcher import DispatchOptions, DispatchReport, backoff_seconds
from snp.db import Database, utcnow
from tests.notifications.conftest import outbox_rows
from tests.notifications.fake_twilio import FROM_NUMBER, OK, Behaviour, FakeTwilio, error, hang


def phone(i: int) -> str:
    return f"+336123{i:05d}"


async def queue(session: AsyncSession, count: int, *, essential: bool = True) -> list[int]:
    for i in range(count):
        await outbox.enqueue(
            session,
            key=f"tests:{i}",
            to=phone(i),
            template="reponse_start",
            audience=Audience.PATIENT,
            essential=essential,
        )
    await session.commit()
    return [row.id for row in await outbox_rows(session)]


async def drain(
    database: Database,
    backend: TwilioBackend | ConsoleBackend,
    options: DispatchOptions,
    *,
    rounds: int = 50,
) -> DispatchReport:
    """Dispatch until nothing is queued any more (retries included)."""
    total = DispatchReport()
    for _ in range(rounds):
        total.add(await dispatcher.dispatch_once(database.sessionmaker, backend, options))
        async with database.sessionmaker() as session:
            waiting = await session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING])
                )
            )
        if waiting is None:
            return total
        await asyncio.sleep(0.06)
    raise AssertionError(f"still queued after {rounds} rounds: {total}")


async def test_messages_go_through_the_real_sdk_with_a_status_callback(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    ids = await queue(session, 3)
    report = await dispatcher.dispatch_once(database.sessionmaker, twilio, options)
    assert (report.claimed, report.sent) == (3, 3)
    rows = await outbox_rows(session)
    assert [r.status for r in rows] == ["sent"] * 3
    for row, message_id in zip(rows, ids, strict=True):
        sent = fake_twilio.by_sid(row.provider_sid or "")
        assert (sent.to, sent.body, sent.from_) == (row.recipient, row.body, FROM_NUMBER)
        assert sent.status_callback == (
            f"http://testserver/api/notifications/twilio/status?m={message_id}"
        )
        assert (row.provider, row.attempts, row.claim_token) == ("twilio", 1, None)
    assert (await dispatcher.dispatch_once(database.sessionmaker, twilio, options)).claimed == 0


async def test_a_messaging_service_replaces_the_sender(
    database: Database, session: AsyncSession, fake_twilio: FakeTwilio, options: DispatchOptions
) -> None:
    backend = TwilioBackend(
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        messaging_service_sid="MG" + "1" * 32,
        base_url=fake_twilio.url,
    )
    try:
        await queue(session, 1)
        await dispatcher.dispatch_once(database.sessionmaker, backend, options)
    finally:
        await backend.aclose()
    (sent,) = fake_twilio.messages
    assert (sent.from_, sent.messaging_service_sid) == (None, "MG" + "1" * 32)
    assert sent.status_callback is None  # no public URL configured: no delivery reports


async def test_transient_failures_are_retried_until_sent(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    impatient_twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    await queue(session, 1)
    fake_twilio.plan.extend([error(500), error(429), hang(accept=False, seconds=2)])
    report = await drain(database, impatient_twilio, options, rounds=80)
    (row,) = await outbox_rows(session)
    assert (row.status, row.attempts, row.error_code) == ("sent", 4, None)
    assert report.retried == 3
    assert len(fake_twilio.messages) == 1
    # After the timeout the dispatcher first asked Twilio whether the message had arrived.
    assert fake_twilio.list_calls >= 1


async def test_retries_back_off_exponentially_with_jitter(
    database: Database, session: AsyncSession, fake_twilio: FakeTwilio, twilio: TwilioBackend
) -> None:
    slow = DispatchOptions(owner="t", retry_base_seconds=10, retry_max_seconds=25)
    await queue(session, 1)
    delays = []
    for attempt in range(1, 4):
        fake_twilio.plan.append(error(503))
        now = utcnow() + timedelta(hours=attempt)  # later than any retry time
        await dispatcher.dispatch_once(database.sessionmaker, twilio, slow, now=now)
        (row,) = await outbox_rows(session)
        assert (row.status, row.attempts, row.error_code) == ("queued", attempt, "http_503")
        delays.append((row.next_attempt_at - now).total_seconds())
    assert 5 <= delays[0] <= 10
    assert 10 <= delays[1] <= 20
    assert 12.5 <= delays[2] <= 25  # capped at 25
    rng = random.Random(3)
    samples = [backoff_seconds(4, 1.0, 100.0, rng) for _ in range(200)]
    assert 4 <= min(samples) < 4.5
    assert 7.5 < max(samples) <= 8
    assert len(set(samples)) > 150  # jittered: failures do not retry in lockstep


@pytest.mark.parametrize("code", [21211, 21614, 21610])
async def test_a_recipient_error_stops_at_once_and_raises_an_alert(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
    published: list[object],
    code: int,
) -> None:
    (message_id,) = await queue(session, 1)
    fake_twilio.plan.append(error(400, code))
    report = await dispatcher.dispatch_once(database.sessionmaker, twilio, options)
    assert report.undeliverable == 1
    (row,) = await outbox_rows(session)
    assert (row.status, row.attempts, row.error_code) == ("undeliverable", 1, str(code))
    assert fake_twilio.create_calls == 1
    (event,) = [e for e in published if isinstance(e, MessageUndeliverable)]
    assert (event.message_id, event.status, event.error_code) == (
        message_id,
        "undeliverable",
        str(code),
    )


async def test_a_configuration_error_fails_at_once(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    options: DispatchOptions,
) -> None:
    wrong = TwilioBackend(
        account_sid=fake_twilio.account_sid,
        auth_token="not-the-token",
        from_number=FROM_NUMBER,
        base_url=fake_twilio.url,
    )
    try:
        await queue(session, 1)
        await dispatcher.dispatch_once(database.sessionmaker, wrong, options)
    finally:
        await wrong.aclose()
    (row,) = await outbox_rows(session)
    assert (row.status, row.error_code) == ("failed", "20003")


async def test_retries_stop_at_the_limit_and_the_message_fails(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
    published: list[object],
) -> None:
    await queue(session, 1)
    fake_twilio.plan.extend([error(500)] * options.max_attempts)
    report = await drain(database, twilio, options)
    (row,) = await outbox_rows(session)
    assert (row.status, row.attempts, row.error_code) == ("failed", 4, "http_500")
    assert (report.retried, report.failed) == (3, 1)
    assert fake_twilio.messages == []
    assert [type(e) for e in published] == [MessageUndeliverable]


async def test_a_non_essential_failure_is_no_alert(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
    published: list[object],
) -> None:
    await queue(session, 1, essential=False)
    fake_twilio.plan.append(error(400, 21211))
    await dispatcher.dispatch_once(database.sessionmaker, twilio, options)
    assert (await outbox_rows(session))[0].status == "undeliverable"
    assert published == []


async def test_a_timeout_after_twilio_accepted_is_not_sent_twice(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    impatient_twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    await queue(session, 2)
    fake_twilio.plan.extend([hang(accept=True, seconds=2), hang(accept=True, seconds=2)])
    first = await dispatcher.dispatch_once(database.sessionmaker, impatient_twilio, options)
    assert first.retried == 2
    assert all(r.in_doubt for r in await outbox_rows(session))
    report = await drain(database, impatient_twilio, options)
    assert (report.found, report.sent) == (2, 0)
    rows = await outbox_rows(session)
    assert {r.provider_sid for r in rows} == {m.sid for m in fake_twilio.messages}
    assert fake_twilio.create_calls == 2
    assert fake_twilio.duplicates() == []


async def sent_count(database: Database) -> int:
    async with database.sessionmaker() as fresh:
        rows = await fresh.scalars(
            select(OutboxMessage.id).where(OutboxMessage.status == MessageStatus.SENT)
        )
        return len(list(rows))


async def test_a_dispatcher_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
) -> None:
    ids = await queue(session, 10)
    options = DispatchOptions(owner="doomed", concurrency=4, lease=timedelta(seconds=60))
    # Three quick answers, then Twilio takes the messages but answers slowly.
    fake_twilio.plan.extend([OK] * 3 + [Behaviour(latency=10)] * 7)
    run = asyncio.create_task(dispatcher.dispatch_once(database.sessionmaker, twilio, options))
    # Wait (generously: a loaded CI machine is slow) until the 3 quick ones are recorded as
    # sent and 4 more are received by Twilio and in flight.
    for _ in range(2000):
        await asyncio.sleep(0.01)
        if len(fake_twilio.messages) >= 4 + 3 and await sent_count(database) == 3:
            break
    run.cancel()  # the process dies
    with pytest.raises(asyncio.CancelledError):
        await run
    rows = await outbox_rows(session)
    assert [r.status for r in rows].count("sent") == 3
    assert [r.status for r in rows].count("sending") == 7  # 4 sent but unrecorded, 3 never
    assert len(fake_twilio.messages) == 7

    fake_twilio.plan.clear()  # Twilio answers quickly again
    # Before the lease ends, nobody touches them.
    rescuer = DispatchOptions(owner="rescuer", concurrency=10)
    assert (await dispatcher.dispatch_once(database.sessionmaker, twilio, rescuer)).claimed == 0
    after_lease = utcnow() + timedelta(seconds=61)
    report = await dispatcher.dispatch_once(database.sessionmaker, twilio, rescuer, now=after_lease)
    assert (report.claimed, report.found, report.sent) == (7, 4, 3)
    rows = await outbox_rows(session)
    assert [r.status for r in rows] == ["sent"] * 10
    assert [r.id for r in rows] == ids
    assert len(fake_twilio.messages) == 10
    assert fake_twilio.duplicates() == []
    assert {r.provider_sid for r in rows} == {m.sid for m in fake_twilio.messages}


async def test_rows_claimed_by_a_dead_dispatcher_are_sent_once_after_the_lease(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    await queue(session, 5)
    async with database.sessionmaker() as claim_session:  # claimed, committed, then the crash
        claimed, _ = await dispatcher.claim(claim_session, options, utcnow())
        await claim_session.commit()
    assert len(claimed) == 5
    later = utcnow() + options.lease + timedelta(seconds=1)
    report = await dispatcher.dispatch_once(database.sessionmaker, twilio, options, now=later)
    assert (report.found, report.sent) == (0, 5)
    assert [r.attempts for r in await outbox_rows(session)] == [2] * 5
    assert len(fake_twilio.messages) == 5


async def test_a_row_with_a_provider_id_is_never_claimed_again(
    database: Database, session: AsyncSession, fake_twilio: FakeTwilio, twilio: TwilioBackend
) -> None:
    (message_id,) = await queue(session, 1)
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status="sending", provider_sid="SMalready", next_attempt_at=utcnow())
    )
    await session.commit()
    options = DispatchOptions(owner="t")
    later = utcnow() + timedelta(hours=1)
    assert (
        await dispatcher.dispatch_once(database.sessionmaker, twilio, options, now=later)
    ).claimed == 0
    assert fake_twilio.create_calls == 0


async def test_two_instances_dispatching_at_once_send_each_message_once(
    db_url: str,
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
) -> None:
    await queue(session, 60)
    fake_twilio.latency = 0.01
    other = Database(db_url)
    try:
        reports = await asyncio.gather(
            *[
                dispatcher.dispatch_once(
                    db.sessionmaker, twilio, DispatchOptions(owner=f"i{n}", batch_size=20)
                )
                for n, db in enumerate([database, other, database, other, database])
            ]
        )
    finally:
        await other.dispose()
    assert sum(r.claimed for r in reports) == 60
    assert sum(r.sent for r in reports) == 60
    assert len(fake_twilio.messages) == 60
    assert fake_twilio.duplicates() == []


async def test_the_console_backend_keeps_messages_on_the_machine(
    database: Database, session: AsyncSession, options: DispatchOptions
) -> None:
    await queue(session, 2)
    report = await dispatcher.dispatch_once(database.sessionmaker, ConsoleBackend(), options)
    assert report.sent == 2
    rows = await outbox_rows(session)
    assert [(r.status, r.provider) for r in rows] == [("sent", "console")] * 2
    assert rows[0].provider_sid == f"console-{rows[0].id}"


async def test_expired_and_opted_out_optional_messages_are_set_aside(
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    await queue(session, 3, essential=False)
    session.add(OptOut(phone=phone(1), keyword="STOP"))  # after the reminder was queued
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient == phone(2))
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    await session.commit()
    report = await dispatcher.dispatch_once(database.sessionmaker, twilio, options)
    assert (report.claimed, report.sent, report.suppressed) == (3, 1, 2)
    rows = await outbox_rows(session)
    assert [(r.status, r.last_error) for r in rows] == [
        ("sent", None),
        ("suppressed", "opted_out"),
        ("suppressed", "expired"),
    ]
    assert [m.to for m in fake_twilio.messages] == [phone(0)]


async def test_an_unreachable_provider_is_a_transient_error_without_doubt(
    database: Database, session: AsyncSession, options: DispatchOptions
) -> None:
    closed = TwilioBackend(
        account_sid="AC1", auth_token="t", from_number=FROM_NUMBER, base_url="http://127.0.0.1:9"
    )
    try:
        await queue(session, 1)
        report = await dispatcher.dispatch_once(database.sessionmaker, closed, options)
    finally:
        await closed.aclose()
    assert report.retried == 1
    (row,) = await outbox_rows(session)
    assert (row.status, row.error_code, row.in_doubt) == ("queued", "network", False)
