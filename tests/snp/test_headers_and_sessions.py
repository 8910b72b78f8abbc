"""Browser-facing hardening: security headers, Secure cookies by default, Origin checks on
writes, the 12-hour session maximum on every request, idempotent booking confirms, no
source maps, no calendar-feed token in the access log."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment
from composition.app import create_app
from snp.auth.models import LoginSession
from snp.auth.roles import Role
from snp.db import utcnow
from snp.logging_setup import redact
from snp.settings import Settings
from tests.agenda.slot_factories import create_effector, create_slot
from tests.conftest import empty_database, test_settings
from tests.factories import PASSWORD, create_user, logged_in_as, login


def test_cookies_are_secure_unless_told_otherwise() -> None:
    assert Settings.model_fields["cookie_secure"].default is True


@pytest.fixture
async def secure_app(db_url: str, tmp_path: Path) -> AsyncIterator[FastAPI]:
    """The app as deployed: Secure cookies (HTTPS), a built UI with a stray source map."""
    (tmp_path / "index.html").write_text("<!doctype html><title>SNP</title>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index.js").write_text("console.log(1)")
    (tmp_path / "assets" / "index.js.map").write_text("{}")
    application = create_app(
        test_settings(db_url, cookie_secure=True, frontend_dist=tmp_path), start_scheduler=False
    )
    await empty_database(application.state.db)
    yield application
    await application.state.db.dispose()


async def test_deployed_answers_carry_the_security_headers_and_secure_cookies(
    secure_app: FastAPI, session: AsyncSession
) -> None:
    transport = httpx.ASGITransport(app=secure_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://snp.example.fr") as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "script-src 'self';" in page.headers["content-security-policy"]
        assert page.headers["strict-transport-security"].startswith("max-age=31536000")
        assert "camera=()" in page.headers["permissions-policy"]
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"
        assert (await client.get("/assets/index.js")).status_code == 200
        assert (await client.get("/assets/index.js.map")).status_code == 404
        await create_user(session, Role.OPERATOR, email="op@example.fr")
        answer = await client.post(
            "/api/auth/login", json={"email": "op@example.fr", "password": PASSWORD}
        )
        assert answer.status_code == 200
        cookies = answer.headers.get_list("set-cookie")
        assert all("; secure" in c.lower() for c in cookies)


async def test_local_http_gets_no_hsts(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert "strict-transport-security" not in response.headers
    assert "content-security-policy" in response.headers


async def test_writes_from_another_sites_page_are_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, Role.OPERATOR, email="op@example.fr")
    body = {"email": "op@example.fr", "password": PASSWORD}
    forged = await client.post(
        "/api/auth/login", json=body, headers={"Origin": "https://evil.example"}
    )
    assert forged.status_code == 403
    assert forged.json()["detail"][0]["loc"] == ["header", "origin"]
    by_referer = await client.post(
        "/api/auth/login", json=body, headers={"Referer": "https://evil.example/page"}
    )
    assert by_referer.status_code == 403
    same_site = await client.post(
        "/api/auth/login", json=body, headers={"Origin": "http://testserver"}
    )
    assert same_site.status_code == 200
    # Reads are not concerned; and a client that tells no origin (curl, the CLI) still needs
    # the session and the CSRF token like before.
    assert (await client.get("/healthz", headers={"Origin": "https://evil.example"})).is_success


async def test_the_session_maximum_holds_on_every_request(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.get("/api/auth/me")).status_code == 200
    # Active all along (the sliding expiry is still ahead), but logged in 12 h and 1 s ago.
    await session.execute(
        update(LoginSession).values(
            created_at=utcnow() - timedelta(hours=12, seconds=1),
            last_seen_at=utcnow(),
            expires_at=utcnow() + timedelta(hours=1),
        )
    )
    await session.commit()
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_a_retried_confirm_with_the_same_key_returns_the_first_answer(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    slot = await create_slot(session, effector, utcnow().replace(microsecond=0) + timedelta(days=1))
    await create_user(session, Role.OPERATOR, email="op@example.fr")
    await login(client, "op@example.fr")
    assert (await client.post(f"/api/agenda/slots/{slot.id}/hold")).status_code == 200
    confirm = {"patient_label": "M. D., 54 ans"}
    key = {"Idempotency-Key": "4b1f0c1e-8d1c-4f7e-9a43-0c3a1b2d5e6f"}
    first = await client.post(f"/api/agenda/slots/{slot.id}/confirm", json=confirm, headers=key)
    assert first.status_code == 201, first.text
    retried = await client.post(f"/api/agenda/slots/{slot.id}/confirm", json=confirm, headers=key)
    assert retried.status_code == 201
    assert retried.json() == first.json()
    assert await session.scalar(select(func.count()).select_from(Appointment)) == 1
    # Without the key, the same call is a new booking attempt (the hold is gone: 409).
    again = await client.post(f"/api/agenda/slots/{slot.id}/confirm", json=confirm)
    assert again.status_code == 409
    bad_key = await client.post(
        f"/api/agenda/slots/{slot.id}/confirm", json=confirm, headers={"Idempotency-Key": "x"}
    )
    assert bad_key.status_code == 422


def test_calendar_feed_tokens_never_reach_the_access_log() -> None:
    line = '127.0.0.1:5000 - "GET /api/agenda/ics/feed/Zx81_secret-TOKEN.ics HTTP/1.1" 200'
    cleaned = redact(line)
    assert "Zx81_secret-TOKEN" not in cleaned
    assert "/api/agenda/ics/feed/….ics" in cleaned
