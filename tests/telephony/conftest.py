"""Telephony fixtures: an app configured as a Twilio Voice deployment reachable at
`http://testserver`, the fake Twilio Voice aimed at it, and logged-in operators."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.roles import Role
from tests.regulation.conftest import client_for, communes, staff
from tests.telephony.fake_voice import ACCOUNT_SID, AUTH_TOKEN, CPTS_NUMBER, FakeVoice

__all__ = ["communes"]

PUBLIC_URL = "http://testserver"
VOICE_URL = f"{PUBLIC_URL}/api/voice/twilio/inbound"
STATUS_URL = f"{PUBLIC_URL}/api/voice/twilio/status"
ALWAYS_OPEN = {
    "voice_open_days": [1, 2, 3, 4, 5, 6, 7],
    "voice_opens_at": time(0, 0),
    "voice_closes_at": time(23, 59, 59, 999999),
}


def configure(app: FastAPI, **overrides: object) -> None:
    app.state.settings = app.state.settings.model_copy(update=overrides)


@pytest.fixture
async def voice_app(app: FastAPI) -> FastAPI:
    """The test app as a Twilio Voice deployment, open at every hour (tests run at any)."""
    configure(
        app,
        voice_backend="twilio",
        voice_number=CPTS_NUMBER,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=SecretStr(AUTH_TOKEN),
        public_base_url=PUBLIC_URL,
        **ALWAYS_OPEN,
    )
    return app


@pytest.fixture
async def fake_voice(voice_app: FastAPI, client: httpx.AsyncClient) -> AsyncIterator[FakeVoice]:
    fake = FakeVoice(webhook_client=client, voice_url=VOICE_URL, status_url=STATUS_URL)
    await fake.start()
    configure(voice_app, twilio_base_url=fake.url)
    yield fake
    await fake.stop()


async def available(client: httpx.AsyncClient, phone: str = "+33611111111") -> dict[str, Any]:
    response = await client.put("/api/voice/presence", json={"state": "available", "phone": phone})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def operator(session: AsyncSession, client: httpx.AsyncClient, name: str, phone: str) -> int:
    """An operator logged in on `client`, available on `phone`."""
    user = await staff(session, client, Role.OPERATOR, name=name)
    await available(client, phone)
    return user.id


async def board(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/voice/board")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


__all__ += ["client_for"]
