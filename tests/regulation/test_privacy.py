"""One test patient, followed everywhere: never in a log (even at DEBUG), and nowhere in the
database once the retention jobs have run, whatever table or text column."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import String, Text, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import JSON

from composition.app import METADATA, create_app
from notifications.models import InboundMessage, OutboxMessage
from notifications.service import retention as sms_retention
from regulation.models import RegulationRequest
from regulation.service import retention
from snp.auth.roles import Role
from snp.db import Database, utcnow
from tests.agenda.slot_factories import create_effector, create_slot
from tests.conftest import empty_database, test_settings
from tests.factories import create_user, login
from tests.regulation.test_booking_journey import ANSWERS

FAMILY, GIVEN = "Zorglubienne", "Qwertimonde"
PHONE, PHONE_E164 = "06 98 76 54 32", "+33698765432"
NOTE = "Douleur-thoracique-note-privee"
ADDRESS = "12 impasse Secrète"
STRUCTURE = "Pharmacie Zorglub"
REFERRER_PHONE, REFERRER_E164 = "07 81 22 33 44", "+33781223344"
TRACES = [FAMILY, GIVEN, PHONE_E164, "698765432", NOTE, "Secrète", STRUCTURE, "781223344"]


def intake_body() -> dict[str, Any]:
    return {
        "family_name": FAMILY,
        "given_name": GIVEN,
        "birth_date": "1986-03-14",
        "sex": "female",
        "phone": PHONE,
        "address_line": ADDRESS,
        "latitude": 47.65,
        "longitude": -2.08,
        "notes": NOTE,
        "origin": "pharmacist",
        "referrer_structure": STRUCTURE,
        "referrer_phone": REFERRER_PHONE,
        "motif": "fever",
        "answers": ANSWERS,  # triaged at once, as a call taken to the end
    }


async def follow_one_patient(client: httpx.AsyncClient, session: AsyncSession) -> int:
    """Intake, booking (from her request) and cancellation (reason naming her) of the test
    patient; returns the request's id."""
    effector = await create_effector(session)
    slot = await create_slot(session, effector, utcnow().replace(microsecond=0) + timedelta(days=1))
    await create_user(session, Role.OPERATOR, email="op@example.fr")
    await login(client, "op@example.fr")
    created = await client.post("/api/regulation/requests", json=intake_body())
    assert created.status_code == 201, created.text
    request_id = int(created.json()["id"])
    assert (await client.get(f"/api/regulation/requests/{request_id}")).status_code == 200
    path = f"/api/regulation/requests/{request_id}"
    held = await client.post(f"{path}/hold", json={"slot_id": slot.id})
    assert held.status_code == 200, held.text
    booked = await client.post(f"{path}/confirm", json={"slot_id": slot.id})
    assert booked.status_code == 201, booked.text
    cancelled = await client.post(
        f"/api/agenda/appointments/{booked.json()['appointment']['id']}/cancel",
        json={"reason": f"Mme {FAMILY} hospitalisée pour AVC"},
    )
    assert cancelled.status_code == 200, cancelled.text
    return request_id


@pytest.fixture
async def debug_app(db_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(test_settings(db_url, log_level="DEBUG"), start_scheduler=False)
    await empty_database(application.state.db)
    yield application
    await application.state.db.dispose()
    logging.getLogger().setLevel(logging.WARNING)


async def test_no_log_level_writes_patient_data(
    debug_app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    database: Database = debug_app.state.db
    transport = httpx.ASGITransport(app=debug_app)
    caplog.set_level(logging.DEBUG)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        database.sessionmaker() as session,
    ):
        await follow_one_patient(client, session)
    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert len(caplog.records) > 0  # DEBUG was on: the app did log
    found = [trace for trace in TRACES if trace.lower() in logged.lower()]
    assert found == []


def text_columns() -> list[tuple[str, list[str]]]:
    tables = []
    for table in METADATA.sorted_tables:
        columns = [c.name for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if columns:
            tables.append((table.name, columns))
    return tables


async def traces_left(
    session: AsyncSession, traces: list[str] = TRACES
) -> list[tuple[str, str, str]]:
    """Every (table, column, value) where one of `traces` is still found, in any text column
    of any table (the retention scan; the patients' rights tests reuse it after an erasure)."""
    found = []
    for name, columns in text_columns():
        table = METADATA.tables[name]
        for row in (await session.execute(select(*[table.c[c] for c in columns]))).all():
            for column, value in zip(columns, row, strict=True):
                text = str(value).lower() if value is not None else ""
                found += [(name, column, t) for t in traces if t.lower() in text]
    return found


async def test_after_retention_no_table_holds_the_patient_anywhere(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    request_id = await follow_one_patient(client, session)
    # Her SMS reply (clinical text) and an auto-reply tied to no request.
    session.add(
        InboundMessage(
            provider_sid="SM-privacy-1",
            sender=PHONE_E164,
            body=f"{FAMILY} : {NOTE}",
            received_at=utcnow() - timedelta(days=800),
        )
    )
    session.add(
        OutboxMessage(
            idempotency_key=f"auto-reply:{PHONE_E164}",
            recipient=PHONE_E164,
            audience="patient",
            template="auto_reply",
            body=f"Bonjour {GIVEN}, votre message est bien reçu.",
            status="sent",
            next_attempt_at=utcnow() - timedelta(days=800),
            created_at=utcnow() - timedelta(days=800),
        )
    )
    # Her request was never closed (abandoned 800 days ago).
    await session.execute(
        update(RegulationRequest)
        .where(RegulationRequest.id == request_id)
        .values(received_at=utcnow() - timedelta(days=800))
    )
    # The SMS about her booking (effector, referrer) went out then.
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.request_id == request_id)
        .values(status="sent", created_at=utcnow() - timedelta(days=800))
    )
    await session.commit()
    assert await traces_left(session)  # she is everywhere before the jobs run

    assert await retention.close_abandoned(session, after_days=30) == 1
    assert await retention.pseudonymise_expired(session, retention_months=12) == 1
    await sms_retention.pseudonymise_unlinked(session, before=utcnow() - timedelta(days=365))
    await session.commit()

    assert await traces_left(session) == []
    closed = await session.get(RegulationRequest, request_id)
    assert closed is not None
    assert (closed.status, closed.outcome) == ("closed", "no_slot_found")  # back to rebook
    assert closed.pseudonymised_at is not None
