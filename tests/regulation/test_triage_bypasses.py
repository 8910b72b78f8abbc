"""No way around triage (issue 13, point 3), through the API, on SQLite and PostgreSQL.

- A clinical outcome (advice, teleconsultation, pharmacist...) needs a completed triage with a
  protocol version (or a regulator's own assessment, written in the note).
- Birth date, sex or motif changed after triage: back to triage, no booking until triaged again.
- A request reopened after its appointment was cancelled is triaged again before rebooking.
- "Regulator advice": on the regulators' worklist, booked only after a regulator's decision.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import Orientation
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.builders import REDON, effector, slot, triaged_request
from tests.regulation.conftest import birth_date_for, client_for, patient, staff
from tests.regulation.safety_helpers import (
    calm_answers,
    default_with_advice,
    mark_triaged,
    publish_directly,
)

pytestmark = pytest.mark.usefixtures("communes")


def url(request_id: int, action: str = "") -> str:
    return f"/api/regulation/requests/{request_id}" + (f"/{action}" if action else "")


async def triaged(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    """An adult's call, triaged at once (P2 at the practice), kept in hand."""
    body = patient(birth_date=birth_date_for(years=40), answers=calm_answers()) | overrides
    response = await client.post("/api/regulation/requests", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    assert (created["priority"], created["may_book"]) == ("P2", True)
    return created


def error(response: httpx.Response) -> tuple[int, list[str | int], str]:
    detail = response.json()["detail"][0]
    return response.status_code, detail["loc"], detail["msg"]


# -- clinical outcomes need a triage ---------------------------------------------------------


@pytest.mark.parametrize(
    "outcome", ["medical_advice", "teleconsultation", "pharmacist", "emergency_department"]
)
async def test_an_untriaged_request_cannot_be_closed_with_a_clinical_outcome(
    outcome: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    assert created["protocol_version"] is None

    refused = await client.post(url(created["id"], "close"), json={"outcome": outcome})

    status, loc, msg = error(refused)
    assert (status, loc) == (409, ["body", "outcome"])
    assert msg.startswith("Demande non triée : faites le tri selon le protocole")
    detail = (await client.get(url(created["id"]))).json()
    assert (detail["status"], detail["outcome"]) == ("claimed", None)
    # Once triaged with the protocol, the same outcome closes it.
    await mark_triaged(session, created["id"], status="claimed")
    closed = await client.post(url(created["id"], "close"), json={"outcome": outcome})
    assert closed.status_code == 200, closed.text


async def test_non_clinical_outcomes_need_no_triage(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    closed = await client.post(
        url(created["id"], "close"), json={"outcome": "cancelled_by_patient"}
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["outcome"] == "cancelled_by_patient"


async def test_a_regulator_closes_an_untriaged_request_with_advice_only_writing_their_assessment(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        created = (
            await operator.post("/api/regulation/requests", json=patient(claim=False))
        ).json()
    await staff(session, client, Role.REGULATOR)
    silent = await client.post(url(created["id"], "close"), json={"outcome": "medical_advice"})
    assert error(silent)[:2] == (409, ["body", "note"])
    closed = await client.post(
        url(created["id"], "close"),
        json={"outcome": "medical_advice", "note": "Rhinopharyngite, paracétamol, rappel si >3 j."},
    )
    assert closed.status_code == 200, closed.text


# -- back to triage when the facts it used change ---------------------------------------------


async def test_a_birth_date_change_after_triage_sends_the_request_back_to_triage(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=3))
    created = await triaged(client)

    changed = await client.patch(url(created["id"]), json={"birth_date": birth_date_for(months=1)})

    assert changed.status_code == 200, changed.text
    detail = changed.json()
    assert (detail["priority"], detail["orientation"], detail["triaged_at"]) == (None, None, None)
    assert (detail["protocol_version"], detail["may_book"]) == (None, False)
    assert detail["retriage_reason"] == (
        "Modifié après le tri (date de naissance) : refaites le tri avant de réserver."
    )
    assert detail["status"] == "claimed"  # still in the operator's hands, on the phone
    assert detail["timeline"][-1]["kind"] == "back_to_triage"
    # The deadline is the triage's again (call back and ask the red flags), not the old one.
    assert detail["deadline_at"] < created["deadline_at"]
    queue = (await client.get("/api/regulation/queue")).json()["items"]
    assert [(q["priority"], q["retriage_reason"]) for q in queue] == [
        (None, detail["retriage_reason"])
    ]
    refused = await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})
    status, loc, msg = error(refused)
    assert (status, loc) == (409, ["path", "request_id"])
    assert msg == f"Demande à trier de nouveau : {detail['retriage_reason']}"
    closing = await client.post(url(created["id"], "close"), json={"outcome": "medical_advice"})
    assert closing.status_code == 409


async def test_after_a_new_triage_the_request_may_be_booked_again(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=3))
    created = await triaged(client)
    await client.patch(url(created["id"]), json={"birth_date": birth_date_for(years=80)})

    retriaged = await client.post(url(created["id"], "triage"), json={"answers": calm_answers()})

    assert retriaged.status_code == 200, retriaged.text
    detail = (await client.get(url(created["id"]))).json()
    assert (detail["retriage_reason"], detail["may_book"], detail["age_band"]) == (
        None,
        True,
        "elderly",
    )
    held = await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})
    assert held.status_code == 200, held.text


