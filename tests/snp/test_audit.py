"""The audit trail records who read or changed what, when, from where; it is append-only."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import Database, utcnow
from tests.factories import create_user, logged_in_as, login


async def test_a_read_is_one_line_and_records_actor_time_and_address(
    database: Database,
) -> None:
    actor = Actor(user_id=None, email="op@example.fr", role=Role.OPERATOR, ip="198.51.100.4")
    async with database.transaction() as session:
        await audit.read(session, actor, "request", 42)
    async with database.sessionmaker() as session:
        entry = (await session.scalars(select(AuditEntry))).one()
    assert (
        entry.actor_email,
        entry.actor_role,
        entry.action,
        entry.entity,
        entry.entity_id,
        entry.ip,
    ) == ("op@example.fr", "operator", "read", "request", "42", "198.51.100.4")
    assert entry.at.tzinfo is not None


async def test_a_rolled_back_change_leaves_no_trace(database: Database) -> None:
    actor = Actor.system("tests")
    try:
        async with database.transaction() as session:
            await audit.changed(session, actor, "request", 1, ["phone"])
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    async with database.sessionmaker() as session:
        assert (await session.scalars(select(AuditEntry))).all() == []


async def test_a_change_lists_field_names_never_values(database: Database) -> None:
    async with database.transaction() as session:
        await audit.changed(session, Actor.system("t"), "request", 7, ["phone", "family_name"])
    async with database.sessionmaker() as session:
        entry = (await session.scalars(select(AuditEntry))).one()
    assert entry.detail == "family_name,phone"


async def test_api_logins_and_account_creation_are_traced_with_the_client_address(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    coordinator = await create_user(session, Role.COORDINATOR)
    await login(client, coordinator.email)
    created = await client.post(
        "/api/users",
        json={
            "email": "n@example.fr",
            "full_name": "N",
            "role": "operator",
            "password": "long enough password",
        },
    )
    trail = (await client.get("/api/audit")).json()
    actions = [(e["action"], e["entity"], e["entity_id"], e["ip"]) for e in trail["items"]]
    assert ("create", "user", str(created.json()["id"]), "203.0.113.7") in actions
    assert ("login", "user", str(coordinator.id), "203.0.113.7") in actions
    assert trail["total"] == len(trail["items"])


async def test_only_coordinators_read_the_trail(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator = await create_user(session, Role.OPERATOR)
    await login(client, operator.email)
    assert (await client.get("/api/audit")).status_code == 403


async def test_the_trail_is_filtered_by_author_action_and_period(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, Role.OPERATOR, email="op@example.fr")
    await logged_in_as(client, session, Role.COORDINATOR)
    trail = await client.get("/api/audit", params={"actor_email": "COORDINATOR@example.fr"})
    assert trail.status_code == 200
    items = trail.json()["items"]
    assert items
    assert {i["actor_email"] for i in items} == {"coordinator@example.fr"}
    logins = await client.get("/api/audit", params={"action": "login"})
    assert {i["action"] for i in logins.json()["items"]} == {"login"}
    later = (utcnow() + timedelta(hours=1)).isoformat()
    assert (await client.get("/api/audit", params={"since": later})).json()["total"] == 0
    earlier = (utcnow() - timedelta(hours=1)).isoformat()
    assert (await client.get("/api/audit", params={"until": earlier})).json()["total"] == 0
