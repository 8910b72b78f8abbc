"""Inbound calls through the fake Twilio Voice: what the caller hears, the queue, missed callers
becoming callback tasks, and signed webhooks only."""

from __future__ import annotations

from datetime import time

import httpx
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from tests.telephony.conftest import board, configure, operator
from tests.telephony.fake_voice import FakeVoice

CALLER = "+33612345678"


async def test_a_call_hears_the_15_first_then_waits_in_the_queue_shown_masked_on_the_board(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", "+33611111111")
    call = await fake_voice.place_call(CALLER)
    assert call.status == "queued"
    assert call.queue == "cpts"
    greeting = call.said[0]
    assert greeting.index("composez le 15") < greeting.index("un opérateur va vous répondre")
    assert "Vous êtes en position 1" in call.said[1]
    shown = await board(client)
    waiting = shown["waiting"]
    assert isinstance(waiting, list)
    assert len(waiting) == 1
    assert waiting[0]["number_masked"] == "06 •• •• •• 78"
    assert waiting[0]["position"] == 1
    assert CALLER not in str(shown)


async def test_out_of_hours_the_line_gives_116_117_and_15_hangs_up_and_a_task_is_opened(
    fake_voice: FakeVoice, voice_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    configure(
        voice_app,
        voice_open_days=[1, 2, 3, 4, 5],
        voice_opens_at=time(0, 0),
        voice_closes_at=time(0, 0, 1),
    )
    await operator(session, client, "Anne Opératrice", "+33611111111")
    call = await fake_voice.place_call(CALLER)
    assert call.status == "completed"
    assert "116 117" in call.speech
    assert "composez le 15" in call.speech
    assert "du lundi au vendredi, de 0 heures à 0 heures" in call.speech
    tasks = (await board(client))["tasks"]
    assert isinstance(tasks, list)
    assert [(t["reason"], t["calls"]) for t in tasks] == [("out_of_hours", 1)]


async def test_nobody_on_duty_the_caller_is_told_they_will_be_called_back(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", "+33611111111")
    assert (await client.put("/api/voice/presence", json={"state": "away"})).is_success
    call = await fake_voice.place_call(CALLER)
    assert call.status == "completed"
    assert "Nous vous rappellerons" in call.speech
    tasks = (await board(client))["tasks"]
    assert isinstance(tasks, list)
    assert [t["reason"] for t in tasks] == ["no_operator"]


async def test_a_caller_hanging_up_while_waiting_becomes_one_task_grouped_with_their_next_call(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", "+33611111111")
    first = await fake_voice.place_call(CALLER)
    await fake_voice.caller_hangs_up(first)
    second = await fake_voice.place_call(CALLER)
    await fake_voice.caller_hangs_up(second)
    shown = await board(client)
    assert shown["waiting"] == []
    tasks = shown["tasks"]
    assert isinstance(tasks, list)
    assert len(tasks) == 1
    assert tasks[0]["reason"] == "abandoned"
    assert tasks[0]["calls"] == 2
    assert tasks[0]["number_masked"] == "06 •• •• •• 78"
    log = (await client.get("/api/voice/calls")).json()
    assert [c["outcome"] for c in log["items"]] == ["abandoned", "abandoned"]
    assert all(c["wait_seconds"] is not None and c["ended_at"] for c in log["items"])


async def test_unsigned_or_badly_signed_webhooks_are_refused_and_record_nothing(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", "+33611111111")
    unsigned = await fake_voice.place_call(CALLER, signature=None)
    forged = await fake_voice.place_call(CALLER, signature="bm90IGEgc2lnbmF0dXJl")
    assert unsigned.status == "refused-403"
    assert forged.status == "refused-403"
    assert (await client.get("/api/voice/calls")).json()["total"] == 0


async def test_the_board_names_who_the_caller_probably_is(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, communes: None
) -> None:
    from tests.regulation.conftest import patient

    await operator(session, client, "Anne Opératrice", "+33611111111")
    created = await client.post("/api/regulation/requests", json=patient(phone=CALLER))
    assert created.status_code == 201, created.text
    await fake_voice.place_call(CALLER)
    hints = (await board(client))["waiting"][0]["hints"]
    assert hints["previous_requests"] == 1
    assert hints["open_request_id"] == created.json()["id"]


async def test_the_inbound_webhook_reads_first_and_writes_only_the_call(
    fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession, voice_app: FastAPI
) -> None:
    """On SQLite one transaction writes at a time: the webhook holds that lock for its INSERT
    and its COMMIT only, every read done before (the webhook answer's tail came from there)."""
    await operator(session, client, "Anne Opératrice", "+33611111111")
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]).lstrip().split()[0].upper())

    engine = voice_app.state.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        call = await fake_voice.post(
            fake_voice.voice_url,
            {"CallSid": "CA" + "7" * 32, "From": CALLER, "To": fake_voice.number},
        )
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert call.status_code == 200
    assert "<Enqueue" in call.text
    writes = [n for n, kind in enumerate(statements) if kind in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) == 1, statements
    assert writes[0] == len(statements) - 1, f"a read after the write: {statements}"
