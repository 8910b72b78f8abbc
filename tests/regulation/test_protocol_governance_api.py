"""Protocol governance through the API: draft -> approved (by a physician other than the author,
with a reason, only when the version's clinical checks pass) -> published."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import ProtocolStatus, ProtocolVersion
from regulation.service.protocol import default_protocol_text
from regulation.service.protocol_checks import check_text
from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.regulation.conftest import birth_date_for, no_red_flags, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

REASON = "Relu et validé en réunion des médecins référents du 12 janvier."


def _text(change: Any = None) -> str:
    raw = yaml.safe_load(default_protocol_text())
    raw["title"] = "Protocole SNP relu par les médecins référents"
    if change is not None:
        change(raw)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


async def _upload(client: httpx.AsyncClient, text: str) -> int:
    response = await client.post("/api/regulation/protocols", json={"text": text})
    assert response.status_code == 201, response.text
    return int(response.json()["number"])


async def _approve(client: httpx.AsyncClient, number: int, reason: str = REASON) -> httpx.Response:
    return await client.post(f"/api/regulation/protocols/{number}/approve", json={"reason": reason})


async def test_a_physician_other_than_the_author_approves_then_the_version_is_published(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(
        session, client, Role.REGULATOR, name="Dr Marc Auteur", email="marc.auteur@example.fr"
    )
    number = await _upload(client, _text())
    own = await _approve(client, number)
    assert own.status_code == 403
    assert own.json()["detail"][0]["msg"].startswith("Double validation : l'auteur")

    await staff(session, client, Role.COORDINATOR, name="Sophie Coordinatrice")
    assert (await _approve(client, number)).status_code == 403  # not a physician

    reviewer = await staff(
        session, client, Role.REGULATOR, name="Dr Anne Référente", email="anne.referente@example.fr"
    )
    checks = (await client.get(f"/api/regulation/protocols/{number}/checks")).json()
    assert checks["approvable"] is True
    assert checks["vignettes_passed"] == checks["vignettes_total"] >= 40
    assert checks["red_flag_property"]["holds"] is True
    short = await _approve(client, number, "OK")
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "reason"]
    approved = await _approve(client, number)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert (body["status"], body["approved_by_name"], body["approval_reason"]) == (
        "approved",
        "Dr Anne Référente",
        REASON,
    )
    assert body["approved_at"] is not None
    assert (await _approve(client, number)).status_code == 409  # approved once
    assert (await client.get("/api/regulation/protocols/current")).json()["number"] == 1

    published = await client.post(f"/api/regulation/protocols/{number}/publish")
    assert published.status_code == 200, published.text
    listed = (await client.get("/api/regulation/protocols")).json()["items"]
    assert [(v["number"], v["status"], v["approved_by_name"]) for v in listed] == [
        (2, "published", "Dr Anne Référente"),
        (1, "superseded", None),
    ]
    trail = (
        await session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "regulation_protocol", AuditEntry.action == "approve"
            )
        )
    ).all()
    assert [(e.actor_user_id, e.entity_id, e.detail) for e in trail] == [
        (reviewer.id, "2", f"Approuvée : {REASON}")
    ]


async def test_a_version_lacking_a_core_red_flag_is_refused_at_upload(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.COORDINATOR)

    def poisoning_only(raw: dict[str, Any]) -> None:
        raw["red_flags"] = [f for f in raw["red_flags"] if f["id"] == "poisoning"]

    response = await client.post("/api/regulation/protocols", json={"text": _text(poisoning_only)})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "text"]
    assert "Signes d'alerte indispensables absents" in error["msg"]
    assert "douleur thoracique (chest_pain)" in error["msg"]
    listed = (await client.get("/api/regulation/protocols")).json()["items"]
    assert len(listed) == 1  # nothing stored


async def test_a_failing_vignette_blocks_approval_and_publication(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    def infants_to_the_pharmacist(raw: dict[str, Any]) -> None:
        raw["age_bands"][0].pop("floor")
        cough = next(m for m in raw["motifs"] if m["id"] == "cough_cold")
        cough["default"]["orientation"] = "PHARMACIST"

    await staff(session, client, Role.COORDINATOR, name="Sophie Coordinatrice")
    number = await _upload(client, _text(infants_to_the_pharmacist))
    await staff(
        session, client, Role.REGULATOR, name="Dr Anne Référente", email="anne.referente@example.fr"
    )
    checks = (await client.get(f"/api/regulation/protocols/{number}/checks")).json()
    assert checks["approvable"] is False
    failed = {v["id"]: v for v in checks["vignettes"] if not v["passed"]}
    assert failed["newborn_cough"]["outcome"] == "P3 sous 48 h, pharmacien"
    refused = await _approve(client, number)
    assert refused.status_code == 422
    errors = refused.json()["detail"]
    assert ["vignettes", "newborn_cough"] in [e["loc"] for e in errors]
    assert any("Nourrisson de 1 mois qui tousse" in e["msg"] for e in errors)
    publish = await client.post(f"/api/regulation/protocols/{number}/publish")
    assert publish.status_code == 409
    row = await session.scalar(select(ProtocolVersion).where(ProtocolVersion.number == number))
    assert row is not None
    assert row.status == ProtocolStatus.DRAFT


async def test_a_red_flag_rule_shadowed_by_a_result_blocks_approval(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    def shadowed(raw: dict[str, Any]) -> None:
        fever = next(m for m in raw["motifs"] if m["id"] == "fever")
        long_fever = next(r for r in fever["rules"] if r["id"] == "long_fever")
        fever["rules"].remove(long_fever)
        fever["rules"].insert(0, long_fever)

    await staff(session, client, Role.COORDINATOR, name="Sophie Coordinatrice")
    number = await _upload(client, _text(shadowed))
    await staff(
        session, client, Role.REGULATOR, name="Dr Anne Référente", email="anne.referente@example.fr"
    )
    refused = await _approve(client, number)
    assert refused.status_code == 422
    locs = {tuple(e["loc"]) for e in refused.json()["detail"]}
    assert ("red_flag_property",) in locs
    assert any("Fièvre mal tolérée" in e["msg"] for e in refused.json()["detail"])


async def test_operators_and_referrers_cannot_review_nor_approve(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for role in (Role.OPERATOR, Role.REFERRER):
        await staff(session, client, role)
        assert (await client.get("/api/regulation/protocols")).status_code == 403
        assert (await client.get("/api/regulation/protocols/1/checks")).status_code == 403
        assert (await _approve(client, 1)).status_code == 403


async def test_every_published_version_never_queues_a_red_flag_and_rules_the_next_call(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    def stricter_fever(raw: dict[str, Any]) -> None:
        fever = next(m for m in raw["motifs"] if m["id"] == "fever")
        fever["default"]["deadline_hours"] = 12

    await staff(session, client, Role.COORDINATOR, name="Sophie Coordinatrice")
    number = await _upload(client, _text(stricter_fever))
    await staff(
        session, client, Role.REGULATOR, name="Dr Anne Référente", email="anne.referente@example.fr"
    )
    assert (await _approve(client, number)).status_code == 200
    assert (await client.post(f"/api/regulation/protocols/{number}/publish")).status_code == 200

    rows = await session.scalars(
        select(ProtocolVersion).where(
            ProtocolVersion.status.in_([ProtocolStatus.PUBLISHED, ProtocolStatus.SUPERSEDED])
        )
    )
    texts = {row.number: row.yaml_text for row in rows}
    assert set(texts) == {1, number}  # the shipped default and the uploaded one
    for text in texts.values():
        prop = check_text(text).red_flag_property
        assert prop.holds, prop.violations

    await staff(session, client, Role.OPERATOR)
    document = (await client.get("/api/regulation/protocols/current")).json()["document"]
    answers = no_red_flags(document, "adult") | {
        "fever_duration": "under_48h",
        "fever_tolerated": True,
    }
    created = await client.post(
        "/api/regulation/requests",
        json=patient(motif="fever", birth_date=birth_date_for(40), answers=answers),
    )
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["protocol_version"] == number
    assert request["triage_rule"] == "fever:default"
    assert request["priority"] == "P2"
