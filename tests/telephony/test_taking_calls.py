"""Taking calls and calling back, through the fake Twilio Voice and the real `twilio` SDK:
exactly one operator per call, the caller put through to the operator's phone, wrap-up after
the call, the request it became, and « Rappeler » logging its attempt on the request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from telephony.models import PhoneCall
from tests.regulation.conftest import client_for, patient
from tests.telephony.conftest import board, configure, operator
from tests.telephony.fake_voice import CPTS_NUMBER, FakeCall, FakeVoice

CALLER = "+33612345678"
ANNE_PHONE = "+33611111111"
PAUL_PHONE = "sip:paul@cpts.sip.twilio.com"


def waiting_ids(shown: dict[str, Any]) -> list[int]:
    return [c["id"] for c in shown["waiting"]]


async def audit_actions(session: AsyncSession, action: str) -> list[tuple[str, str, str | None]]:
    rows = await session.execute(
        select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.detail)
        .where(AuditEntry.action == action)
        .order_by(AuditEntry.id)
    )
    return [(entity, entity_id, detail) for entity, entity_id, detail in rows]


@asynccontextmanager
async def anne_paul_and_a_waiting_call(
    app: FastAPI, session: AsyncSession, fake_voice: FakeVoice
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, int, FakeCall]]:
    """Anne's and Paul's consoles, both available, Anne's user id, and a caller waiting."""
    async with client_for(app) as anne, client_for(app) as paul:
        anne_id = await operator(session, anne, "Anne Opératrice", ANNE_PHONE)
        await operator(session, paul, "Paul Opérateur", PAUL_PHONE)
        yield anne, paul, anne_id, await fake_voice.place_call(CALLER)


async def test_taking_a_call_puts_the_caller_through_to_my_phone_then_wrap_up(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    call = await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))

    taken = await client.post(f"/api/voice/calls/{call_id}/take")
    assert taken.status_code == 200, taken.text
    assert taken.json() == {
        "call_id": call_id,
        "number": CALLER,
        "number_display": "06 12 34 56 78",
        "open_request_id": None,
    }
    # The SDK updated the queued call with a <Dial> to Anne's phone: it left the queue.
    assert call.dialled is not None
    assert call.dialled.target == ANNE_PHONE
    assert fake_voice.queues["cpts"] == []
    shown = await board(client)
    assert shown["waiting"] == []
    assert shown["me"]["state"] == "on_call"
    assert [a["mine"] for a in shown["active"]] == [True]

    await fake_voice.dial_ends(call, "completed", duration=95)
    assert call.status == "completed"
    shown = await board(client)
    assert shown["active"] == []
    assert shown["me"]["state"] == "wrap_up"
    [logged] = (await client.get("/api/voice/calls")).json()["items"]
    assert logged["state"] == "ended"
    assert logged["duration_seconds"] == 95
    assert logged["operator_name"] == "Anne Opératrice"


async def test_the_outcome_links_the_call_to_the_request_it_became(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))
    taken = (await client.post(f"/api/voice/calls/{call_id}/take")).json()
    created = await client.post("/api/regulation/requests", json=patient(phone=taken["number"]))
    assert created.status_code == 201, created.text
    outcome = await client.post(
        f"/api/voice/calls/{call_id}/outcome",
        json={"outcome": "request_created", "request_id": created.json()["id"]},
    )
    assert outcome.status_code == 200, outcome.text
    assert outcome.json()["outcome_label"] == "Demande créée"
    assert outcome.json()["request_id"] == created.json()["id"]


async def test_a_caller_with_an_open_request_gets_it_back_when_their_call_is_taken(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    created = (await client.post("/api/regulation/requests", json=patient(phone=CALLER))).json()
    await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))
    taken = (await client.post(f"/api/voice/calls/{call_id}/take")).json()
    assert taken["open_request_id"] == created["id"]


