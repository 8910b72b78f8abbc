"""The CPTS identity without the demo: `snp cpts set` (idempotent) and the coordinator's
GET/PUT /api/territory/cpts edit the same record, under the same rules (FINESS check digit,
phone), every change audited."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth import Role
from snp.territory.models import Cpts
from tests.factories import logged_in_as
from tests.support.cli_process import run_snp

FINESS = "350009171"
IDENTITY = {
    "name": "CPTS du Pays de Redon",
    "finess": FINESS,
    "phone": "02 99 71 00 00",
    "address": "3 rue des Douves, 35600 Redon",
}


async def cpts_rows(session: AsyncSession) -> list[Cpts]:
    session.expire_all()
    return list(await session.scalars(select(Cpts)))


async def audit_of(session: AsyncSession, action: str) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "cpts", AuditEntry.action == action)
    )
    return list(rows)


async def test_cli_sets_the_identity_once_and_updates_it_when_run_again(
    db_url: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    args = ["cpts", "set", "--name", "CPTS du Pays de Redon", "--finess", FINESS]
    status, out, err = await run_snp(db_url, *args, "--phone", "0299710000")
    assert (status, err) == (0, "")
    assert out == "CPTS enregistrée : CPTS du Pays de Redon (FINESS 350009171, 02 99 71 00 00).\n"
    status, _, _ = await run_snp(db_url, *args, "--phone", "0299710000")
    assert status == 0
    assert len(await cpts_rows(session)) == 1
    assert await audit_of(session, "update") == []  # the same values again change nothing

    status, _, _ = await run_snp(
        db_url, *args, "--phone", "02 99 72 00 00", "--address", "Place de la mairie, Redon"
    )
    assert status == 0
    (cpts,) = await cpts_rows(session)
    assert (cpts.phone, cpts.address) == ("+33299720000", "Place de la mairie, Redon")
    assert [e.detail for e in await audit_of(session, "update")] == ["address,phone"]
    status, out, _ = await run_snp(db_url, "cpts", "info")
    assert status == 0
    assert out == (
        "CPTS du Pays de Redon\nFINESS : 350009171\nTéléphone : 02 99 72 00 00\n"
        "Adresse : Place de la mairie, Redon\n"
    )


async def test_cli_refuses_a_wrong_finess_or_phone_in_one_french_line_writing_nothing(
    db_url: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    status, _, err = await run_snp(db_url, "cpts", "info")
    assert (status, err) == (1, "Identité de la CPTS non renseignée (snp cpts set --help).\n")
    status, out, err = await run_snp(
        db_url, "cpts", "set", "--name", "CPTS", "--finess", "350009172", "--phone", "0299710000"
    )
    assert (status, out) == (1, "")
    assert err == "Le numéro FINESS est invalide (clé de contrôle incorrecte).\n"
    status, _, err = await run_snp(
        db_url, "cpts", "set", "--name", "CPTS", "--finess", FINESS, "--phone", "12"
    )
    assert status == 1
    assert err.startswith("Numéro de téléphone")
    assert err.count("\n") == 1
    assert await cpts_rows(session) == []


async def test_a_coordinator_reads_and_edits_the_identity_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    coordinator_id = (await logged_in_as(client, session, Role.COORDINATOR)).id
    missing = await client.get("/api/territory/cpts")
    assert missing.status_code == 404
    assert "pas encore renseignée" in missing.json()["detail"][0]["msg"]

    saved = await client.put("/api/territory/cpts", json=IDENTITY)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "name": "CPTS du Pays de Redon",
        "finess": FINESS,
        "phone": "+33299710000",
        "phone_display": "02 99 71 00 00",
        "address": "3 rue des Douves, 35600 Redon",
        "territory_name": None,  # named at first start (`snp.first_run`)
        "department": None,
    }
    assert (await client.get("/api/territory/cpts")).json() == saved.json()
    renamed = await client.put("/api/territory/cpts", json={**IDENTITY, "name": "CPTS Redon"})
    assert renamed.json()["name"] == "CPTS Redon"
    assert len(await cpts_rows(session)) == 1
    (created,) = await audit_of(session, "create")
    (changed,) = await audit_of(session, "update")
    assert created.actor_user_id == changed.actor_user_id == coordinator_id
    assert changed.detail == "name"


async def test_a_wrong_finess_is_a_422_on_its_field_and_changes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    await client.put("/api/territory/cpts", json=IDENTITY)
    response = await client.put(
        "/api/territory/cpts", json={**IDENTITY, "name": "Autre", "finess": "350009172"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "finess"]
    assert "clé de contrôle" in response.json()["detail"][0]["msg"]
    (cpts,) = await cpts_rows(session)
    assert cpts.name == "CPTS du Pays de Redon"


async def test_only_coordinators_see_or_edit_the_identity(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.get("/api/territory/cpts")).status_code == 403
    assert (await client.put("/api/territory/cpts", json=IDENTITY)).status_code == 403
    assert await cpts_rows(session) == []
