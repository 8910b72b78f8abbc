"""A call sent to the 15 (SAMU) is recorded with only what is known: a first name alone and the
red flag that led to it; closed at once, audited, kept apart from the queue, and pseudonymised
by the retention job like a closed request. The normal request's rules are not loosened."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from dateutil.relativedelta import relativedelta
from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from indicators.models import IndRequest
from indicators.rebuild import rebuild
from regulation.models import Redirect15, RegulationRequest
from regulation.service import retention
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.conftest import client_for, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

URL = "/api/regulation/redirects-15"


async def test_a_redirect_is_recorded_with_only_a_first_name_and_its_red_flag(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator = await staff(session, client, Role.OPERATOR)
    before = utcnow()
    response = await client.post(URL, json={"given_name": "Agathe", "red_flag_id": "chest_pain"})
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["given_name"] == "Agathe"
    assert (record["family_name"], record["birth_date"], record["phone"]) == (None, None, None)
    assert record["red_flag_id"] == "chest_pain"
    assert record["red_flag_text"]
    assert record["priority"] == "P0"
    assert record["origin"] == "patient_call"
    assert record["recorded_by_name"] == "Test operator"
    assert record["message"].endswith("le patient doit appeler le 15 immédiatement.")
    row = await session.get(Redirect15, record["id"])
    assert row is not None
    assert row.recorded_at >= before - timedelta(seconds=1)
    assert row.recorded_by_user_id == operator.id
    audited = await session.scalar(
        select(func.count()).where(
            AuditEntry.entity == "redirect_15",
            AuditEntry.entity_id == str(record["id"]),
            AuditEntry.action == "create",
        )
    )
    assert audited == 1
    # Closed at once: nothing reaches the queue.
    assert await session.scalar(select(func.count()).select_from(RegulationRequest)) == 0


async def test_a_pharmacy_records_a_redirect_with_a_phone_number_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    response = await client.post(
        URL,
        json={"phone": "06 12 34 56 78", "red_flag_id": "stroke_signs", "origin": "pharmacist"},
    )
    assert response.status_code == 201, response.text
    record = response.json()
    assert (record["phone"], record["phone_display"]) == ("+33612345678", "06 12 34 56 78")
    assert record["origin"] == "pharmacist"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"red_flag_id": "chest_pain"}, "given_name", "au moins le prénom"),
        ({"given_name": "Agathe"}, "red_flag_id", "Champ obligatoire"),
        ({"given_name": "Agathe", "red_flag_id": "headache"}, "red_flag_id", "inconnu"),
        (
            {"given_name": "Agathe", "red_flag_id": "chest_pain", "phone": "12"},
            "phone",
            "",
        ),
        (
            {"given_name": "Agathe", "red_flag_id": "chest_pain", "birth_date": "2999-01-01"},
            "birth_date",
            "futur",
        ),
    ],
)
async def test_a_redirect_without_a_known_red_flag_or_anyone_to_name_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    body: dict[str, str],
    field: str,
    message: str,
) -> None:
    await staff(session, client, Role.OPERATOR)
    response = await client.post(URL, json=body)
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    hit = [d for d in detail if d["loc"][-1] == field]
    assert hit, detail
    assert message in hit[0]["msg"]
    assert await session.scalar(select(func.count()).select_from(Redirect15)) == 0


async def test_the_normal_request_still_demands_the_full_identity(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    body = patient()
    del body["birth_date"]
    response = await client.post("/api/regulation/requests", json=body)
    assert response.status_code == 422


@pytest.mark.parametrize("role", [Role.EFFECTOR, Role.REGULATOR])
async def test_only_who_takes_calls_or_refers_records_a_redirect(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await staff(session, client, role)
    response = await client.post(URL, json={"given_name": "Agathe", "red_flag_id": "chest_pain"})
    assert response.status_code == 403


async def test_a_redirect_is_read_back_under_the_audit_trail(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (
        await client.post(URL, json={"given_name": "Agathe", "red_flag_id": "chest_pain"})
    ).json()
    response = await client.get(f"{URL}/{created['id']}")
    assert response.status_code == 200
    assert response.json()["given_name"] == "Agathe"
    assert (await client.get(f"{URL}/999999")).status_code == 404
    reads = await session.scalar(
        select(func.count()).where(AuditEntry.entity == "redirect_15", AuditEntry.action == "read")
    )
    assert reads == 1


async def test_retention_takes_the_identity_of_old_redirects_and_keeps_the_red_flag(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    old = (
        await client.post(
            URL,
            json={
                "given_name": "Agathe",
                "family_name": "Morel",
                "phone": "0612345678",
                "birth_date": "1950-02-03",
                "red_flag_id": "chest_pain",
                "note": "Voisine au téléphone",
            },
        )
    ).json()
    later = utcnow() + relativedelta(months=13)
    recent = (
        await client.post(URL, json={"given_name": "Paul", "red_flag_id": "stroke_signs"})
    ).json()
    await session.execute(
        update(Redirect15)
        .where(Redirect15.id == recent["id"])
        .values(recorded_at=later - timedelta(days=1))
    )
    await session.commit()
    done = await retention.pseudonymise_expired(session, retention_months=12, now=later)
    await session.commit()
    assert done == 1
    session.expire_all()
    gone = await session.get(Redirect15, old["id"])
    kept = await session.get(Redirect15, recent["id"])
    assert gone is not None
    assert kept is not None
    assert (gone.given_name, gone.family_name, gone.phone, gone.birth_date, gone.note) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert gone.red_flag_id == "chest_pain"
    assert gone.pseudonymised_at == later
    assert kept.given_name == "Paul"
    assert kept.pseudonymised_at is None


async def test_a_redirect_counts_in_the_indicators_as_a_request_redirected_to_the_15(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    record = (
        await client.post(
            URL, json={"given_name": "Agathe", "red_flag_id": "chest_pain", "origin": "pharmacist"}
        )
    ).json()

    async def counted() -> list[tuple[object, ...]]:
        rows = await session.execute(
            select(
                IndRequest.status, IndRequest.outcome, IndRequest.origin, IndRequest.channel
            ).where(IndRequest.request_id == -record["id"])
        )
        return [tuple(r) for r in rows]

    expected = [("redirected_15", "redirected_15", "pharmacist", "form")]
    assert await counted() == expected
    await rebuild(session, supply_days_back=1, supply_days_ahead=1)
    await session.commit()
    assert await counted() == expected


async def test_a_redirect_shows_in_the_regulators_follow_up_marked_with_what_is_known(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    recorded = await client.post(
        URL, json={"given_name": "Agathe", "red_flag_id": "chest_pain", "note": "Douleur 20 min"}
    )
    assert recorded.status_code == 201, recorded.text
    redirect_id = recorded.json()["id"]
    # An old one (past the follow-up's week) is not listed.
    old = (
        await client.post(URL, json={"given_name": "Ancien", "red_flag_id": "chest_pain"})
    ).json()
    await session.execute(
        update(Redirect15)
        .where(Redirect15.id == old["id"])
        .values(recorded_at=utcnow() - timedelta(days=8))
    )
    await session.commit()

    async with client_for(app) as regulator:
        user = await staff(session, regulator, Role.REGULATOR)
        answer = await regulator.get("/api/regulation/follow-up")
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert page["items"] == []
    assert page["redirects_total"] == 1
    (item,) = page["redirects"]
    assert item["id"] == redirect_id
    assert (item["given_name"], item["family_name"], item["age_label"]) == ("Agathe", None, None)
    assert item["phone_display"] == ""
    assert item["red_flag_text"] == recorded.json()["red_flag_text"]
    assert (item["priority"], item["note"]) == ("P0", "Douleur 20 min")
    assert (item["recorded_by_name"], item["origin"]) == ("Anne Opératrice", "patient_call")
    assert item["recorded_at"] == recorded.json()["recorded_at"]
    # The record is how the call reached the 15: the patient was told to call it.
    assert item["transfer_15_label"] == "Patient invité à appeler le 15 immédiatement"
    read = await session.scalar(
        select(func.count()).where(
            AuditEntry.entity == "redirect_15",
            AuditEntry.entity_id == str(redirect_id),
            AuditEntry.action == "read",
            AuditEntry.actor_user_id == user.id,
        )
    )
    assert read == 1
