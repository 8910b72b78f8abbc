"""Recurring availability over HTTP: an effector manages their own, the coordination anyone's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_effector, create_effector_with_account
from tests.agenda.supply_helpers import count_slots, errors
from tests.factories import logged_in_as, login


def template_body(effector: Effector, **extra: Any) -> dict[str, Any]:
    return {
        "site_id": effector.sites[0].id,
        "weekdays": "MO,TU,WE,TH,FR,SA,SU",
        "start_time": "14:00",
        "end_time": "16:00",
        "slot_minutes": 20,
        "include_public_holidays": True,
        **extra,
    }


async def test_an_effector_creates_lists_edits_and_deletes_their_own_template(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)

    created = await client.post("/api/agenda/templates", json=template_body(effector))
    assert created.status_code == 201, created.text
    template = created.json()
    assert template["effector_id"] == effector.id
    assert template["weekdays"] == "MO,TU,WE,TH,FR,SA,SU"
    assert (template["start_time"], template["end_time"]) == ("14:00:00", "16:00:00")
    assert template["kinds"] == ["AMB"]
    assert template["visibility"] == ["SNP", "CPTS"]
    assert template["slots_created"] >= 27 * 6  # 28 days ahead (today's may have passed)
    assert await count_slots(session, effector.id) == template["slots_created"]

    listed = (await client.get("/api/agenda/templates")).json()
    assert [t["id"] for t in listed] == [template["id"]]

    edited = await client.patch(
        f"/api/agenda/templates/{template['id']}", json={"weekdays": "SA,SU", "kinds": ["VR"]}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["slots_removed"] == template["slots_created"]
    assert edited.json()["kinds"] == ["VR"]

    deleted = await client.delete(f"/api/agenda/templates/{template['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["slots_removed"] == edited.json()["slots_created"]
    assert await count_slots(session, effector.id) == 0
    assert (await client.get("/api/agenda/templates")).json() == []


async def test_an_effector_cannot_touch_another_effectors_templates(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, other = await create_effector_with_account(session, "dr.other@example.fr")
    user, _ = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, "dr.other@example.fr")
    theirs = (await client.post("/api/agenda/templates", json=template_body(other))).json()

    await login(client, user.email)
    url = f"/api/agenda/templates/{theirs['id']}"
    for response in [
        await client.get(url),
        await client.patch(url, json={"slot_minutes": 30}),
        await client.delete(url),
        await client.get("/api/agenda/templates", params={"effector_id": other.id}),
        await client.post("/api/agenda/templates", json=template_body(other, effector_id=other.id)),
    ]:
        assert response.status_code == 403, response.text
        assert errors(response) == [([], "Vous ne pouvez gérer que votre propre agenda.")]


async def test_the_coordination_manages_any_effectors_templates_naming_the_effector(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    missing = await client.post("/api/agenda/templates", json=template_body(effector))
    assert missing.status_code == 422
    assert errors(missing) == [(["body", "effector_id"], "Précisez l'effecteur concerné.")]
    created = await client.post(
        "/api/agenda/templates", json=template_body(effector, effector_id=effector.id)
    )
    assert created.status_code == 201
    listed = await client.get("/api/agenda/templates", params={"effector_id": effector.id})
    assert [t["id"] for t in listed.json()] == [created.json()["id"]]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REGULATOR, Role.REFERRER])
async def test_other_roles_do_not_manage_availability(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await logged_in_as(client, session, role)
    assert (await client.get("/api/agenda/templates")).status_code == 403
    assert (await client.get("/api/agenda/absences")).status_code == 403


async def test_invalid_templates_are_refused_naming_the_field_in_french(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    other = await create_effector(session)
    await login(client, user.email)

    async def refused(**extra: Any) -> list[tuple[list[Any], str]]:
        response = await client.post("/api/agenda/templates", json=template_body(effector, **extra))
        assert response.status_code == 422, response.text
        return errors(response)

    assert await refused(weekdays="MO,XX") == [
        (
            ["body", "weekdays"],
            "Jour inconnu : XX (jours attendus au format RFC 5545 : MO, TU, WE, TH, FR, SA, SU, "
            "séparés par des virgules).",
        )
    ]
    assert await refused(start_time="16:00", end_time="14:00") == [
        (["body", "end_time"], "L'heure de fin doit être après l'heure de début.")
    ]
    assert await refused(start_time="14:00", end_time="14:30", slot_minutes=45) == [
        (["body", "slot_minutes"], "La durée d'un créneau dépasse la plage horaire.")
    ]
    assert await refused(valid_from="2030-05-01", valid_until="2030-04-01") == [
        (["body", "valid_until"], "La date de fin de validité doit suivre la date de début.")
    ]
    assert await refused(site_id=other.sites[0].id) == [
        (["body", "site_id"], "Ce lieu de consultation n'appartient pas à cet effecteur.")
    ]
    assert await refused(slot_minutes=2) == [
        (["body", "slot_minutes"], "Doit être supérieur ou égal à 5.")
    ]
    [(loc, _)] = await refused(kinds=["XYZ"])
    assert loc == ["body", "kinds"]

    created = (await client.post("/api/agenda/templates", json=template_body(effector))).json()
    response = await client.patch(
        f"/api/agenda/templates/{created['id']}", json={"end_time": "13:00"}
    )
    assert response.status_code == 422
    assert errors(response) == [
        (["body", "end_time"], "L'heure de fin doit être après l'heure de début.")
    ]
    missing = await client.get("/api/agenda/templates/999999")
    assert missing.status_code == 404
    assert errors(missing) == [(["path", "template_id"], "Disponibilité récurrente introuvable.")]
