"""Twilio's webhooks: delivery reports and inbound SMS, refused (403) unless signed."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.backends import TwilioBackend
from notifications.events import MessageUndeliverable
from notifications.models import Audience, MessageStatus
from notifications.service import dispatcher, outbox
from notifications.service.dispatcher import DispatchOptions
from snp.db import Database, utcnow
from tests.notifications.conftest import PUBLIC_URL, outbox_rows
from tests.notifications.fake_twilio import FakeTwilio

STATUS_URL = f"{PUBLIC_URL}/api/notifications/twilio/status"
INBOUND_URL = f"{PUBLIC_URL}/api/notifications/twilio/inbound"
PATIENT = "+33698765432"


async def sent_message(
    database: Database,
    session: AsyncSession,
    twilio: TwilioBackend,
    options: DispatchOptions,
    *,
    essential: bool = True,
) -> str:
    await outbox.enqueue(
        session,
        key="webhook-test",
        to=PATIENT,
        template="reponse_start",
        audience=Audience.PATIENT,
        essential=essential,
    )
    await session.commit()
    await dispatcher.dispatch_once(database.sessionmaker, twilio, options)
    (row,) = await outbox_rows(session)
    assert row.provider_sid is not None
    return row.provider_sid


async def test_a_delivery_report_marks_the_message_delivered(
    webhook_app: FastAPI,
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    sid = await sent_message(database, session, twilio, options)
    response = await fake_twilio.report(sid, "delivered")
    assert response is not None
    assert response.status_code == 204
    (row,) = await outbox_rows(session)
    assert row.status == MessageStatus.DELIVERED
    assert row.delivered_at is not None
    # A late "sent" report never moves it back.
    await fake_twilio.report(sid, "sent")
    assert (await outbox_rows(session))[0].status == MessageStatus.DELIVERED


@pytest.mark.parametrize(
    ("twilio_status", "code", "ours"),
    [("undelivered", 30003, "undeliverable"), ("failed", 30008, "failed")],
)
async def test_an_undelivered_report_raises_an_alert(
    webhook_app: FastAPI,
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
    published: list[object],
    twilio_status: str,
    code: int,
    ours: str,
) -> None:
    sid = await sent_message(database, session, twilio, options)
    await fake_twilio.report(sid, twilio_status, error_code=code)
    (row,) = await outbox_rows(session)
    assert (row.status, row.error_code) == (ours, str(code))
    (event,) = [e for e in published if isinstance(e, MessageUndeliverable)]
    assert event.message_id == row.id
    assert event.live_message().type == "notification.undeliverable"
    assert PATIENT not in str(event.live_message().payload())


async def test_a_report_that_beats_the_dispatcher_still_lands_and_wins(
    webhook_app: FastAPI,
    database: Database,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    twilio: TwilioBackend,
    options: DispatchOptions,
) -> None:
    await outbox.enqueue(
        session, key="k", to=PATIENT, template="reponse_start", audience=Audience.PATIENT
    )
    await session.commit()
    async with database.sessionmaker() as claiming:
        (claimed,), _ = await dispatcher.claim(claiming, options, utcnow())
        await claiming.commit()
    sid = await twilio.send(claimed.sms())  # Twilio accepted; our record is not written yet
    await fake_twilio.report(sid, "delivered")  # found by `?m=<id>` in the callback URL
    (row,) = await outbox_rows(session)
    assert (row.status, row.provider_sid) == ("delivered", sid)
    # The dispatcher's own record comes too late and changes nothing.
    assert await dispatcher._record(database.sessionmaker, claimed, {"status": "sent"}) is False
    assert (await outbox_rows(session))[0].status == "delivered"


@pytest.mark.parametrize(
    ("url", "signature", "reason"),
    [
        (STATUS_URL, None, "missing signature"),
        (STATUS_URL, "bm90IHRoZSByaWdodCBzaWduYXR1cmU=", "invalid signature"),
        (INBOUND_URL, None, "missing signature"),
        (INBOUND_URL, "bm90IHRoZSByaWdodCBzaWduYXR1cmU=", "invalid signature"),
    ],
)
async def test_unsigned_or_wrongly_signed_webhooks_are_refused_and_logged(
    webhook_app: FastAPI,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    caplog: pytest.LogCaptureFixture,
    url: str,
    signature: str | None,
    reason: str,
) -> None:
    params = {"MessageSid": "SM1", "MessageStatus": "delivered", "From": PATIENT, "Body": "STOP"}
    with caplog.at_level(logging.WARNING, logger="notifications.api"):
        response = await fake_twilio.post_webhook(url, params, signature=signature)
    assert response.status_code == 403
    assert response.json()["detail"][0]["msg"] == "Signature Twilio absente ou invalide."
    path = url.removeprefix(PUBLIC_URL)
    assert f"Twilio webhook {path} refused: {reason}" in caplog.text
    assert "98765432" not in caplog.text
    assert await outbox_rows(session) == []  # nothing done


async def test_a_signature_for_other_parameters_or_another_url_is_refused(
    webhook_app: FastAPI, fake_twilio: FakeTwilio
) -> None:
    params = {"MessageSid": "SM1", "From": PATIENT, "Body": "STOP"}
    signed_for_other_body = fake_twilio.sign(INBOUND_URL, {**params, "Body": "START"})
    response = await fake_twilio.post_webhook(INBOUND_URL, params, signature=signed_for_other_body)
    assert response.status_code == 403
    signed_for_other_url = fake_twilio.sign(f"{STATUS_URL}?m=2", params)
    response = await fake_twilio.post_webhook(
        f"{STATUS_URL}?m=3", params, signature=signed_for_other_url
    )
    assert response.status_code == 403
    signed_with_other_token = fake_twilio.sign(INBOUND_URL, params, token="another-token")
    response = await fake_twilio.post_webhook(
        INBOUND_URL, params, signature=signed_with_other_token
    )
    assert response.status_code == 403


async def test_without_an_auth_token_every_webhook_is_refused(
    app: FastAPI, fake_twilio: FakeTwilio
) -> None:
    response = await fake_twilio.inbound(INBOUND_URL, PATIENT, "STOP")
    assert response.status_code == 403


async def test_a_signed_inbound_sms_is_accepted_with_empty_twiml(
    webhook_app: FastAPI, fake_twilio: FakeTwilio, client: httpx.AsyncClient
) -> None:
    response = await fake_twilio.inbound(INBOUND_URL, PATIENT, "STOP")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text == '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
