"""Effector profiles after import: the coordination reads and edits them, an effector their own."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_effector, create_effector_with_account
from tests.agenda.supply_helpers import errors
from tests.factories import logged_in_as, login


async def audit_trail(session: AsyncSession, effector_id: int) -> list[tuple[str, str | None]]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "effector", AuditEntry.entity_id == str(effector_id))
        .order_by(AuditEntry.id)
    )
    return [(r.action, r.detail) for r in rows]


async def test_the_coordination_reads_a_full_profile_and_the_read_is_traced(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session, sites=2)
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.get(f"/api/agenda/effectors/{effector.id}")
    assert response.status_code == 200, response.text
    profile = response.json()
    assert profile["rpps"] == effector.national_id
    assert profile["phone_display"] == "06 12 34 56 78"
    assert (profile["home_visits"], profile["teleconsultation"]) == (False, False)
    assert profile["min_patient_age_months"] is None
    assert [s["name"] for s in profile["sites"]] == ["Cabinet 1", "Cabinet 2"]
    assert profile["ics"] == {
        "subscription_url": None,
        "subscription_site_id": None,
        "last_fetched_at": None,
        "last_error": None,
        "feed_path": None,
    }
    assert await audit_trail(session, effector.id) == [("read", None)]


async def test_operators_read_profiles_without_the_calendar_links(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    await logged_in_as(client, session, Role.OPERATOR)
    profile = (await client.get(f"/api/agenda/effectors/{effector.id}")).json()
    assert profile["ics"] is None
    assert (await client.patch(f"/api/agenda/effectors/{effector.id}", json={})).status_code == 403
    missing = await client.get("/api/agenda/effectors/999999")
    assert missing.status_code == 404
    assert errors(missing) == [(["path", "effector_id"], "Effecteur introuvable.")]


async def test_an_effector_reads_their_own_profile_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    other = await create_effector(session)
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)
    me = await client.get("/api/agenda/me")
    assert me.status_code == 200
    assert me.json()["id"] == effector.id
    assert me.json()["has_account"] is True
    assert (await client.get(f"/api/agenda/effectors/{effector.id}")).status_code == 200
    assert (await client.get(f"/api/agenda/effectors/{other.id}")).status_code == 403


async def test_an_effector_account_linked_to_no_effector_has_no_profile_nor_agenda(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.EFFECTOR)
    for response in [
        await client.get("/api/agenda/me"),
        await client.get("/api/agenda/templates"),
        await client.post("/api/agenda/ics/feed-token"),
    ]:
        assert response.status_code == 404
        assert errors(response) == [
            ([], "Votre compte n'est rattaché à aucun effecteur de l'annuaire.")
        ]


async def test_the_coordination_edits_and_deactivates_an_effector_audited_by_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.patch(
        f"/api/agenda/effectors/{effector.id}",
        json={
            "family_name": "Martin-Le Goff",
            "phone": "07 81 23 45 67",
            "email": "anne@example.fr",
            "min_patient_age_months": 72,
            "active": False,
        },
    )
    assert response.status_code == 200, response.text
    profile = response.json()
    assert (profile["family_name"], profile["phone"], profile["active"]) == (
        "Martin-Le Goff",
        "+33781234567",
        False,
    )
    assert profile["min_patient_age_months"] == 72
    assert await audit_trail(session, effector.id) == [
        ("update", "active,email,family_name,min_patient_age_months,phone")
    ]


async def test_an_effector_edits_only_their_constraints_and_calendar_subscription(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    other = await create_effector(session)
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)
    url = f"/api/agenda/effectors/{effector.id}"

    response = await client.patch(
        url,
        json={
            "home_visits": True,
            "home_visit_radius_km": 15,
            "teleconsultation": True,
            "ics_subscription_url": "webcal://calendar.example.fr/agenda.ics",
        },
    )
    assert response.status_code == 200, response.text
    profile = response.json()
    assert (profile["home_visits"], profile["home_visit_radius_km"]) == (True, 15.0)
    assert profile["ics"]["subscription_url"] == "https://calendar.example.fr/agenda.ics"
    assert profile["ics"]["subscription_site_id"] == effector.sites[0].id

    name = await client.patch(url, json={"family_name": "Autre"})
    assert name.status_code == 403
    assert errors(name) == [
        (["body", "family_name"], "Seule la coordination peut modifier ce champ.")
    ]
    assert (
        await client.patch(f"/api/agenda/effectors/{other.id}", json={"teleconsultation": True})
    ).status_code == 403


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"home_visits": True},
            (["body", "home_visit_radius_km"], "Indiquez le rayon des visites à domicile (en km)."),
        ),
        (
            {"phone": "02 99 71 00 00"},
            (["body", "phone"], "Un numéro de portable est attendu (pour les SMS)."),
        ),
        ({"email": "anne@"}, (["body", "email"], "Adresse e-mail invalide.")),
        ({"family_name": None}, (["body", "family_name"], "Ce champ ne peut pas être vide.")),
        ({"ics_subscription_url": "ftp://x.fr/a.ics"}, None),
        ({"min_patient_age_months": -1}, (["body", "min_patient_age_months"], None)),
        ({"rpps": "10000000009"}, (["body", "rpps"], "Champ inconnu.")),
    ],
)
async def test_invalid_edits_are_refused_naming_the_field_in_french(
    client: httpx.AsyncClient,
    session: AsyncSession,
    body: dict[str, object],
    expected: tuple[list[str], str | None] | None,
) -> None:
    effector = await create_effector(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.patch(f"/api/agenda/effectors/{effector.id}", json=body)
    assert response.status_code == 422, response.text
    [(loc, msg)] = errors(response)
    if expected is None:
        assert loc == ["body", "ics_subscription_url"]
        assert msg == "Adresse de calendrier attendue en http(s):// ou webcal://."
    else:
        assert loc == expected[0]
        if expected[1] is not None:
            assert msg == expected[1]


async def test_a_subscription_needs_a_site_when_the_effector_has_several(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session, sites=2)
    await logged_in_as(client, session, Role.COORDINATOR)
    url = f"/api/agenda/effectors/{effector.id}"
    refused = await client.patch(url, json={"ics_subscription_url": "https://x.fr/a.ics"})
    assert errors(refused) == [
        (
            ["body", "ics_subscription_site_id"],
            "Précisez le lieu des créneaux de ce calendrier (Cabinet 1, Cabinet 2).",
        )
    ]
    site = effector.sites[1].id
    accepted = await client.patch(
        url, json={"ics_subscription_url": "https://x.fr/a.ics", "ics_subscription_site_id": site}
    )
    assert accepted.json()["ics"]["subscription_site_id"] == site
    stored = await session.scalar(
        select(Effector.ics_subscription_url).where(Effector.id == effector.id)
    )
    assert stored == "https://x.fr/a.ics"
