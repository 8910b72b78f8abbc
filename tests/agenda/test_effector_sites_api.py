"""An effector's consultation sites, edited by the coordination: add, edit, remove."""

from __future__ import annotations

from datetime import time, timedelta

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import TemplateIn, create_template
from agenda.events import SlotsChanged
from agenda.models import Effector, Site, Slot
from agenda.service.directory import EffectorData, SiteData, upsert_effector
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from tests.agenda.annuaire_sample import load_territory
from tests.agenda.slot_factories import (
    REDON,
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.factories import logged_in_as, login

RIEUX = (47.5981, -2.1064)


def sites_url(effector_id: int, site_id: int | None = None) -> str:
    base = f"/api/agenda/effectors/{effector_id}/sites"
    return base if site_id is None else f"{base}/{site_id}"


async def site_audit(session: AsyncSession, site_id: int) -> list[tuple[str, str | None]]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "site", AuditEntry.entity_id == str(site_id))
        .order_by(AuditEntry.id)
    )
    return [(r.action, r.detail) for r in rows]


async def site_names(client: httpx.AsyncClient, effector_id: int) -> list[str]:
    profile = (await client.get(f"/api/agenda/effectors/{effector_id}")).json()
    return [s["name"] for s in profile["sites"]]


@pytest.fixture
async def effector(session: AsyncSession) -> Effector:
    await load_territory(session)
    return await create_effector(session)