@pytest.mark.parametrize(
    ("change", "named"),
    [({"sex": "male"}, "sexe"), ({"motif": "sore_throat"}, "motif")],
    ids=["sex", "motif"],
)
async def test_a_sex_or_motif_change_after_triage_sends_the_request_back_to_triage(
    change: dict[str, str], named: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = await triaged(client)
    detail = (await client.patch(url(created["id"]), json=change)).json()
    assert (detail["priority"], detail["may_book"]) == (None, False)
    assert f"({named})" in detail["retriage_reason"]


async def test_a_slot_held_before_the_change_is_given_back(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=3))
    created = await triaged(client)
    assert (await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})).is_success

    detail = (await client.patch(url(created["id"]), json={"sex": "male"})).json()

    assert detail["hold_slot_id"] is None
    refused = await client.post(url(created["id"], "confirm"), json={"slot_id": slot_id})
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["msg"].startswith("Demande à trier de nouveau")


async def test_other_corrections_keep_the_triage(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = await triaged(client)
    detail = (
        await client.patch(url(created["id"]), json={"phone": "06 99 88 77 66", "sex": "female"})
    ).json()
    assert (detail["priority"], detail["may_book"], detail["retriage_reason"]) == ("P2", True, None)


async def test_an_unknown_motif_is_refused_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = await triaged(client)
    refused = await client.patch(url(created["id"]), json={"motif": "astrologie"})
    assert error(refused) == (422, ["body", "motif"], "Motif inconnu du protocole en vigueur.")
    assert (await client.get(url(created["id"]))).json()["priority"] == "P2"


# -- rebooking after a cancellation ---------------------------------------------------------


async def test_a_request_reopened_after_a_cancellation_is_triaged_again_before_rebooking(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    first = await slot(session, doctor, utcnow() + timedelta(hours=3))
    second = await slot(session, doctor, utcnow() + timedelta(hours=5))
    created = await triaged(client)
    assert (await client.post(url(created["id"], "hold"), json={"slot_id": first})).is_success
    booked = await client.post(url(created["id"], "confirm"), json={"slot_id": first})
    appointment_id = booked.json()["appointment"]["id"]
    cancelled = await client.post(
        f"/api/agenda/appointments/{appointment_id}/cancel",
        json={"reason": "Ne peut plus venir", "by": "patient"},
    )
    assert cancelled.status_code == 200, cancelled.text

    detail = (await client.get(url(created["id"]))).json()
    assert (detail["status"], detail["priority"], detail["may_book"]) == ("received", None, False)
    assert detail["retriage_reason"].startswith("Rendez-vous annulé ou déplacé : reposez")
    assert (await client.post(url(created["id"], "claim"))).is_success
    refused = await client.post(url(created["id"], "hold"), json={"slot_id": second})
    assert refused.status_code == 409
    candidates = await client.get(url(created["id"], "candidates"))
    assert candidates.status_code == 422

    red_flag = next(iter(calm_answers()))
    answers = calm_answers() | {red_flag: True}  # worse since: the 15, not a new slot
    result = (await client.post(url(created["id"], "triage"), json={"answers": answers})).json()
    assert (result["call_15"], result["status"]) == (True, "redirected_15")


# -- "regulator advice": only after a regulator's decision ----------------------------------


async def test_regulator_advice_goes_to_the_regulators_and_waits_for_their_decision(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await publish_directly(session, default_with_advice("fever"))
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=3))
    body = patient(birth_date=birth_date_for(years=40), answers=calm_answers())
    created = (await client.post("/api/regulation/requests", json=body)).json()

    # On the regulators' worklist, out of the operator's hands.
    assert (created["orientation"], created["assigned_to"]) == ("ADVICE", "regulator")
    assert (created["status"], created["claimed_by_user_id"]) == ("waiting", None)
    assert (created["awaiting_regulator"], created["may_book"]) == (True, False)
    queue = (await client.get("/api/regulation/queue", params={"assigned_to": "regulator"})).json()
    assert [(q["id"], q["awaiting_regulator"]) for q in queue["items"]] == [(created["id"], True)]
    # The operator can neither take it back, force a practice visit, nor close it as advice.
    assert (await client.post(url(created["id"], "claim"))).status_code == 403
    forced = await client.get(url(created["id"], "candidates"), params={"kind": "AMB"})
    assert forced.status_code == 409
    assert forced.json()["detail"][0]["msg"].startswith("Avis du médecin régulateur demandé")
    advice = await client.post(url(created["id"], "close"), json={"outcome": "medical_advice"})
    assert advice.status_code == 409
    # A coordinator stepping in cannot book either.
    async with client_for(app) as coordinator:
        await staff(session, coordinator, Role.COORDINATOR)
        assert (await coordinator.post(url(created["id"], "claim"))).is_success
        held = await coordinator.post(
            url(created["id"], "hold"), json={"slot_id": slot_id, "kind": "AMB"}
        )
        assert held.status_code == 409
        assert (await coordinator.post(url(created["id"], "release"))).is_success
    # Only a regulator records the decision; the operators may then book.
    decision = {"orientation": "AMB", "priority": "P2", "deadline_hours": 4, "note": "Otite."}
    assert (
        await client.post(url(created["id"], "regulator-decision"), json=decision)
    ).status_code == 403
    async with client_for(app) as regulator:
        await staff(session, regulator, Role.REGULATOR, name="Dr Paul Régulateur")
        decided = await regulator.post(url(created["id"], "regulator-decision"), json=decision)
        assert decided.status_code == 200, decided.text
    detail = decided.json()
    assert (detail["orientation"], detail["priority"], detail["assigned_to"]) == (
        "AMB",
        "P2",
        "operator",
    )
    assert (detail["awaiting_regulator"], detail["may_book"]) == (False, True)
    assert (detail["regulator_decision_by_name"], detail["regulator_note"]) == (
        "Dr Paul Régulateur",
        "Otite.",
    )
    assert detail["timeline"][-1]["kind"] == "regulator_decision"
    assert (await client.post(url(created["id"], "claim"))).is_success
    assert (await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})).is_success


async def test_a_regulator_decision_is_checked_like_a_protocol_result(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REGULATOR)
    request_id = await triaged_request(session, now=utcnow(), orientation=Orientation.ADVICE)
    decision = {"orientation": "AMB", "priority": "P2", "deadline_hours": 30, "note": "Otite."}
    too_late = await client.post(url(request_id, "regulator-decision"), json=decision)
    assert too_late.status_code == 422
    assert "24 heures" in too_late.json()["detail"][0]["msg"]
    unsigned = await client.post(
        url(request_id, "regulator-decision"), json=decision | {"deadline_hours": 4, "note": " "}
    )
    assert unsigned.status_code == 422
    assert unsigned.json()["detail"][0]["loc"] == ["body", "note"]
