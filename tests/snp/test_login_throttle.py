"""Login throttling under attack: it holds no database lock, never blocks the event loop,
counts concurrent guesses exactly, and cannot be turned against the real user."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import create_app
from snp.auth import service
from snp.auth.models import LoginThrottle
from snp.auth.roles import Role
from snp.db import Database, utcnow
from tests.conftest import empty_database, test_settings
from tests.factories import PASSWORD, create_user, login

TARGET = "coordination@example.fr"


def client_from(app: FastAPI, ip: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def flood_app(db_url: str) -> AsyncIterator[FastAPI]:
    """The app with the shipped throttle settings (the shared fixture turns the delay off)."""
    application = create_app(
        test_settings(db_url, login_slowdown_seconds=1.0), start_scheduler=False
    )
    await empty_database(application.state.db)
    yield application
    await application.state.db.dispose()


@asynccontextmanager
async def app_slowing_down_after(
    db_url: str, attempts: int
) -> AsyncIterator[tuple[FastAPI, Database]]:
    """The app whose account delay (20 s) starts after `attempts` counted attempts, and the
    target's account."""
    app = create_app(
        test_settings(db_url, login_slowdown_after=attempts, login_slowdown_seconds=20.0),
        start_scheduler=False,
    )
    database: Database = app.state.db
    await empty_database(database)
    try:
        async with database.sessionmaker() as session:
            await create_user(session, email=TARGET)
        yield app, database
    finally:
        await database.dispose()


@pytest.fixture
def counted_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the threads every password check ran in."""
    threads: list[str] = []
    real = service.verify_password

    def counting(password_hash: str, password: str) -> bool:
        threads.append(threading.current_thread().name)
        return real(password_hash, password)

    monkeypatch.setattr(service, "verify_password", counting)
    return threads


async def attempt(client: httpx.AsyncClient, password: str, email: str = TARGET) -> int:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    return response.status_code


async def test_a_login_flood_never_makes_a_legitimate_write_fail(
    flood_app: FastAPI, session: AsyncSession
) -> None:
    await create_user(session, Role.COORDINATOR, email=TARGET)
    attackers = [client_from(flood_app, f"198.51.100.{i}") for i in range(1, 5)]
    async with client_from(flood_app, "203.0.113.10") as legit:
        await login(legit, TARGET)

        async def flood(client: httpx.AsyncClient) -> list[int]:
            return [await attempt(client, f"guess-{n}") for n in range(12)]

        async def write(n: int) -> int:
            response = await legit.post(
                "/api/users",
                json={
                    "email": f"new{n}@example.fr",
                    "full_name": f"Nouvel opérateur {n}",
                    "role": "operator",
                    "password": "a long enough password",
                },
            )
            return response.status_code

        floods = [asyncio.ensure_future(flood(c)) for c in attackers]
        write_statuses = await asyncio.gather(*(write(n) for n in range(15)))
        flood_statuses = [s for statuses in await asyncio.gather(*floods) for s in statuses]
    for client in attackers:
        await client.aclose()
    assert write_statuses == [201] * 15
    assert set(flood_statuses) <= {401, 429}
    assert 429 in flood_statuses  # the account's progressive delay answered early attempts


async def test_concurrent_wrong_passwords_check_exactly_the_threshold(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, counted_checks: list[str]
) -> None:
    await create_user(session, Role.COORDINATOR, email=TARGET)
    statuses = await asyncio.gather(*(attempt(client, f"guess-{n}") for n in range(60)))
    # login_lock_after: never more, and no fewer either (a guess refused because others were
    # counting at the same moment would leave the address short of its lock).
    assert len(counted_checks) == 8
    assert statuses.count(401) + statuses.count(429) == 60
    # Even the right password is refused from the attacking address...
    assert await attempt(client, PASSWORD) == 429
    # ...while the real user, from another address, logs in.
    async with client_from(app, "203.0.113.99") as real_user:
        assert await attempt(real_user, PASSWORD) == 200


async def test_concurrent_attempts_from_many_addresses_respect_the_account_delay(
    db_url: str, counted_checks: list[str]
) -> None:
    async with app_slowing_down_after(db_url, 3) as (app, _database):
        attackers = [client_from(app, f"198.51.100.{i}") for i in range(1, 41)]
        statuses = await asyncio.gather(*(attempt(c, "guess") for c in attackers))
        for client in attackers:
            await client.aclose()
    # The third counted attempt starts the 20 s delay: every later one is answered at once.
    assert len(counted_checks) == 3
    assert sorted(statuses) == [401] * 3 + [429] * 37


async def test_passwords_are_checked_off_the_event_loop(
    client: httpx.AsyncClient, session: AsyncSession, counted_checks: list[str]
) -> None:
    await create_user(session, email="op@example.fr")
    assert await attempt(client, "wrong", "op@example.fr") == 401
    await login(client, "op@example.fr")
    assert len(counted_checks) == 2
    assert threading.main_thread().name not in counted_checks


async def test_an_address_guessing_many_accounts_is_locked_out(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, email="victim@example.fr")
    statuses = [await attempt(client, "guess", f"user{n}@example.fr") for n in range(30)]
    assert statuses == [401] * 30  # login_ip_lock_after, each account tried once
    assert await attempt(client, PASSWORD, "victim@example.fr") == 429
    async with client_from(app, "203.0.113.99") as elsewhere:
        assert await attempt(elsewhere, PASSWORD, "victim@example.fr") == 200


async def test_the_account_delay_answers_early_attempts_at_once_and_then_lets_the_user_in(
    db_url: str,
) -> None:
    async with app_slowing_down_after(db_url, 2) as (app, database):
        addresses = [f"198.51.100.{i}" for i in range(1, 5)]
        statuses = []
        for ip in addresses:
            async with client_from(app, ip) as attacker:
                statuses.append(await attempt(attacker, "guess"))
        assert statuses == [401, 401, 429, 429]  # third attempt must wait 20 s
        async with client_from(app, "203.0.113.50") as real_user:
            refused = await real_user.post(
                "/api/auth/login", json={"email": TARGET, "password": PASSWORD}
            )
            assert refused.status_code == 429
            # The wait left (at most the 20 s delay, however slow the machine).
            message = refused.json()["detail"][0]["msg"]
            wait = re.search(r"Réessayez dans (\d+) seconde\(s\)", message)
            assert wait is not None
            assert 1 <= int(wait.group(1)) <= 20
            async with database.transaction() as session:  # the delay has passed
                await session.execute(
                    update(LoginThrottle).values(not_before=utcnow() - timedelta(seconds=1))
                )
            assert await attempt(real_user, PASSWORD) == 200


async def test_the_throttle_stores_no_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await attempt(client, "guess", "someone@example.fr")
    keys = list(
        await session.scalars(LoginThrottle.__table__.select().with_only_columns(LoginThrottle.key))
    )
    assert len(keys) == 3
    assert not any("someone" in key for key in keys)
