"""Regulation fixtures and builders: the demo territory, patients, logged-in clients, servers."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
import pytest
import uvicorn
from dateutil.relativedelta import relativedelta
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import ClientConnection, connect

from composition import demo
from regulation.service.records import today_paris
from snp import territory
from snp.actor import Actor
from snp.auth import service as auth_service
from snp.auth.models import User
from snp.auth.roles import Role
from tests.factories import PASSWORD, create_user, login
from tests.support.postgres import free_port

REDON = "35236"


@pytest.fixture
async def communes(session: AsyncSession) -> None:
    """Requests must come from the territory: load the demo communes."""
    await territory.upsert_communes(session, demo.COMMUNES)
    await session.commit()


def patient(**overrides: Any) -> dict[str, Any]:
    """A valid operator intake body (a 40-year-old woman in Redon)."""
    body: dict[str, Any] = {
        "family_name": "Dupont",
        "given_name": "Marie",
        "birth_date": "1986-03-14",
        "sex": "female",
        "phone": "06 12 34 56 78",
        "commune_insee": REDON,
        "has_gp": True,
        "gp_name": "Dr Martin",
        "mobility": "can_travel",
        "sms_consent": True,
        "motif": "fever",
    }
    body.update(overrides)
    return body


def referral(**overrides: Any) -> dict[str, Any]:
    """A referrer's minimal form."""
    body: dict[str, Any] = {
        "family_name": "Le Goff",
        "given_name": "Yann",
        "birth_date": "1950-07-01",
        "phone": "+33698765432",
        "commune_insee": REDON,
        "motif": "urinary_burning",
        "origin": "pharmacist",
    }
    body.update(overrides)
    return body


def birth_date_for(years: int = 0, months: int = 0, days: int = 0) -> str:
    """A birth date giving that age today (Europe/Paris)."""
    born: date = today_paris() - relativedelta(years=years, months=months, days=days)
    return born.isoformat()


def no_red_flags(document: dict[str, Any], band: str | None = None) -> dict[str, bool]:
    """Every red flag and every risk factor of the protocol document (JSON) answered "no"."""
    asked = [*document["red_flags"], *document.get("risk_factors", [])]
    return {
        f["id"]: False
        for f in asked
        if band is None or f["age_bands"] is None or band in f["age_bands"]
    }


@asynccontextmanager
async def client_for(
    app: FastAPI, base_url: str = "http://testserver"
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.8", 50001))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as c:
        yield c


async def staff(
    session: AsyncSession,
    client: httpx.AsyncClient,
    role: Role,
    email: str | None = None,
    name: str | None = None,
) -> User:
    """Create an account (named `name`) and log `client` in with it."""
    if name is None:
        user = await create_user(session, role, email=email)
    else:
        user = await auth_service.create_user(
            session,
            Actor.system("tests"),
            email=email or f"{name.split()[0].lower()}@example.fr",
            full_name=name,
            role=role,
            password=PASSWORD,
        )
        await session.commit()
    await login(client, user.email)
    return user


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.email, Role(user.role), "203.0.113.9")


@asynccontextmanager
async def served(app: FastAPI) -> AsyncIterator[str]:
    """Run `app` on a real uvicorn server (lifespan included) on a free port; yields host:port."""
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 20)


@asynccontextmanager
async def http(host: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"http://{host}") as client:
        yield client


async def logged_in(
    session: AsyncSession, client: httpx.AsyncClient, role: Role, email: str
) -> int:
    user = await create_user(session, role, email=email)
    await login(client, user.email)
    return user.id


@asynccontextmanager
async def console(
    host: str, client: httpx.AsyncClient, **headers: str
) -> AsyncIterator[ClientConnection]:
    cookie = f"snp_session={client.cookies['snp_session']}"
    async with connect(
        f"ws://{host}/ws", additional_headers={"Cookie": cookie, **headers}, open_timeout=5
    ) as ws:
        hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert hello["type"] == "hello"
        assert hello["ping_seconds"] > 0
        yield ws


async def next_message(ws: ClientConnection, kind: str, within: float = 1.0) -> dict[str, Any]:
    """The next message of type `kind` within `within` seconds (others are skipped)."""
    deadline = time.monotonic() + within
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(kind)
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), left))
        if message["type"] == kind:
            return message


async def nothing_for(ws: ClientConnection, seconds: float = 0.3) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(ws.recv(), seconds)
