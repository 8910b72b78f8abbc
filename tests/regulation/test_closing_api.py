"""Closing a request: outcomes and their rules, call-back attempts, and what referrers see."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from regulation import Orientation, mark_oriented
from regulation.models import Outcome
from snp.auth.roles import Role
from snp.db import Database
from tests.regulation.conftest import actor_of, client_for, patient, referral, staff
from tests.regulation.safety_helpers import mark_triaged

pytestmark = pytest.mark.usefixtures("communes")


async def test_medical_advice_closes_the_request_and_leaves_the_queue(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    await mark_triaged(session, created["id"])
    closed = await client.post(
        f"/api/regulation/requests/{created['id']}/close", json={"outcome": "medical_advice"}
    )
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["outcome"]) == ("closed", "medical_advice")
    assert body["closed_at"] is not None
    assert body["claimed_by_user_id"] is None
    assert (await client.get("/api/regulation/queue")).json()["items"] == []
    again = await client.post(
        f"/api/regulation/requests/{created['id']}/close", json={"outcome": "pharmacist"}
    )
    assert again.status_code == 409
    assert again.json()["detail"][0]["msg"] == "Demande déjà clôturée."


async def test_no_slot_found_says_what_was_tried(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    await mark_triaged(session, created["id"])
    url = f"/api/regulation/requests/{created['id']}/close"
    refused = await client.post(url, json={"outcome": "no_slot_found"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "note"]
    assert refused.json()["detail"][0]["msg"].startswith("Indiquez ce qui a été tenté")
    tried = "Cabinets de Redon et Allaire complets ; MT absent ; SOS indisponible."
    closed = await client.post(url, json={"outcome": "no_slot_found", "note": tried})
    assert closed.json()["outcome_note"] == tried


async def test_unreachable_needs_the_logged_call_back_attempts(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    base = f"/api/regulation/requests/{created['id']}"
    early = await client.post(f"{base}/close", json={"outcome": "unreachable"})
    assert early.status_code == 422
    assert "3 tentatives de rappel" in early.json()["detail"][0]["msg"]
    results = ["no_answer", "reached", "voicemail", "busy"]
    allowed = []
    for result in results:
        logged = await client.post(f"{base}/callbacks", json={"result": result, "note": "x"})
        assert logged.status_code == 201, logged.text
        allowed.append((logged.json()["failed_attempts"], logged.json()["unreachable_allowed"]))
    assert allowed == [(1, False), (1, False), (2, False), (3, True)]
    closed = await client.post(f"{base}/close", json={"outcome": "unreachable"})
    assert closed.status_code == 200, closed.text
    detail = closed.json()
    assert [a["result"] for a in detail["callback_attempts"]] == results
    assert detail["callback_attempts"][0]["operator_name"] == "Test operator"
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds.count("callback") == 4
    assert kinds[-1] == "closed"


async def test_slot_booked_needs_a_booking_then_the_referrer_sees_the_outcome(
    app: FastAPI, database: Database, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    sent = (await client.post("/api/regulation/referrals", json=referral())).json()
    async with client_for(app) as operator_client:
        operator = await staff(session, operator_client, Role.OPERATOR)
        base = f"/api/regulation/requests/{sent['id']}"
        assert (await operator_client.post(f"{base}/claim")).is_success
        too_early = await operator_client.post(f"{base}/close", json={"outcome": "slot_booked"})
        assert too_early.status_code == 422
        await mark_triaged(session, sent["id"], status="claimed")
        visit = datetime(2030, 1, 7, 15, 20, tzinfo=UTC)
        async with database.transaction() as s:  # what the booking journey will do
            await mark_oriented(
                s,
                actor_of(operator),
                sent["id"],
                orientation=Orientation.AMB,
                consultation_at=visit,
                appointment_id="6f1c2a8e-0000-4000-8000-000000000001",
            )
        seen = (await client.get(f"/api/regulation/referrals/{sent['id']}")).json()
        assert (seen["status"], seen["status_label"]) == ("oriented", "Orientée (rendez-vous pris)")
        assert seen["consultation_at"] == "2030-01-07T15:20:00Z"
        closed = await operator_client.post(f"{base}/close", json={"outcome": "slot_booked"})
        assert closed.status_code == 200, closed.text
        assert closed.json()["appointment_id"].startswith("6f1c2a8e")
    mine = (await client.get("/api/regulation/referrals/mine")).json()["items"][0]
    assert (mine["status"], mine["outcome"], mine["outcome_label"]) == (
        "closed",
        "slot_booked",
        "Rendez-vous pris",
    )


async def test_closing_as_redirected_to_the_15_by_decision(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REGULATOR)
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        request_id = (await operator.post("/api/regulation/requests", json=patient())).json()["id"]
        assert (await operator.post(f"/api/regulation/requests/{request_id}/release")).is_success
    assert (await client.post(f"/api/regulation/requests/{request_id}/claim")).is_success
    closed = await client.post(
        f"/api/regulation/requests/{request_id}/close", json={"outcome": "redirected_15"}
    )
    assert (closed.json()["status"], closed.json()["outcome"]) == ("redirected_15", "redirected_15")


@pytest.mark.parametrize("outcome", list(Outcome), ids=lambda o: o.value)
async def test_every_outcome_of_the_issue_closes_the_request(
    outcome: Outcome, database: Database, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """Slot booked, medical advice, 15, teleconsultation, pharmacist, emergency department,
    regulator, unreachable (after the logged call-backs), cancelled by the patient, no slot
    found (with what was tried): each closes the request, which leaves the queue."""
    operator = await staff(session, client, Role.OPERATOR)
    request_id = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    await mark_triaged(session, request_id, status="claimed")
    base = f"/api/regulation/requests/{request_id}"
    body: dict[str, str] = {"outcome": outcome.value}
    if outcome == Outcome.NO_SLOT_FOUND:
        body["note"] = "Cabinets de Redon complets ; médecin traitant absent."
    if outcome == Outcome.UNREACHABLE:
        for _ in range(3):
            logged = await client.post(f"{base}/callbacks", json={"result": "no_answer"})
            assert logged.status_code == 201, logged.text
    if outcome == Outcome.SLOT_BOOKED:
        async with database.transaction() as s:  # what the booking journey does
            await mark_oriented(
                s,
                actor_of(operator),
                request_id,
                orientation=Orientation.AMB,
                consultation_at=datetime(2030, 1, 7, 15, 20, tzinfo=UTC),
                appointment_id="6f1c2a8e-0000-4000-8000-000000000002",
            )

    closed = await client.post(f"{base}/close", json=body)

    assert closed.status_code == 200, closed.text
    detail = closed.json()
    expected = "redirected_15" if outcome == Outcome.REDIRECTED_15 else "closed"
    assert (detail["status"], detail["outcome"]) == (expected, outcome.value)
    assert detail["closed_at"] is not None
    assert detail["timeline"][-1]["kind"] == "closed"
    assert (await client.get("/api/regulation/queue")).json()["items"] == []
