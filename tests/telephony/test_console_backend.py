"""The console backend (default, no Twilio): the demo page plays the phone network, so the whole
journey works — a call rings, shows on the board, is taken, ends; a caller hangs up; a patient
called back answers. The simulation is refused when the line is on Twilio."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.roles import Role
from tests.regulation.conftest import client_for, patient, staff
from tests.telephony.conftest import ALWAYS_OPEN, board, configure, operator


async def test_the_whole_journey_without_twilio(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    configure(app, **ALWAYS_OPEN)
    await staff(session, client, Role.COORDINATOR)
    async with client_for(app) as anne:
        await operator(session, anne, "Anne Opératrice", "+33611111111")
        rung = await client.post("/api/voice/console/calls", json={"sender": "06 12 34 56 78"})
        assert rung.status_code == 201, rung.text
        assert rung.json()["state"] == "waiting"
        call_id = rung.json()["id"]
        assert [c["id"] for c in (await board(anne))["waiting"]] == [call_id]

        taken = await anne.post(f"/api/voice/calls/{call_id}/take")
        assert taken.status_code == 200, taken.text
        assert taken.json()["number"] == "+33612345678"
        created = await anne.post("/api/regulation/requests", json=patient(phone="+33612345678"))
        linked = await anne.post(
            f"/api/voice/calls/{call_id}/outcome",
            json={"outcome": "request_created", "request_id": created.json()["id"]},
        )
        assert linked.status_code == 200, linked.text
        ended = await anne.post(f"/api/voice/calls/{call_id}/hang-up")
        assert ended.json()["state"] == "ended"
        assert ended.json()["outcome"] == "request_created"
        assert (await board(anne))["me"]["state"] == "wrap_up"

        second = (
            await client.post("/api/voice/console/calls", json={"sender": "0698765432"})
        ).json()
        hung = await client.post(f"/api/voice/console/calls/{second['id']}/hang-up")
        assert hung.json()["outcome"] == "abandoned"
        [task] = (await board(anne))["tasks"]
        assert task["number_masked"] == "06 •• •• •• 32"

        request_id = created.json()["id"]
        placed = await anne.post("/api/voice/callbacks", json={"request_id": request_id})
        assert placed.status_code == 201, placed.text
        answered = await client.post(
            f"/api/voice/console/callbacks/{placed.json()['id']}/result",
            json={"result": "no-answer"},
        )
        assert answered.json()["outcome"] == "no_answer"
        detail = (await anne.get(f"/api/regulation/requests/{request_id}")).json()
        assert [a["result"] for a in detail["callback_attempts"]] == ["no_answer"]


async def test_an_operator_may_not_say_the_outcome_of_a_call_they_did_not_take(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    configure(app, **ALWAYS_OPEN)
    await staff(session, client, Role.COORDINATOR)
    async with client_for(app) as anne, client_for(app) as paul:
        await operator(session, anne, "Anne Opératrice", "+33611111111")
        await operator(session, paul, "Paul Opérateur", "+33622222222")
        call_id = (
            await client.post("/api/voice/console/calls", json={"sender": "0612345678"})
        ).json()["id"]
        assert (await anne.post(f"/api/voice/calls/{call_id}/take")).is_success
        refused = await paul.post(
            f"/api/voice/calls/{call_id}/outcome", json={"outcome": "advice_only"}
        )
        assert refused.status_code == 403
        unknown = await anne.post(
            f"/api/voice/calls/{call_id}/outcome",
            json={"outcome": "request_linked", "request_id": 999999},
        )
        assert unknown.status_code == 404
        assert unknown.json()["detail"][0]["loc"] == ["body", "request_id"]


async def test_automatic_offer_gives_the_call_to_the_longest_idle_operator(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    configure(app, voice_auto_offer=True, **ALWAYS_OPEN)
    await staff(session, client, Role.COORDINATOR)
    async with client_for(app) as anne, client_for(app) as paul:
        anne_id = await operator(session, anne, "Anne Opératrice", "+33611111111")
        await operator(session, paul, "Paul Opérateur", "+33622222222")
        call = (await client.post("/api/voice/console/calls", json={"sender": "0612345678"})).json()
        shown = await board(anne)
        assert shown["waiting"] == []
        [active] = shown["active"]
        assert (active["id"], active["operator_user_id"]) == (call["id"], anne_id)


async def test_the_simulation_is_refused_on_twilio_and_reserved_to_coordinators(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    async with client_for(app) as anne:
        await operator(session, anne, "Anne Opératrice", "+33611111111")
        forbidden = await anne.post("/api/voice/console/calls", json={"sender": "0612345678"})
        assert forbidden.status_code == 403
    await staff(session, client, Role.COORDINATOR)
    configure(app, voice_backend="twilio")
    refused = await client.post("/api/voice/console/calls", json={"sender": "0612345678"})
    assert refused.status_code == 409
    assert "SNP_VOICE_BACKEND=console" in refused.json()["detail"][0]["msg"]
    bad = await client.post("/api/voice/console/calls", json={"sender": "pas un numéro"})
    assert bad.status_code == 422