async def test_a_site_without_coordinates_stands_at_its_communes_centre(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(
        sites_url(effector.id),
        json={
            "name": "Maison de santé de Rieux",
            "address_line": "2 place de l'Église",
            "insee_code": "56194",
            "phone": "02 99 71 00 00",
        },
    )
    assert response.status_code == 201, response.text
    site = response.json()
    assert site["city"] == "Rieux"
    assert site["postal_code"] == "56350"
    assert (site["latitude"], site["longitude"]) == RIEUX
    assert site["position_approximate"] is True
    assert site["phone"] == "+33299710000"
    assert await site_names(client, effector.id) == ["Cabinet 1", "Maison de santé de Rieux"]
    assert await site_audit(session, site["id"]) == [("create", None)]


async def test_a_site_with_coordinates_has_an_exact_position(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(
        sites_url(effector.id),
        json={
            "name": "Cabinet du port",
            "insee_code": "35236",
            "postal_code": "35600",
            "latitude": 47.65,
            "longitude": -2.08,
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["position_approximate"] is False
    assert (response.json()["latitude"], response.json()["longitude"]) == (47.65, -2.08)


async def test_editing_the_phone_and_the_position_is_audited_by_field(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    site_id = effector.sites[0].id
    response = await client.patch(sites_url(effector.id, site_id), json={"phone": "0299000001"})
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "+33299000001"
    assert response.json()["position_approximate"] is False  # the address did not move
    moved = await client.patch(
        sites_url(effector.id, site_id), json={"address_line": "9 quai Surcouf"}
    )
    assert moved.json()["position_approximate"] is True
    assert (moved.json()["latitude"], moved.json()["longitude"]) == REDON
    exact = await client.patch(
        sites_url(effector.id, site_id), json={"latitude": 47.649, "longitude": -2.085}
    )
    assert exact.json()["position_approximate"] is False
    assert await site_audit(session, site_id) == [
        ("update", "phone"),
        ("update", "address_line,position"),
        ("update", "position"),
    ]


async def test_moving_a_site_to_another_commune_moves_its_future_slots_in_the_figures(
    client: httpx.AsyncClient,
    session: AsyncSession,
    effector: Effector,
    published: list[object],
) -> None:
    slot = await create_slot(session, effector, in_days(2))
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.patch(
        sites_url(effector.id, effector.sites[0].id), json={"insee_code": "56194"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["city"] == "Rieux"
    assert response.json()["postal_code"] == "56350"
    moved = [e for e in published if isinstance(e, SlotsChanged) and e.cause == "changed"]
    assert [(s.slot_id, s.commune_insee) for s in moved[0].before] == [(slot.id, "35236")]
    assert [(s.slot_id, s.commune_insee) for s in moved[0].after] == [(slot.id, "56194")]


async def test_a_site_without_slots_is_removed_and_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await load_territory(session)
    effector = await create_effector(session, sites=2)
    spare = effector.sites[1].id
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.delete(sites_url(effector.id, spare))
    assert response.status_code == 204, response.text
    assert await site_names(client, effector.id) == ["Cabinet 1"]
    assert await session.scalar(select(Site.id).where(Site.id == spare)) is None
    assert await site_audit(session, spare) == [("delete", None)]


async def test_removal_is_refused_while_future_slots_remain_saying_how_many(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    await create_slot(session, effector, in_days(1))
    await create_slot(session, effector, in_days(2))
    await book(session, await create_slot(session, effector, in_days(3)))
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.delete(sites_url(effector.id, effector.sites[0].id))
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"] == (
        "Ce lieu porte encore 3 créneaux à venir (2 libres, 1 réservé) : "
        "supprimez-les ou déplacez-les avant de retirer le lieu."
    )
    assert await site_names(client, effector.id) == ["Cabinet 1"]
    assert await site_audit(session, effector.sites[0].id) == []


async def test_a_site_with_past_slots_only_is_kept_inactive_for_the_history(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await load_territory(session)
    effector = await create_effector(session, sites=2)
    old = effector.sites[1]
    start = utcnow() - timedelta(days=3)
    session.add(
        Slot(
            effector_id=effector.id,
            site_id=old.id,
            start_at=start,
            end_at=start + timedelta(minutes=20),
            source_key="test:past",
        )
    )
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    assert (await client.delete(sites_url(effector.id, old.id))).status_code == 204
    assert await site_names(client, effector.id) == ["Cabinet 1"]
    assert await session.scalar(select(Site.active).where(Site.id == old.id)) is False
    assert await site_audit(session, old.id) == [("update", "active")]
    # An import naming it again leaves it removed; adding it by hand brings it back.
    await upsert_effector(
        session,
        EffectorData(
            rpps=effector.national_id,
            family_name=effector.family_name,
            given_name=effector.given_name,
            phone=effector.phone,
            sites=[SiteData(old.name, "2 rue du Port", "35600", "Redon", "35236", *REDON)],
        ),
    )
    await session.commit()
    assert await site_names(client, effector.id) == ["Cabinet 1"]
    back = await client.post(sites_url(effector.id), json={"name": old.name, "insee_code": "35236"})
    assert back.status_code == 201, back.text
    assert back.json()["id"] == old.id
    assert back.json()["position_approximate"] is True
    assert await site_names(client, effector.id) == ["Cabinet 1", old.name]
    assert (await site_audit(session, old.id))[-1][0] == "update"


async def test_an_edit_may_not_take_the_name_of_a_removed_site(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await load_territory(session)
    effector = await create_effector(session, sites=2)
    old = effector.sites[1]
    start = utcnow() - timedelta(days=1)
    session.add(
        Slot(
            effector_id=effector.id,
            site_id=old.id,
            start_at=start,
            end_at=start + timedelta(minutes=20),
            source_key="test:past",
        )
    )
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    assert (await client.delete(sites_url(effector.id, old.id))).status_code == 204
    response = await client.patch(
        sites_url(effector.id, effector.sites[0].id), json={"name": old.name}
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


async def test_removal_is_refused_while_a_recurring_availability_uses_the_site(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    site_id = effector.sites[0].id
    await create_template(
        session,
        Actor.system("test"),
        TemplateIn(
            effector_id=effector.id,
            site_id=site_id,
            weekdays="MO",
            start_time=time(8),
            end_time=time(9),
        ),
        horizon_days=0,
    )
    await session.execute(delete(Slot).where(Slot.effector_id == effector.id))
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.delete(sites_url(effector.id, site_id))
    assert response.status_code == 409
    assert "1 disponibilité récurrente" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " ", "insee_code": "35236"}, "name"),
        ({"name": "A", "insee_code": "123"}, "insee_code"),
        ({"name": "A", "insee_code": "75056"}, "insee_code"),
        ({"name": "A", "insee_code": "35236", "postal_code": "56350"}, "postal_code"),
        ({"name": "A", "insee_code": "35236", "postal_code": "3560"}, "postal_code"),
        ({"name": "A", "insee_code": "35236", "phone": "12"}, "phone"),
        ({"name": "A", "insee_code": "35236", "latitude": 47.6}, "longitude"),
        ({"name": "A", "insee_code": "35236", "latitude": 95, "longitude": 2}, "latitude"),
        ({"name": "A", "insee_code": "35236", "colour": "blue"}, "colour"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field(
    client: httpx.AsyncClient,
    session: AsyncSession,
    effector: Effector,
    body: dict[str, object],
    field: str,
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(sites_url(effector.id), json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"][-1] == field
    assert await site_names(client, effector.id) == ["Cabinet 1"]


async def test_bad_edits_are_422s_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    url = sites_url(effector.id, effector.sites[0].id)
    for body, field in (
        ({"name": None}, "name"),
        ({"longitude": -2.0}, "latitude"),
        ({"insee_code": "56194", "postal_code": "35600"}, "postal_code"),
    ):
        response = await client.patch(url, json=body)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]


async def test_a_duplicate_name_is_a_conflict_on_the_name(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(
        sites_url(effector.id), json={"name": "cabinet 1", "insee_code": "35236"}
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


async def test_another_effectors_site_is_not_found_here(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector
) -> None:
    other = await create_effector(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    url = sites_url(effector.id, other.sites[0].id)
    assert (await client.patch(url, json={"phone": "0299000001"})).status_code == 422
    assert (await client.delete(url)).status_code == 422
    assert (
        await client.post(sites_url(999_999), json={"name": "A", "insee_code": "35236"})
    ).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.EFFECTOR, Role.OPERATOR, Role.REGULATOR, Role.REFERRER, Role.SAS_REGULATOR]
)
async def test_only_the_coordination_edits_sites(
    client: httpx.AsyncClient, session: AsyncSession, effector: Effector, role: Role
) -> None:
    await logged_in_as(client, session, role)
    site_url = sites_url(effector.id, effector.sites[0].id)
    assert (
        await client.post(sites_url(effector.id), json={"name": "A", "insee_code": "35236"})
    ).status_code == 403
    assert (await client.patch(site_url, json={"phone": "0299000001"})).status_code == 403
    assert (await client.delete(site_url)).status_code == 403


async def test_an_effector_does_not_edit_their_own_sites(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await load_territory(session)
    _, own = await create_effector_with_account(session, "gp@example.org")
    await login(client, "gp@example.org")
    response = await client.post(sites_url(own.id), json={"name": "A", "insee_code": "35236"})
    assert response.status_code == 403
