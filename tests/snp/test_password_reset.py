"""Password reset by link: issued by a coordinator (or `snp user reset-link`), used once,
expires, stored hashed, audited; the new password closes the old sessions."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth import reset
from snp.auth.models import LoginSession, User
from snp.auth.roles import Role
from snp.db import utcnow
from snp.settings import Settings
from tests.factories import PASSWORD, create_user, login

NEW_PASSWORD = "un tout nouveau secret"


async def issue(client: httpx.AsyncClient, session: AsyncSession, user: User) -> str:
    coordinator = await create_user(session, Role.COORDINATOR)
    await login(client, coordinator.email)
    response = await client.post(f"/api/password-reset/users/{user.id}")
    assert response.status_code == 201, response.text
    url = response.json()["url"]
    assert urlparse(url).path == "/mot-de-passe/nouveau"
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    return str(parse_qs(urlparse(url).query)["token"][0])


async def test_a_coordinator_link_lets_the_user_choose_a_password_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.SAS_REGULATOR, email="regul@sas.fr")
    token = await issue(client, session, user)
    check = await client.post("/api/password-reset/check", json={"token": token})
    assert check.status_code == 200
    assert check.json() == {"email": "regul@sas.fr"}
    used = await client.post(
        "/api/password-reset/use", json={"token": token, "password": NEW_PASSWORD}
    )
    assert used.status_code == 204
    await login(client, "regul@sas.fr", NEW_PASSWORD)
    again = await client.post(
        "/api/password-reset/use", json={"token": token, "password": "encore un autre"}
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "token"]


async def test_only_coordinators_issue_links(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator = await create_user(session, Role.OPERATOR)
    await login(client, operator.email)
    response = await client.post(f"/api/password-reset/users/{operator.id}")
    assert response.status_code == 403


async def test_token_is_stored_hashed_and_issuing_is_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.SAS_REGULATOR, email="regul@sas.fr")
    token = await issue(client, session, user)
    stored = list(await session.scalars(select(reset.PasswordResetToken.token_hash)))
    assert len(stored) == 1
    assert token not in stored[0]
    entries = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "reset_link")
    )
    assert entries == 1


async def test_expired_or_superseded_links_fail(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.SAS_REGULATOR, email="regul@sas.fr")
    settings = Settings(public_base_url="https://snp.example.fr")
    old = await reset.issue_link(
        session, Actor.system("tests"), settings, user_id=user.id, now=utcnow() - timedelta(days=5)
    )
    await session.commit()
    old_token = parse_qs(urlparse(old.url).query)["token"][0]
    expired = await client.post("/api/password-reset/check", json={"token": old_token})
    assert expired.status_code == 422
    first = await reset.issue_link(session, Actor.system("tests"), settings, user_id=user.id)
    await reset.issue_link(session, Actor.system("tests"), settings, user_id=user.id)
    await session.commit()
    first_token = parse_qs(urlparse(first.url).query)["token"][0]
    superseded = await client.post(
        "/api/password-reset/use", json={"token": first_token, "password": NEW_PASSWORD}
    )
    assert superseded.status_code == 422


async def test_new_password_closes_sessions_and_short_ones_are_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.SAS_REGULATOR, email="regul@sas.fr")
    await login(client, user.email, PASSWORD)
    other = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    token = await issue(other, session, user)
    short = await other.post("/api/password-reset/use", json={"token": token, "password": "court"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "password"]
    ok = await other.post(
        "/api/password-reset/use", json={"token": token, "password": NEW_PASSWORD}
    )
    assert ok.status_code == 204
    await other.aclose()
    sessions = await session.scalar(
        select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id)
    )
    assert sessions == 0
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_cli_prints_a_working_link(
    db_url: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    import asyncio
    import os
    import sys

    await create_user(session, Role.SAS_REGULATOR, email="regul@sas.fr")
    env = {
        **os.environ,
        "SNP_DATABASE_URL": db_url,
        "SNP_PUBLIC_BASE_URL": "https://snp.example.fr",
        "SNP_LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "composition.cli",
        "user",
        "reset-link",
        "regul@sas.fr",
        env=env,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    url = out.decode().strip().splitlines()[-1]
    assert url.startswith("https://snp.example.fr/mot-de-passe/nouveau?token=")
    token = parse_qs(urlparse(url).query)["token"][0]
    check = await client.post("/api/password-reset/check", json={"token": token})
    assert check.json() == {"email": "regul@sas.fr"}
