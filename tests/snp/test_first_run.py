"""First start: a setup code printed at each start while the database has no CPTS and no
account; the code sets up the CPTS, its territory and the first coordinator, once."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import announce_setup_code
from snp import first_run
from snp.auth.models import User
from snp.db import Database
from snp.territory.models import Cpts
from tests.factories import create_user, login

SETUP = {
    "cpts_name": "CPTS du Pays de Redon",
    "finess": "350000063",
    "phone": "02 99 71 00 00",
    "address": "3 rue du Port, 35600 Redon",
    "territory_name": "Pays de Redon",
    "department": "35",
    "coordinator_email": "coordination@cpts-redon.fr",
    "coordinator_name": "Marie Coordination",
    "coordinator_password": "un mot de passe solide",
}


async def fresh_code(database: Database) -> str:
    async with database.transaction() as session:
        code = await first_run.prepare(session)
    assert code is not None
    return code


async def count(session: AsyncSession, model: type[User] | type[Cpts]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_code_is_printed_at_start_and_changes_at_each_start(
    database: Database, session: AsyncSession, capsys: pytest.CaptureFixture[str]
) -> None:
    await announce_setup_code(database)
    printed = capsys.readouterr().out
    assert "Code d'installation : " in printed
    first = printed.split("Code d'installation : ")[1].split()[0]
    state = await session.get(first_run.SetupState, 1)
    assert state is not None
    assert first not in state.code_hash  # only its hash is kept
    second = await fresh_code(database)
    assert second != first
    client_body = {"code": first, **SETUP}
    async with database.transaction() as work:
        with pytest.raises(Exception, match="Code d'installation incorrect"):
            await first_run.complete(work, first_run.SetupInput(**client_body), None)


async def test_setup_creates_the_cpts_territory_and_coordinator_then_closes(
    client: httpx.AsyncClient, database: Database, session: AsyncSession
) -> None:
    code = await fresh_code(database)
    assert (await client.get("/api/setup")).json() == {"open": True}
    done = await client.post("/api/setup", json={"code": code.lower(), **SETUP})
    assert done.status_code == 201, done.text
    assert done.json() == {"coordinator_email": "coordination@cpts-redon.fr"}
    assert (await client.get("/api/setup")).json() == {"open": False}
    await login(client, "coordination@cpts-redon.fr", "un mot de passe solide")
    cpts = (await client.get("/api/territory/cpts")).json()
    assert cpts["finess"] == "350000063"
    assert (cpts["territory_name"], cpts["department"]) == ("Pays de Redon", "35")
    again = await client.post("/api/setup", json={"code": code, **SETUP})
    assert again.status_code == 409
    assert await count(session, User) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("finess", "350000064"),  # wrong check digit
        ("phone", "12"),
        ("department", "20"),
        ("coordinator_email", "pas-une-adresse"),
        ("coordinator_password", "court"),
    ],
)
async def test_a_refused_field_is_named_and_leaves_nothing_behind(
    client: httpx.AsyncClient, database: Database, session: AsyncSession, field: str, value: str
) -> None:
    code = await fresh_code(database)
    refused = await client.post("/api/setup", json={"code": code, **SETUP, field: value})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", field]
    assert await count(session, Cpts) == 0
    assert await count(session, User) == 0
    fixed = await client.post("/api/setup", json={"code": code, **SETUP})
    assert fixed.status_code == 201


async def test_a_wrong_code_is_refused(client: httpx.AsyncClient, database: Database) -> None:
    await fresh_code(database)
    refused = await client.post("/api/setup", json={"code": "AAAA-BBBB-CCCC-DDDD", **SETUP})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "code"]


async def test_two_setups_at_once_exactly_one_wins(app: FastAPI, database: Database) -> None:
    code = await fresh_code(database)
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))

    async def attempt(email: str) -> int:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            body = {"code": code, **SETUP, "coordinator_email": email}
            return (await c.post("/api/setup", json=body)).status_code

    statuses = await asyncio.gather(*(attempt(f"coord{i}@cpts-redon.fr") for i in range(4)))
    assert sorted(statuses) == [201, 409, 409, 409]
    async with database.sessionmaker() as session:
        assert await count(session, User) == 1
        assert await count(session, Cpts) == 1


async def test_no_code_once_the_command_line_has_created_an_account(
    client: httpx.AsyncClient, database: Database, session: AsyncSession
) -> None:
    code = await fresh_code(database)
    await create_user(session)  # as `snp user add` does
    assert (await client.get("/api/setup")).json() == {"open": False}
    closed = await client.post("/api/setup", json={"code": code, **SETUP})
    assert closed.status_code == 409
    async with database.transaction() as work:
        assert await first_run.prepare(work) is None