async def test_two_operators_taking_the_same_call_exactly_one_wins(
    fake_voice: FakeVoice, app: FastAPI, session: AsyncSession
) -> None:
    async with client_for(app) as anne, client_for(app) as paul:
        await operator(session, anne, "Anne Opératrice", ANNE_PHONE)
        await operator(session, paul, "Paul Opérateur", PAUL_PHONE)
        for _ in range(3):
            call = await fake_voice.place_call(CALLER)
            [call_id] = waiting_ids(await board(anne))
            responses = await asyncio.gather(
                anne.post(f"/api/voice/calls/{call_id}/take"),
                paul.post(f"/api/voice/calls/{call_id}/take"),
            )
            codes = sorted(r.status_code for r in responses)
            assert codes == [200, 409], [r.text for r in responses]
            loser = next(r for r in responses if r.status_code == 409).json()
            assert (
                loser["detail"][0]["msg"] == "Cet appel vient d'être pris par un autre opérateur."
            )
            updates = [r for r in fake_voice.rest_requests if r[0] == "update"]
            assert len(updates) == 1  # the line was asked once, for the winner
            fake_voice.rest_requests.clear()
            assert call.dialled is not None
            assert call.dialled.target in (ANNE_PHONE, PAUL_PHONE)
            await fake_voice.dial_ends(call, "completed", duration=30)


async def test_when_twilio_refuses_the_transfer_the_call_waits_again_for_another_operator(
    fake_voice: FakeVoice, app: FastAPI, session: AsyncSession
) -> None:
    async with anne_paul_and_a_waiting_call(app, session, fake_voice) as (anne, paul, _, call):
        call_id = waiting_ids(await board(anne))[0]

        fake_voice.refusing_updates = True
        refused = await anne.post(f"/api/voice/calls/{call_id}/take")
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"][0]["msg"] == (
            "Twilio a refusé la demande (erreur 21220) : l'appel n'a pas été transféré, "
            "il reste en attente."
        )
        # The claim was released: the call waits again, on every console, and Anne is not
        # on a call; the failure is in the audit trail.
        shown = await board(paul)
        assert waiting_ids(shown) == [call_id]
        assert shown["active"] == []
        assert (await board(anne))["me"]["state"] == "available"
        assert call.dialled is None
        assert fake_voice.queues["cpts"] == [call.sid]
        refusals = await audit_actions(session, "line_refused")
        assert refusals == [("phone_call", str(call_id), "TwilioRestException")]

        fake_voice.refusing_updates = False
        taken = await paul.post(f"/api/voice/calls/{call_id}/take")
        assert taken.status_code == 200, taken.text
        assert call.dialled is not None
        assert call.dialled.target == PAUL_PHONE
        shown = await board(paul)
        assert shown["waiting"] == []
        assert shown["me"]["state"] == "on_call"
        [active] = shown["active"]
        assert active["mine"] is True


def hold_the_line(fake_voice: FakeVoice) -> tuple[asyncio.Event, asyncio.Event]:
    """Twilio holds its answer to the next REST request until `answer` is set; `asked` is set
    when the request arrives."""
    asked, answer = asyncio.Event(), asyncio.Event()

    async def hold(kind: str) -> None:
        asked.set()
        await answer.wait()

    fake_voice.while_requested = hold
    return asked, answer


async def cancelled_while_the_line_answers(
    fake_voice: FakeVoice, request: Coroutine[Any, Any, httpx.Response]
) -> None:
    """The request is cancelled (the operator's browser went away) while Twilio is answering;
    it ends cancelled, once what the line did is recorded."""
    asked, answer = hold_the_line(fake_voice)
    sent = asyncio.create_task(request)
    await asked.wait()
    sent.cancel()
    await asyncio.sleep(0.05)  # the cancellation reaches the route before Twilio answers
    answer.set()
    with pytest.raises(asyncio.CancelledError):
        await sent
    fake_voice.while_requested = None


async def test_a_take_cancelled_while_twilio_transfers_still_puts_the_operator_on_the_call(
    fake_voice: FakeVoice, app: FastAPI, session: AsyncSession
) -> None:
    async with anne_paul_and_a_waiting_call(app, session, fake_voice) as (
        anne,
        paul,
        anne_id,
        call,
    ):
        call_id = waiting_ids(await board(anne))[0]
        await cancelled_while_the_line_answers(
            fake_voice, anne.post(f"/api/voice/calls/{call_id}/take")
        )
        assert call.dialled is not None
        assert call.dialled.target == ANNE_PHONE
        assert (await board(anne))["me"]["state"] == "on_call"
        [active] = (await board(paul))["active"]
        assert active["operator_user_id"] == anne_id


