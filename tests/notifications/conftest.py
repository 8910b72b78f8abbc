"""Fixtures of the notifications tests: the fake Twilio server, a Twilio backend aimed at it,
an app whose webhooks trust the fake's signatures, and patient contacts for the handlers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import time

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.backends import TwilioBackend
from notifications.models import OutboxMessage
from notifications.service import messages, sources
from notifications.service.dispatcher import DispatchOptions
from notifications.service.sources import Contact, PatientContact
from snp import events
from snp.settings import Settings
from tests.notifications.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, FakeTwilio

PUBLIC_URL = "http://testserver"


@pytest.fixture
async def webhook_app(app: FastAPI) -> FastAPI:
    """The test app, configured as a Twilio deployment reachable at `http://testserver`."""
    app.state.settings = app.state.settings.model_copy(
        update={
            "twilio_account_sid": ACCOUNT_SID,
            "twilio_auth_token": SecretStr(AUTH_TOKEN),
            "twilio_from_number": FROM_NUMBER,
            "public_base_url": PUBLIC_URL,
        }
    )
    return app


@pytest.fixture
async def fake_twilio(client: httpx.AsyncClient) -> AsyncIterator[FakeTwilio]:
    fake = FakeTwilio(webhook_client=client)
    await fake.start()
    yield fake
    await fake.stop()


def backend_for(fake: FakeTwilio, timeout: float) -> TwilioBackend:
    return TwilioBackend(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        from_number=FROM_NUMBER,
        base_url=fake.url,
        timeout=timeout,
        public_base_url=PUBLIC_URL,
    )


@pytest.fixture
async def twilio(fake_twilio: FakeTwilio) -> AsyncIterator[TwilioBackend]:
    """The production timeout: the fake shares the test's event loop, and a garbage collection
    late in the full suite can pause that loop for longer than a short timeout, which would
    turn sends that succeeded into timeouts."""
    backend = backend_for(fake_twilio, timeout=10.0)
    yield backend
    await backend.aclose()


@pytest.fixture
async def impatient_twilio(fake_twilio: FakeTwilio) -> AsyncIterator[TwilioBackend]:
    """A backend that gives up after half a second, for the tests where Twilio hangs."""
    backend = backend_for(fake_twilio, timeout=0.5)
    yield backend
    await backend.aclose()


@pytest.fixture
def options() -> DispatchOptions:
    """Fast retries so tests need not wait; jitter is still there."""
    return DispatchOptions(
        owner="test",
        batch_size=50,
        concurrency=5,
        max_attempts=4,
        retry_base_seconds=0.01,
        retry_max_seconds=0.05,
    )


@pytest.fixture
def contacts() -> Iterator[dict[int, PatientContact]]:
    """Patient contacts by request id, served to notifications like regulation will."""
    known: dict[int, PatientContact] = {}

    async def source(_session: AsyncSession, request_id: int) -> PatientContact | None:
        return known.get(request_id)

    sources.use_contact_source(source)
    yield known
    sources.use_contact_source(None)


@pytest.fixture
def published() -> Iterator[list[object]]:
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)


def patient(phone: str = "+33698765432", consent: bool = True) -> Contact:
    return Contact(phone=phone, initials="M. D.", age_label="54 ans", sms_consent=consent)


async def outbox_rows(session: AsyncSession) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    return list(await session.scalars(query.execution_options(populate_existing=True)))


@pytest.fixture(autouse=True)
def sms_settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The settings the handlers read, without quiet hours (tests run at any hour); a test may
    replace them with `monkeypatch.setattr(messages, "settings_of", ...)`."""
    settings = Settings(sms_quiet_hours_start=time(8, 0), sms_quiet_hours_end=time(8, 0))
    monkeypatch.setattr(messages, "settings_of", lambda _session: settings)
    return settings
