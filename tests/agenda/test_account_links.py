"""A GP's account manages their agenda: created with the e-mail of their directory entry it is
linked at once (API, CLI: the same service rule and event handler); the coordination links and
unlinks existing accounts; every change is audited."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from snp.audit import AuditEntry
from snp.auth import Role
from tests.agenda.slot_factories import create_effector
from tests.factories import PASSWORD, create_user, logged_in_as, login
from tests.support.cli_process import run_snp

GP_EMAIL = "anne.martin@example.fr"


async def directory_entry(session: AsyncSession, email: str | None = GP_EMAIL) -> int:
    effector = await create_effector(session, family_name="Martin")
    effector.email = email
    await session.commit()
    return effector.id


async def linked_user(session: AsyncSession, effector_id: int) -> int | None:
    session.expire_all()
    effector = await session.get(Effector, effector_id)
    assert effector is not None
    return effector.user_id


async def effector_audit(session: AsyncSession, effector_id: int) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "effector", AuditEntry.entity_id == str(effector_id)
        )
    )
    return list(rows)


async def test_an_effector_account_with_the_directory_email_manages_that_agenda(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector_id = await directory_entry(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    created = await client.post(
        "/api/users",
        json={
            "email": " Anne.Martin@Example.fr ",
            "full_name": "Dr Anne Martin",
            "role": "effector",
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    assert await linked_user(session, effector_id) == created.json()["id"]
    (entry,) = await effector_audit(session, effector_id)
    assert (entry.action, entry.detail) == ("update", "user_id")
    links = await client.get("/api/agenda/account-links")
    assert links.json() == [
        {
            "user_id": created.json()["id"],
            "effector_id": effector_id,
            "effector_name": "Anne Martin",
        }
    ]

    client.cookies.clear()
    await login(client, GP_EMAIL)
    me = await client.get("/api/agenda/me")
    assert me.status_code == 200, me.text
    assert me.json()["id"] == effector_id


async def test_no_link_for_other_roles_or_an_ambiguous_email(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await directory_entry(session)
    await create_user(session, Role.OPERATOR, email=GP_EMAIL)
    assert await linked_user(session, first) is None

    twin_a = await directory_entry(session, "cabinet@example.fr")
    twin_b = await directory_entry(session, "cabinet@example.fr")
    await create_user(session, Role.EFFECTOR, email="cabinet@example.fr")
    assert await linked_user(session, twin_a) is None
    assert await linked_user(session, twin_b) is None


async def test_a_coordinator_links_and_unlinks_an_existing_account(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector_id = await directory_entry(session, None)
    other_id = await directory_entry(session, None)
    gp_id = (await create_user(session, Role.EFFECTOR, email="gp@example.fr")).id
    operator_id = (await create_user(session, Role.OPERATOR)).id
    coordinator_id = (await logged_in_as(client, session, Role.COORDINATOR)).id
    url = f"/api/agenda/effectors/{effector_id}/account"

    refused = await client.put(url, json={"user_id": operator_id})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "user_id"]

    linked = await client.put(url, json={"user_id": gp_id})
    assert linked.status_code == 200, linked.text
    assert linked.json()["effector_id"] == effector_id
    assert await linked_user(session, effector_id) == gp_id

    twice = await client.put(f"/api/agenda/effectors/{other_id}/account", json={"user_id": gp_id})
    assert twice.status_code == 409
    assert "déjà rattaché à Anne Martin" in twice.json()["detail"][0]["msg"]

    assert (await client.delete(url)).status_code == 204
    assert await linked_user(session, effector_id) is None
    trail = await effector_audit(session, effector_id)
    assert [(e.actor_user_id, e.detail) for e in trail] == [(coordinator_id, "user_id")] * 2


async def test_candidates_are_the_active_entries_without_an_account(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    free = await directory_entry(session)
    taken = await directory_entry(session, "pris@example.fr")
    await create_user(session, Role.EFFECTOR, email="pris@example.fr")
    await logged_in_as(client, session, Role.COORDINATOR)
    candidates = (await client.get("/api/agenda/account-candidates")).json()
    assert candidates == [{"effector_id": free, "name": "Anne Martin", "email": GP_EMAIL}]
    assert await linked_user(session, taken) is not None
    found = await client.get("/api/agenda/account-candidates", params={"q": "ANNE.MARTIN@"})
    assert [c["effector_id"] for c in found.json()] == [free]
    none = await client.get("/api/agenda/account-candidates", params={"q": "Dupont"})
    assert none.json() == []


async def test_only_coordinators_link_accounts(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector_id = await directory_entry(session, None)
    gp = await logged_in_as(client, session, Role.EFFECTOR)
    url = f"/api/agenda/effectors/{effector_id}/account"
    assert (await client.put(url, json={"user_id": gp.id})).status_code == 403
    assert (await client.get("/api/agenda/account-links")).status_code == 403
    assert (await client.get("/api/agenda/account-candidates")).status_code == 403


async def test_the_cli_runs_the_same_handler_and_links_the_new_gp_account(
    db_url: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector_id = await directory_entry(session)
    status, out, err = await run_snp(
        db_url, "user", "add", "--role", "effector", "--email", GP_EMAIL, "--name", "Dr Martin"
    )
    assert (status, err) == (0, ""), err
    assert out.startswith(f"Compte créé : {GP_EMAIL} (Effecteur (médecin)).\n")
    assert await linked_user(session, effector_id) is not None