async def test_a_take_cancelled_while_twilio_refuses_leaves_the_call_waiting_for_anyone(
    fake_voice: FakeVoice, app: FastAPI, session: AsyncSession
) -> None:
    async with anne_paul_and_a_waiting_call(app, session, fake_voice) as (anne, paul, _, call):
        call_id = waiting_ids(await board(anne))[0]
        fake_voice.refusing_updates = True
        await cancelled_while_the_line_answers(
            fake_voice, anne.post(f"/api/voice/calls/{call_id}/take")
        )
        shown = await board(paul)
        assert waiting_ids(shown) == [call_id]
        assert shown["active"] == []
        assert (await board(anne))["me"]["state"] == "available"
        assert fake_voice.queues["cpts"] == [call.sid]


async def test_a_call_back_cancelled_while_twilio_places_it_keeps_its_provider_id(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    created = (await client.post("/api/regulation/requests", json=patient(phone=CALLER))).json()
    await cancelled_while_the_line_answers(
        fake_voice, client.post("/api/voice/callbacks", json={"request_id": created["id"]})
    )
    outbound = fake_voice.outbound()[-1]
    [(sid, state)] = (await session.execute(select(PhoneCall.sid, PhoneCall.state))).all()
    assert (sid, str(state)) == (outbound.sid, "connected")
    assert (await board(client))["me"]["state"] == "on_call"


async def test_an_operator_phone_not_answering_makes_the_caller_a_task_and_the_operator_away(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    call = await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))
    assert (await client.post(f"/api/voice/calls/{call_id}/take")).is_success
    await fake_voice.dial_ends(call, "no-answer")
    assert "Nous n'avons pas pu vous mettre en relation" in call.speech
    assert call.status == "completed"
    shown = await board(client)
    assert [t["reason"] for t in shown["tasks"]] == ["no_operator"]
    assert shown["me"]["state"] == "away"


async def test_a_call_that_hung_up_cannot_be_taken(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    call = await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))
    await fake_voice.caller_hangs_up(call)
    refused = await client.post(f"/api/voice/calls/{call_id}/take")
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["msg"] == "L'appelant a raccroché."
    assert [r for r in fake_voice.rest_requests if r[0] == "update"] == []


async def test_taking_a_call_needs_a_phone_to_ring(
    fake_voice: FakeVoice, app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from snp.auth.roles import Role
    from tests.regulation.conftest import staff

    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))
    async with client_for(app) as paul:
        await staff(session, paul, Role.OPERATOR, name="Paul Opérateur")
        refused = await paul.post(f"/api/voice/calls/{call_id}/take")
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["body", "phone"]
        bad = await paul.put("/api/voice/presence", json={"state": "available", "phone": "sip:x"})
        assert bad.status_code == 422


