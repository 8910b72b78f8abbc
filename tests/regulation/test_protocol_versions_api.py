"""Coordinators upload and review (diff) protocol versions, a physician approves, then they are
published; operators and referrers only read the version in force. Four-eyes approval and the
clinical checks are in `test_protocol_governance_api.py`."""

from __future__ import annotations

import httpx
import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.service.protocol import default_protocol_text
from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.regulation.conftest import staff


def _v2() -> str:
    raw = yaml.safe_load(default_protocol_text())
    raw["title"] = "Protocole SNP validé par les médecins référents"
    raw["notice"] = "Validé le 12 janvier par les médecins référents de la CPTS"
    raw["motifs"][0]["default"]["deadline_hours"] = 12
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


async def test_upload_review_and_publish_a_new_version(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.COORDINATOR, name="Sophie Coordinatrice")
    listed = (await client.get("/api/regulation/protocols")).json()["items"]
    assert [(v["number"], v["status"], v["author_name"]) for v in listed] == [
        (1, "published", "Système")
    ]
    uploaded = await client.post(
        "/api/regulation/protocols", json={"text": _v2(), "note": "Relecture du 12 janvier"}
    )
    assert uploaded.status_code == 201, uploaded.text
    draft = uploaded.json()
    assert (draft["number"], draft["status"], draft["author_name"]) == (
        2,
        "draft",
        "Sophie Coordinatrice",
    )
    assert draft["text"] == _v2()
    current = (await client.get("/api/regulation/protocols/current")).json()
    assert current["number"] == 1  # a draft rules nothing

    diff = (await client.get("/api/regulation/protocols/2/diff")).json()
    assert diff["base_number"] == 1
    assert diff["diff"].startswith("--- version 1 (en vigueur)\n+++ version 2 (brouillon)\n")
    assert "+title: Protocole SNP validé par les médecins référents" in diff["diff"]
    assert "deadline_hours: 12" in diff["diff"]

    not_yet = await client.post("/api/regulation/protocols/2/publish")
    assert not_yet.status_code == 409
    assert "approuvée par un médecin régulateur" in not_yet.json()["detail"][0]["msg"]
    await staff(
        session, client, Role.REGULATOR, name="Dr Anne Référente", email="anne.referente@example.fr"
    )
    approved = await client.post(
        "/api/regulation/protocols/2/approve",
        json={"reason": "Relu en réunion des médecins référents du 12 janvier."},
    )
    assert approved.status_code == 200, approved.text
    await staff(session, client, Role.COORDINATOR, name="Paul Coordinateur")
    published = await client.post("/api/regulation/protocols/2/publish")
    assert published.status_code == 200, published.text
    assert published.json()["approved_by_name"] == "Dr Anne Référente"
    assert published.json()["published_by_name"] == "Paul Coordinateur"
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None
    statuses = [
        (v["number"], v["status"])
        for v in (await client.get("/api/regulation/protocols")).json()["items"]
    ]
    assert statuses == [(2, "published"), (1, "superseded")]
    current = (await client.get("/api/regulation/protocols/current")).json()
    assert current["number"] == 2
    assert current["document"]["title"] == "Protocole SNP validé par les médecins référents"
    again = await client.post("/api/regulation/protocols/2/publish")
    assert again.status_code == 409
    assert (await client.get("/api/regulation/protocols/9")).status_code == 404
    trail = await session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "regulation_protocol")
    )
    assert list(trail) == ["create", "approve", "update"]


async def test_an_invalid_document_is_refused_with_the_place_of_each_problem(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.COORDINATOR)
    raw = yaml.safe_load(default_protocol_text())
    raw["red_flags"][0]["priority"] = "P2"
    raw["motifs"][3]["rules"][0]["when"]["age_bands"] = ["teenager"]
    response = await client.post(
        "/api/regulation/protocols", json={"text": yaml.safe_dump(raw, allow_unicode=True)}
    )
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors[0]["loc"] == ["body", "text", "red_flags", 0, "priority"]
    assert errors[0]["msg"] == "Valeur non autorisée (valeurs possibles : 'P0' ou 'P1')."
    broken = await client.post("/api/regulation/protocols", json={"text": "title: [\n"})
    assert broken.json()["detail"][0]["msg"].startswith("Le document YAML est illisible")
    listed = (await client.get("/api/regulation/protocols")).json()["items"]
    assert len(listed) == 1  # nothing stored


async def test_cross_reference_errors_are_reported_too(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.COORDINATOR)
    raw = yaml.safe_load(default_protocol_text())
    raw["motifs"][3]["rules"][0]["when"]["age_bands"] = ["teenager"]
    response = await client.post(
        "/api/regulation/protocols", json={"text": yaml.safe_dump(raw, allow_unicode=True)}
    )
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "text"]
    assert "tranche(s) d'âge inconnue(s) teenager" in error["msg"]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REFERRER])
async def test_others_read_the_version_in_force_only(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await staff(session, client, role)
    assert (await client.get("/api/regulation/protocols/current")).status_code == 200
    assert (await client.get("/api/regulation/protocols")).status_code == 403
    upload = await client.post("/api/regulation/protocols", json={"text": _v2()})
    assert upload.status_code == 403


async def test_effectors_do_not_read_the_protocol(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.EFFECTOR)
    assert (await client.get("/api/regulation/protocols/current")).status_code == 403
