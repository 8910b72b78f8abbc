"""Fixtures and helpers for the strong-login tests: an app with `SNP_MFA_REQUIRED=true`."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pyotp
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import create_app
from snp.db import Database
from tests.conftest import empty_database, test_settings
from tests.factories import PASSWORD


@dataclass
class StrongApp:
    app: FastAPI
    client: httpx.AsyncClient
    session: AsyncSession


async def strong_app(db_url: str, **overrides: object) -> AsyncIterator[StrongApp]:
    settings = test_settings(db_url, mfa_required=True, **overrides)
    application = create_app(settings, start_scheduler=False)
    database: Database = application.state.db
    await empty_database(database)
    transport = httpx.ASGITransport(app=application, client=("203.0.113.7", 50000))
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        database.sessionmaker() as session,
    ):
        yield StrongApp(application, client, session)
    await database.dispose()


async def password_step(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """Log in with the password; returns the second step asked ("totp" or "enrolment")."""
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"] is None
    assert body["csrf_token"] is None
    assert "snp_session" not in response.cookies
    return str(body["second_factor"])


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """The code of the application for the current time step (or a later one)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


async def enrol(client: httpx.AsyncClient, email: str) -> tuple[str, list[str]]:
    """Password, QR code, first code: returns the secret and the recovery codes; the client is
    then logged in (and sends the CSRF token)."""
    assert await password_step(client, email) == "enrolment"
    shown = await client.post("/api/auth/mfa/enrolment")
    assert shown.status_code == 200, shown.text
    secret = str(shown.json()["secret"])
    confirmed = await client.post("/api/auth/mfa/enrolment/confirm", json={"code": code_at(secret)})
    assert confirmed.status_code == 200, confirmed.text
    client.headers["X-CSRF-Token"] = confirmed.json()["csrf_token"]
    return secret, list(confirmed.json()["recovery_codes"])


async def code_step(client: httpx.AsyncClient, code: str) -> httpx.Response:
    """The second step of a login; on success the client sends the CSRF token like the UI."""
    response = await client.post("/api/auth/mfa/verify", json={"code": code})
    if response.status_code == 200:
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return response


async def log_out(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/auth/logout")).status_code == 204
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
