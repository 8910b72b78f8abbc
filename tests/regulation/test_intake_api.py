"""Requests come in by phone (operators) or by referral (referrers), validated, audited."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.regulation.conftest import birth_date_for, client_for, patient, referral, staff

pytestmark = pytest.mark.usefixtures("communes")


async def _audit(session: AsyncSession, action: str) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == "regulation_request", AuditEntry.action == action)
        .order_by(AuditEntry.id)
    )
    return list(rows)


async def test_an_operator_takes_a_call_the_request_is_kept_in_hand_and_complete(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator = await staff(session, client, Role.OPERATOR)
    response = await client.post("/api/regulation/requests", json=patient())
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "claimed"
    assert created["claimed_by_user_id"] == operator.id
    assert created["claimed_by_name"] == "Test operator"
    assert created["phone"] == "+33612345678"
    assert created["phone_display"] == "06 12 34 56 78"
    assert created["origin"] == "patient_call"
    assert created["age_label"].endswith(" ans")
    assert created["received_at"]
    assert created["claimed_at"]
    assert created["deadline_at"] is not None  # to triage within the hour
    assert [e["kind"] for e in created["timeline"]] == ["received", "claimed"]
    assert (await _audit(session, "create"))[0].entity_id == str(created["id"])


async def test_infants_ages_are_told_in_months_and_days(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    months = await client.post(
        "/api/regulation/requests", json=patient(birth_date=birth_date_for(months=7))
    )
    assert months.json()["age_label"] == "7 mois"
    assert months.json()["age_months"] == 7
    days = await client.post(
        "/api/regulation/requests", json=patient(birth_date=birth_date_for(days=12))
    )
    assert days.json()["age_label"] == "12 jours"


async def test_validation_errors_name_the_field_in_french(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    body = patient(phone="02 99 71 00 00", birth_date="2999-01-01", gp_rpps="12345678901")
    del body["family_name"]
    body["colour"] = "blue"
    response = await client.post("/api/regulation/requests", json=body)
    assert response.status_code == 422
    errors = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert errors[("body", "family_name")] == "Champ obligatoire."
    assert errors[("body", "phone")] == "Un numéro de portable est attendu (pour les SMS)."
    assert errors[("body", "birth_date")] == "La date de naissance ne peut pas être dans le futur."
    assert errors[("body", "gp_rpps")].startswith("Le numéro RPPS est invalide")
    assert errors[("body", "colour")] == "Champ inconnu."


async def test_the_commune_must_belong_to_the_territory_or_an_address_be_given(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    outside = await client.post("/api/regulation/requests", json=patient(commune_insee="75056"))
    assert outside.status_code == 422
    assert outside.json()["detail"][0]["loc"] == ["body", "commune_insee"]
    assert outside.json()["detail"][0]["msg"] == (
        "Cette commune n'appartient pas au territoire de la CPTS."
    )
    nowhere = await client.post("/api/regulation/requests", json=patient(commune_insee=None))
    assert nowhere.status_code == 422
    no_coordinates = await client.post(
        "/api/regulation/requests",
        json=patient(commune_insee=None, address_line="3 rue du Port, Redon", latitude=47.65),
    )
    assert no_coordinates.json()["detail"][0]["loc"] == ["body", "longitude"]
    address = await client.post(
        "/api/regulation/requests",
        json=patient(
            commune_insee=None, address_line="3 rue du Port", latitude=47.65, longitude=-2.08
        ),
    )
    assert address.status_code == 201, address.text


@pytest.mark.parametrize("role", [Role.REFERRER, Role.EFFECTOR, Role.SAS_REGULATOR])
async def test_other_roles_cannot_take_calls(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await staff(session, client, role)
    assert (await client.post("/api/regulation/requests", json=patient())).status_code == 403
    assert (await client.get("/api/regulation/queue")).status_code == 403


async def test_every_read_is_audited_and_changes_name_their_fields(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    request_id = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    assert (await client.get(f"/api/regulation/requests/{request_id}")).status_code == 200
    assert (await client.get("/api/regulation/queue")).status_code == 200
    assert (await client.get("/api/regulation/requests")).status_code == 200
    reads = await _audit(session, "read")
    assert [r.entity_id for r in reads] == [str(request_id)] * 3
    assert {r.ip for r in reads} == {"203.0.113.7"}

    changed = await client.patch(
        f"/api/regulation/requests/{request_id}",
        json={"phone": "07 81 22 33 44", "notes": "Rappeler après 14 h", "sex": "female"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["phone"] == "+33781223344"
    updates = [u for u in await _audit(session, "update") if u.detail and "phone" in u.detail]
    assert updates[-1].detail == "notes,phone"  # names only, never values; sex did not change
    refused = await client.patch(f"/api/regulation/requests/{request_id}", json={"phone": None})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "phone"]


async def test_a_referrer_sends_a_patient_and_sees_only_their_own_referrals(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    pharmacist = await staff(session, client, Role.REFERRER, "pharmacie@example.fr")
    sent = await client.post("/api/regulation/referrals", json=referral())
    assert sent.status_code == 201, sent.text
    mine = sent.json()
    assert mine["status"] == "received"
    assert mine["status_label"] == "Reçue, à trier"
    assert mine["call_15"] is False
    assert mine["origin"] == "pharmacist"

    async with client_for(app) as nurse_client, client_for(app) as operator_client:
        await staff(session, nurse_client, Role.REFERRER, "ide@example.fr")
        await staff(session, operator_client, Role.OPERATOR)
        other = await nurse_client.post(
            "/api/regulation/referrals", json=referral(family_name="Autre", origin="nurse")
        )
        assert other.status_code == 201
        # The nurse sees her own referral only; the pharmacist's is "not found", not forbidden.
        listed = (await nurse_client.get("/api/regulation/referrals/mine")).json()
        assert [r["family_name"] for r in listed["items"]] == ["Autre"]
        hidden = await nurse_client.get(f"/api/regulation/referrals/{mine['id']}")
        assert hidden.status_code == 404
        assert (await nurse_client.get(f"/api/regulation/requests/{mine['id']}")).status_code == 403
        assert (await nurse_client.get("/api/regulation/queue")).status_code == 403
        # Operators see both in the queue, with who referred them.
        queue = (await operator_client.get("/api/regulation/queue")).json()["items"]
        assert {q["referrer_structure"] for q in queue} == {"Test referrer"}
        assert {q["status"] for q in queue} == {"received"}
        assert (await operator_client.get("/api/regulation/referrals/mine")).status_code == 403
        detail = (await operator_client.get(f"/api/regulation/requests/{mine['id']}")).json()
        assert detail["referrer_user_id"] == pharmacist.id
        assert detail["sex"] == "undetermined"

    listed = (await client.get("/api/regulation/referrals/mine")).json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == mine["id"]
    assert (await client.get(f"/api/regulation/referrals/{mine['id']}")).status_code == 200


async def test_a_referral_needs_few_fields_and_names_the_missing_ones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    response = await client.post(
        "/api/regulation/referrals",
        json={"family_name": "Seul", "phone": "0612345678", "origin": "hospital"},
    )
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert locs == {("body", "given_name"), ("body", "birth_date"), ("body", "origin")}


async def test_the_operator_sees_the_referrers_mobile_on_the_request(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER, "pharmacie@example.fr")
    sent = await client.post(
        "/api/regulation/referrals", json=referral(referrer_phone="06 11 22 33 44")
    )
    assert sent.status_code == 201, sent.text
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        detail = (await operator.get(f"/api/regulation/requests/{sent.json()['id']}")).json()
    assert detail["referrer_phone"] == "+33611223344"
    assert detail["referrer_structure"] == "Test referrer"
