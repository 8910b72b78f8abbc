"""Logs never carry patient names, phone numbers or clinical text."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from snp.logging_setup import RedactingFilter, redact
from tests.factories import create_user


def test_phone_numbers_emails_and_query_strings_are_masked() -> None:
    line = (
        '127.0.0.1 - "GET /api/requests?name=Dupont&phone=0612345678 HTTP/1.1" 200 '
        "sent to +33612345678 and 06 12 34 56 78 for jean.dupont@example.fr"
    )
    cleaned = redact(line)
    assert "Dupont" not in cleaned
    assert "0612345678" not in cleaned
    assert "+33612345678" not in cleaned
    assert "06 12 34 56 78" not in cleaned
    assert "jean.dupont@example.fr" not in cleaned
    assert "GET /api/requests?…" in cleaned


def test_the_filter_rewrites_records_with_arguments() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "call %s", ("0612345678",), None)
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "call <numéro>"


async def test_a_failed_login_logs_nothing_about_the_person(
    client: httpx.AsyncClient, session: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    await create_user(session, email="dr.secret@example.fr")
    with caplog.at_level(logging.DEBUG):
        await client.post(
            "/api/auth/login", json={"email": "dr.secret@example.fr", "password": "wrong-pass"}
        )
    text = caplog.text
    assert "dr.secret" not in text
    assert "wrong-pass" not in text


def test_timestamps_and_durations_are_not_mistaken_for_phone_numbers() -> None:
    line = "2026-11-23 10:57:40,988 next run at: 2026-11-23 10:57:55 UTC (0.988645 s)"
    assert redact(line) == line
