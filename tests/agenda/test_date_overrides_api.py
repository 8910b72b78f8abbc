"""Date overrides over HTTP: the GP's own and, for the coordination, on a GP's behalf; each bad
field named in French; one override per date; audited; other roles and other GPs refused."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_effector_with_account
from tests.agenda.supply_helpers import errors, every_day_14_15
from tests.agenda.test_absences import day
from tests.factories import logged_in_as, login


def change(site_id: int, n: int = 3, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site_id": site_id,
        "day": str(day(n)),
        "ranges": [{"start_time": "09:00", "end_time": "10:00"}],
        "slot_minutes": 20,
    }
    return {**body, **fields}


async def test_the_gp_previews_saves_lists_and_deletes_a_change_of_hours(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.horaires@example.fr")
    await every_day_14_15(session, effector)
    await login(client, user.email)
    body = change(effector.sites[0].id)

    preview = await client.post("/api/agenda/overrides/preview", json=body)
    assert preview.status_code == 200, preview.text
    assert (len(preview.json()["added"]), len(preview.json()["removed"])) == (3, 3)
    saved = await client.post("/api/agenda/overrides", json=body)
    assert saved.status_code == 201, saved.text
    assert (saved.json()["slots_removed"], saved.json()["slots_created"]) == (3, 3)
    assert saved.json()["ranges"] == [{"start_time": "09:00:00", "end_time": "10:00:00"}]

    listed = await client.get(
        "/api/agenda/overrides", params={"start": str(day(3)), "end": str(day(3))}
    )
    assert [o["day"] for o in listed.json()] == [str(day(3))]
    elsewhere = await client.get(
        "/api/agenda/overrides", params={"start": str(day(4)), "end": str(day(9))}
    )
    assert elsewhere.json() == []

    second = await client.post("/api/agenda/overrides", json=change(effector.sites[0].id))
    assert second.status_code == 409
    assert second.json()["detail"][0]["loc"] == ["body", "day"]

    deleted = await client.delete(f"/api/agenda/overrides/{saved.json()['id']}")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json() == {"slots_removed": 3, "slots_created": 3}
    assert (await client.get("/api/agenda/overrides")).json() == []

    trail = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "availability_override")
        .order_by(AuditEntry.id)
    )
    assert [(e.action, e.entity_id, e.actor_email) for e in trail] == [
        ("create", str(saved.json()["id"]), user.email),
        ("delete", str(saved.json()["id"]), user.email),
    ]


async def test_each_bad_field_is_named_in_french(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.saisie@example.fr")
    await login(client, user.email)
    site = effector.sites[0].id

    def ranges(*pairs: tuple[str, str]) -> list[dict[str, str]]:
        return [{"start_time": a, "end_time": b} for a, b in pairs]

    cases: list[tuple[dict[str, Any], list[Any], str]] = [
        (change(site, -1), ["body", "day"], "Cette date est passée."),
        (
            change(site, ranges=ranges(("10:00", "09:00"))),
            ["body", "ranges", 0, "end_time"],
            "L'heure de fin doit être après l'heure de début.",
        ),
        (
            change(site, ranges=ranges(("09:00", "11:00"), ("10:00", "12:00"))),
            ["body", "ranges", 1, "start_time"],
            "Cette plage chevauche une autre plage du même jour.",
        ),
        (
            change(site, ranges=ranges(("09:00", "09:50"))),
            ["body", "slot_minutes"],
            "Des créneaux de 20 min ne remplissent pas exactement la plage 09:00–09:50.",
        ),
        (
            change(site, ranges=ranges(("09:00:30", "10:00"))),
            ["body", "ranges", 0, "start_time"],
            "Heure attendue au format HH:MM.",
        ),
        (
            change(site + 1000),
            ["body", "site_id"],
            "Ce lieu de consultation n'appartient pas à cet effecteur.",
        ),
    ]
    for body, loc, msg in cases:
        for url in ("/api/agenda/overrides/preview", "/api/agenda/overrides"):
            response = await client.post(url, json=body)
            assert response.status_code == 422, (url, body, response.text)
            assert errors(response) == [(loc, msg)], (url, body)
    assert (await client.get("/api/agenda/overrides")).json() == []  # nothing half-written


async def test_the_coordination_acts_on_a_gp_s_behalf_and_other_roles_may_not(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    owner, effector = await create_effector_with_account(session, "dr.titulaire@example.fr")
    await create_effector_with_account(session, "dr.voisin@example.fr")
    await login(client, owner.email)
    saved = await client.post("/api/agenda/overrides", json=change(effector.sites[0].id))
    assert saved.status_code == 201, saved.text
    override_id = saved.json()["id"]

    # An operator has no agenda to manage; another GP neither sees, deletes nor sets it.
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.get("/api/agenda/overrides")).status_code == 403
    assert (await client.delete(f"/api/agenda/overrides/{override_id}")).status_code == 403
    await login(client, "dr.voisin@example.fr")
    refused = await client.post(
        "/api/agenda/overrides", json=change(effector.sites[0].id, effector_id=effector.id)
    )
    assert refused.status_code == 403, refused.text
    assert (await client.delete(f"/api/agenda/overrides/{override_id}")).status_code == 403
    assert (await client.get("/api/agenda/overrides")).json() == []

    await logged_in_as(client, session, Role.COORDINATOR)
    missing = await client.post("/api/agenda/overrides", json=change(effector.sites[0].id, 4))
    assert errors(missing) == [(["body", "effector_id"], "Précisez l'effecteur concerné.")]
    on_behalf = await client.post(
        "/api/agenda/overrides", json=change(effector.sites[0].id, 4, effector_id=effector.id)
    )
    assert on_behalf.status_code == 201, on_behalf.text
    listed = await client.get("/api/agenda/overrides", params={"effector_id": effector.id})
    assert [o["day"] for o in listed.json()] == [str(day(3)), str(day(4))]
    gone = await client.delete(f"/api/agenda/overrides/{override_id}")
    assert gone.status_code == 200, gone.text
