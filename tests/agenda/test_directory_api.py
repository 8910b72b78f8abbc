"""The directory of effectors, as operators and coordinators browse it."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from composition import demo
from snp.auth.roles import Role
from tests.factories import logged_in_as


@pytest.fixture
async def demo_loaded(session: AsyncSession) -> None:
    await demo.load(session)
    await session.commit()


@pytest.mark.usefixtures("demo_loaded")
async def test_the_directory_is_paginated_with_sites_and_french_phones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    first = (await client.get("/api/agenda/effectors", params={"limit": 10})).json()
    second = (await client.get("/api/agenda/effectors", params={"limit": 10, "offset": 10})).json()
    assert first["total"] == second["total"] == 30
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {e["id"] for e in first["items"]} & {e["id"] for e in second["items"]}
    effector = first["items"][0]
    assert effector["sites"]
    assert effector["phone"].startswith("+336")
    assert effector["phone_display"].startswith("06 ")


@pytest.mark.usefixtures("demo_loaded")
async def test_the_directory_searches_by_name_or_rpps(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    martin = (await client.get("/api/agenda/effectors", params={"q": "martin"})).json()
    assert [e["family_name"] for e in martin["items"]] == ["Martin"]
    rpps = martin["items"][0]["rpps"]
    by_rpps = (await client.get("/api/agenda/effectors", params={"q": rpps})).json()
    assert by_rpps["total"] == 1


@pytest.mark.parametrize("role", [Role.REFERRER, Role.EFFECTOR, Role.SAS_REGULATOR])
async def test_other_roles_do_not_browse_the_directory(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await logged_in_as(client, session, role)
    assert (await client.get("/api/agenda/effectors")).status_code == 403


async def test_bad_pagination_names_the_parameter(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    response = await client.get("/api/agenda/effectors", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
    assert response.json()["detail"][0]["msg"] == "Doit être supérieur ou égal à 1."