async def test_rappeler_rings_my_phone_then_the_patient_and_logs_each_attempt(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    created = (await client.post("/api/regulation/requests", json=patient(phone=CALLER))).json()
    request_id = created["id"]
    results = []
    for status, duration in (("busy", 0), ("no-answer", 0), ("completed", 125)):
        placed = await client.post("/api/voice/callbacks", json={"request_id": request_id})
        assert placed.status_code == 201, placed.text
        outbound = fake_voice.outbound()[-1]
        assert outbound.to == ANNE_PHONE  # the operator's phone rings first
        assert outbound.from_ == CPTS_NUMBER
        await fake_voice.operator_answers(outbound)
        assert outbound.dialled is not None
        assert outbound.dialled.target == CALLER
        assert outbound.dialled.caller_id == CPTS_NUMBER  # the patient sees the CPTS number
        await fake_voice.dial_ends(outbound, status, duration)
        results.append(status)
    detail = (await client.get(f"/api/regulation/requests/{request_id}")).json()
    attempts = detail["callback_attempts"]
    assert sorted(a["result"] for a in attempts) == ["busy", "no_answer", "reached"]
    reached = next(a for a in attempts if a["result"] == "reached")
    assert reached["note"] == "Rappel par la ligne de la CPTS : patient joint, 2 min 05 s."
    assert (await board(client))["me"]["state"] == "wrap_up"


async def test_a_task_called_back_and_reached_leaves_the_queue(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    call = await fake_voice.place_call(CALLER)
    await fake_voice.caller_hangs_up(call)
    [task] = (await board(client))["tasks"]
    placed = await client.post("/api/voice/callbacks", json={"task_id": task["id"]})
    assert placed.status_code == 201, placed.text
    outbound = fake_voice.outbound()[-1]
    await fake_voice.operator_answers(outbound)
    await fake_voice.dial_ends(outbound, "completed", 40)
    assert (await board(client))["tasks"] == []


async def test_the_line_is_asked_only_once_the_claim_and_the_call_back_are_committed(
    fake_voice: FakeVoice,
    app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    communes: None,
) -> None:
    """No transaction is open during Twilio's REST call: another connection already sees the
    call taken (or the call-back recorded) while Twilio is answering."""
    seen: list[tuple[str, list[tuple[str, int | None]]]] = []

    async def look(kind: str) -> None:
        async with app.state.db.transaction() as other:
            rows = await other.execute(
                select(PhoneCall.state, PhoneCall.operator_user_id).order_by(PhoneCall.id)
            )
            seen.append((kind, [(str(state), user) for state, user in rows]))

    anne = await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    call = await fake_voice.place_call(CALLER)
    [call_id] = waiting_ids(await board(client))
    fake_voice.while_requested = look
    assert (await client.post(f"/api/voice/calls/{call_id}/take")).status_code == 200
    await fake_voice.dial_ends(call, "completed", duration=10)
    created = (await client.post("/api/regulation/requests", json=patient(phone=CALLER))).json()
    placed = await client.post("/api/voice/callbacks", json={"request_id": created["id"]})
    assert placed.status_code == 201, placed.text
    assert seen == [
        ("update", [("connected", anne)]),
        ("create", [("ended", anne), ("connected", anne)]),
    ]


async def test_when_twilio_refuses_rappeler_the_call_back_ends_without_an_attempt(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    created = (await client.post("/api/regulation/requests", json=patient(phone=CALLER))).json()
    fake_voice.refusing_creates = True
    refused = await client.post("/api/voice/callbacks", json={"request_id": created["id"]})
    assert refused.status_code == 409, refused.text
    [error] = refused.json()["detail"]
    assert error["loc"] == ["body", "request_id"]
    assert error["msg"] == (
        "Twilio a refusé la demande (erreur 21215) : le rappel n'a pas été lancé, réessayez."
    )
    [logged] = (await client.get("/api/voice/calls")).json()["items"]
    assert logged["state"] == "ended"
    assert logged["duration_seconds"] == 0
    assert (await board(client))["me"]["state"] == "available"
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["callback_attempts"] == []
    [(entity, _, reason)] = await audit_actions(session, "line_refused")
    assert (entity, reason) == ("phone_call", "TwilioRestException")


async def test_the_automatic_offer_skips_an_operator_whose_call_is_being_put_through(
    fake_voice: FakeVoice, voice_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """While Twilio puts Anne's first call through, a second caller arrives (their webhook is
    not held up: no write lock is held meanwhile); Anne is not offered it, it waits."""
    configure(voice_app, voice_auto_offer=True)
    anne = await operator(session, client, "Anne Opératrice", ANNE_PHONE)
    arrivals: list[FakeCall] = []

    async def second_caller(kind: str) -> None:
        if not arrivals:
            arrivals.append(await fake_voice.place_call("+33698765432"))

    fake_voice.while_requested = second_caller
    first = await fake_voice.place_call(CALLER)
    [second] = arrivals
    assert first.dialled is not None
    assert first.dialled.target == ANNE_PHONE
    assert second.dialled is None
    assert [r for r in fake_voice.rest_requests if r[0] == "update"] == [
        fake_voice.rest_requests[0]
    ]
    shown = await board(client)
    assert [c["number_masked"] for c in shown["waiting"]] == ["06 •• •• •• 32"]
    [active] = shown["active"]
    assert active["operator_user_id"] == anne
    assert shown["me"]["state"] == "on_call"
