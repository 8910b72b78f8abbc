"""Nothing that matters lives in one process: two app instances on one database act as one."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import create_app
from tests.conftest import test_settings
from tests.factories import create_user, login


async def test_a_session_opened_on_one_instance_works_on_another_and_logout_ends_both(
    app: FastAPI, db_url: str, session: AsyncSession
) -> None:
    user = await create_user(session)
    other: FastAPI = create_app(test_settings(db_url), start_scheduler=False)
    try:
        first = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )
        second = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=other), base_url="http://testserver"
        )
        async with first, second:
            csrf = await login(first, user.email)
            second.cookies.update(first.cookies)
            me = await second.get("/api/auth/me")
            assert me.status_code == 200
            assert me.json()["user"]["email"] == user.email
            logout = await second.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
            assert logout.status_code == 204
            assert (await first.get("/api/auth/me")).status_code == 401
    finally:
        await other.state.db.dispose()


async def test_login_throttling_is_shared_between_instances(
    app: FastAPI, db_url: str, session: AsyncSession
) -> None:
    await create_user(session, email="shared@example.fr")
    other: FastAPI = create_app(test_settings(db_url), start_scheduler=False)
    try:
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://x")
            for a in (app, other)
        ]
        statuses = []
        for attempt in range(8):
            r = await clients[attempt % 2].post(
                "/api/auth/login", json={"email": "shared@example.fr", "password": "nope"}
            )
            statuses.append(r.status_code)
        for c in clients:
            await c.aclose()
    finally:
        await other.state.db.dispose()
    assert statuses[-1] == 429
