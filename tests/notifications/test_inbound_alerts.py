"""A patient's SMS the platform does not understand is read by a person (issue 13, point 4):
an operator alert, urgent when it holds red-flag words, and an answer telling the patient to
call the 15 in an emergency."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.events import InboundNeedsAttention
from snp import events
from snp.auth.roles import Role
from tests.factories import create_user, login
from tests.notifications.conftest import outbox_rows
from tests.notifications.fake_twilio import FakeTwilio
from tests.notifications.test_webhooks import INBOUND_URL, PATIENT

CHEST = "j'ai encore mal à la poitrine"


@pytest.fixture
def published() -> Iterator[list[object]]:
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)


async def alerts(client: httpx.AsyncClient, session: AsyncSession) -> list[dict[str, object]]:
    if "snp_session" not in client.cookies:
        await login(client, (await create_user(session, Role.OPERATOR)).email)
    response = await client.get("/api/notifications/alerts")
    assert response.status_code == 200, response.text
    inbound: list[dict[str, object]] = response.json()["inbound"]
    return inbound


async def test_a_reply_with_red_flag_words_is_an_urgent_alert_and_is_told_to_call_the_15(
    webhook_app: FastAPI,
    client: httpx.AsyncClient,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    published: list[object],
) -> None:
    await fake_twilio.inbound(INBOUND_URL, PATIENT, CHEST)

    (reply,) = await outbox_rows(session)
    assert (reply.template, reply.recipient) == ("reponse_incomprise", PATIENT)
    assert "En cas d'urgence, appelez le 15" in reply.body
    (alert,) = await alerts(client, session)
    assert (alert["body"], alert["urgent"], alert["red_flag_words"]) == (
        CHEST,
        True,
        "Douleur thoracique",
    )
    assert alert["sender"] == PATIENT
    (event,) = [e for e in published if isinstance(e, InboundNeedsAttention)]
    assert (event.inbound_id, event.urgent) == (alert["id"], True)
    assert event.live_message().payload()["urgent"] is True


async def test_every_urgent_reply_is_answered_while_the_help_message_goes_once_a_day(
    webhook_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "Je serai en retard")
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "Vous m'entendez ?")
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "il fait un AVC")
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "Ma fille CONVULSE")

    assert [m.template for m in await outbox_rows(session)] == ["reponse_incomprise"] * 3
    listed = await alerts(client, session)
    # Urgent first (newest first), then the others: every one shown to the operators.
    assert [(a["body"], a["red_flag_words"]) for a in listed] == [
        ("Ma fille CONVULSE", "Perte de connaissance, convulsions"),
        ("il fait un AVC", "Signes d'AVC"),
        ("Vous m'entendez ?", None),
        ("Je serai en retard", None),
    ]


async def test_an_operator_acknowledges_an_alert_once_handled(
    webhook_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    await fake_twilio.inbound(INBOUND_URL, PATIENT, CHEST)
    (alert,) = await alerts(client, session)

    done = await client.post(f"/api/notifications/inbound-alerts/{alert['id']}/acknowledge")

    assert done.status_code == 200, done.text
    assert done.json()["acknowledged_by"] is not None
    assert await alerts(client, session) == []
    history = await client.get("/api/notifications/alerts", params={"include_acknowledged": True})
    assert [a["id"] for a in history.json()["inbound"]] == [alert["id"]]
    missing = await client.post("/api/notifications/inbound-alerts/999999/acknowledge")
    assert missing.status_code == 404


async def test_understood_replies_raise_no_alert(
    webhook_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "STOP")
    assert await alerts(client, session) == []


async def test_referrers_and_effectors_do_not_read_the_alerts(
    webhook_app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await login(client, (await create_user(session, Role.EFFECTOR)).email)
    assert (await client.get("/api/notifications/alerts")).status_code == 403
