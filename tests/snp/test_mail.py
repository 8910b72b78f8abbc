"""The mail component: an outbox written in the caller's transaction, sent over a real SMTP
server (aiosmtpd, STARTTLS or implicit TLS, with a login), retried, never lost, never sent for a
rolled-back change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import mail
from snp.db import Database, utcnow
from snp.mail import MailMessage, MailStatus
from snp.settings import Settings
from tests.support.smtp import SmtpServer, smtp_server

MESSAGE = mail.Mail(
    to="dr.martin@exemple.fr",
    subject="Votre compte SNP",
    text="Bonjour Docteur,\n\nVoici votre lien.",
    html="<p>Bonjour Docteur,</p><p>Voici votre lien.</p>",
    kind="invitation",
)


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path) as server:
        yield server


def using(database: Database, url: str, **overrides: object) -> Settings:
    assert database.settings is not None
    return database.settings.model_copy(update={"smtp_url": SecretStr(url), **overrides})


async def rows(session: AsyncSession) -> list[MailMessage]:
    query = select(MailMessage).execution_options(populate_existing=True)
    return list(await session.scalars(query))


async def test_a_committed_mail_is_sent_over_starttls_with_text_and_html(
    database: Database, session: AsyncSession, smtp: SmtpServer
) -> None:
    async with database.transaction() as work:
        await mail.queue(work, MESSAGE)
    report = await mail.deliver_due(database.sessionmaker, using(database, smtp.url))
    assert report.sent == 1
    [received] = smtp.inbox.to("dr.martin@exemple.fr")
    assert received["Subject"] == "Votre compte SNP"
    plain, html = received.get_body(("plain",)), received.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert "Voici votre lien." in plain.get_content()
    assert "<p>Voici votre lien.</p>" in html.get_content()
    [row] = await rows(session)
    assert row.status == MailStatus.SENT
    assert row.sent_at is not None
    again = await mail.deliver_due(database.sessionmaker, using(database, smtp.url))
    assert again.sent == 0
    assert len(smtp.inbox.messages) == 1


async def test_implicit_tls_works_too(database: Database, tmp_path: Path) -> None:
    with smtp_server(tmp_path, implicit_tls=True) as server:
        async with database.transaction() as work:
            await mail.queue(work, MESSAGE)
        report = await mail.deliver_due(database.sessionmaker, using(database, server.url))
        assert report.sent == 1
        assert len(server.inbox.messages) == 1


async def test_a_rolled_back_change_sends_nothing(
    database: Database, session: AsyncSession, smtp: SmtpServer
) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as work:
            await mail.queue(work, MESSAGE)
            raise RuntimeError("la modification échoue après la mise en file")
    report = await mail.deliver_due(database.sessionmaker, using(database, smtp.url))
    assert report.sent == 0
    assert await rows(session) == []
    assert smtp.inbox.messages == []


async def test_a_server_away_keeps_the_mail_and_it_leaves_once_the_server_is_back(
    database: Database, session: AsyncSession, tmp_path: Path
) -> None:
    async with database.transaction() as work:
        await mail.queue(work, MESSAGE)
    with smtp_server(tmp_path) as server:
        down_url = server.url
    # The same address, nobody listening: a temporary failure, kept for later.
    now = utcnow()
    report = await mail.deliver_due(database.sessionmaker, using(database, down_url), now=now)
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    [row] = await rows(session)
    assert row.status == MailStatus.QUEUED
    assert row.attempts == 1
    assert row.last_error
    assert row.next_attempt_at > now
    with smtp_server(tmp_path) as server:
        settings = using(database, server.url)
        too_early = await mail.deliver_due(database.sessionmaker, settings, now=now)
        assert too_early.sent == 0
        later = await mail.deliver_due(
            database.sessionmaker, settings, now=now + timedelta(minutes=5)
        )
        assert later.sent == 1
        assert len(server.inbox.messages) == 1


async def test_the_last_attempt_marks_the_mail_failed(
    database: Database, session: AsyncSession, tmp_path: Path
) -> None:
    async with database.transaction() as work:
        await mail.queue(work, MESSAGE)
    with smtp_server(tmp_path) as server:
        down_url = server.url
    settings = using(database, down_url, mail_max_attempts=2)
    now = utcnow()
    await mail.deliver_due(database.sessionmaker, settings, now=now)
    report = await mail.deliver_due(database.sessionmaker, settings, now=now + timedelta(hours=2))
    assert report.failed == 1
    [row] = await rows(session)
    assert (row.status, row.attempts) == (MailStatus.FAILED, 2)


async def test_a_refused_recipient_fails_at_once(
    database: Database, session: AsyncSession, smtp: SmtpServer
) -> None:
    smtp.inbox.refuse.add("dr.martin@exemple.fr")
    async with database.transaction() as work:
        await mail.queue(work, MESSAGE)
    report = await mail.deliver_due(database.sessionmaker, using(database, smtp.url))
    assert report.failed == 1
    [row] = await rows(session)
    assert row.status == MailStatus.FAILED
    assert row.attempts == 1


async def test_a_wrong_smtp_password_is_retried_not_dropped(
    database: Database, session: AsyncSession, smtp: SmtpServer
) -> None:
    async with database.transaction() as work:
        await mail.queue(work, MESSAGE)
    wrong = smtp.url.replace("mot-de-passe-smtp", "faux")
    report = await mail.deliver_due(database.sessionmaker, using(database, wrong))
    assert report.retried == 1
    [row] = await rows(session)
    assert row.status == MailStatus.QUEUED
    assert "535" in (row.last_error or "")  # refused by the server, not a timeout


async def test_the_console_backend_prints_the_message(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    async with database.transaction() as work:
        await mail.queue(work, MESSAGE)
    report = await mail.deliver_due(database.sessionmaker, using(database, "console://"))
    assert report.sent == 1
    printed = capsys.readouterr().out
    assert "To: dr.martin@exemple.fr" in printed
    assert "Subject: Votre compte SNP" in printed


async def test_a_commit_that_queued_mail_wakes_the_running_sender(
    database: Database, smtp: SmtpServer
) -> None:
    import asyncio  # only this test runs the sender task

    sender = asyncio.create_task(
        mail.run_sender(database.sessionmaker, using(database, smtp.url, mail_poll_seconds=3600))
    )
    try:
        await asyncio.sleep(0.2)  # the sender's first pass (nothing to send) is over
        async with database.transaction() as work:
            await mail.queue(work, MESSAGE)
        for _ in range(100):
            if smtp.inbox.messages:
                break
            await asyncio.sleep(0.05)
        assert len(smtp.inbox.messages) == 1
    finally:
        sender.cancel()


@pytest.mark.parametrize(
    "url", ["http://mail.exemple.fr", "smtp://", "ftp://user@host:21", "smtp:/sans-hote"]
)
def test_an_unusable_smtp_url_is_refused_in_french(url: str) -> None:
    with pytest.raises(ValueError, match="SNP_SMTP_URL attendu"):
        mail.parse_url(url)


def test_smtp_url_defaults() -> None:
    assert mail.parse_url("").scheme == "console"
    assert mail.parse_url("smtp://u:p%40ss@mail.exemple.fr").port == 587
    assert mail.parse_url("smtp://u:p%40ss@mail.exemple.fr").password == "p@ss"
    assert mail.parse_url("smtps://mail.exemple.fr").port == 465
