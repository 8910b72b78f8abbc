"""The coordinator's demo page, the operators' alerts, the console's simulated replies."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.models import Audience, OutboxMessage
from notifications.service import outbox
from notifications.service.sources import PatientContact
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days
from tests.factories import logged_in_as
from tests.notifications.conftest import outbox_rows, patient


async def test_the_demo_page_lists_the_outbox_newest_first_for_the_coordinator(
    client: httpx.AsyncClient, session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient()
    await book(session, await create_slot(session, await create_effector(session), in_days(1, 9)))
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.get("/api/notifications/messages", params={"limit": 2})
    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    reminder, confirmation = page["items"]
    assert (reminder["template"], reminder["essential"]) == ("patient_rappel", False)
    assert confirmation["recipient_display"] == "06 98 76 54 32"
    assert (confirmation["encoding"], confirmation["segments"]) == ("GSM-7", 1)
    assert confirmation["status"] == "queued"
    rest = await client.get("/api/notifications/messages", params={"offset": 2})
    assert [m["template"] for m in rest.json()["items"]] == ["effecteur_rdv"]
    only = await client.get("/api/notifications/messages", params={"audience": "effector"})
    assert [m["audience"] for m in only.json()["items"]] == ["effector"]
    reads = await session.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "sms"))
    assert len(list(reads)) == 2 + 1 + 1


async def test_the_demo_page_is_the_coordinators_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    response = await client.get("/api/notifications/messages")
    assert response.status_code == 403
    client.cookies.clear()
    assert (await client.get("/api/notifications/messages")).status_code == 401


async def _failed(session: AsyncSession, key: str, *, essential: bool = True) -> int:
    await outbox.enqueue(
        session,
        key=key,
        to="+33698765432",
        template="reponse_start",
        audience=Audience.PATIENT,
        essential=essential,
    )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.idempotency_key == key)
        .values(status="undeliverable", error_code="21614", failed_at=utcnow())
    )
    await session.commit()
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
    assert row is not None
    return row.id


async def test_operators_see_undelivered_essential_sms_and_acknowledge_them(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    alert_id = await _failed(session, "a")
    await _failed(session, "b", essential=False)  # a reminder: no alert
    operator = await logged_in_as(client, session, Role.OPERATOR)
    alerts = (await client.get("/api/notifications/alerts")).json()
    assert alerts["total"] == 1
    (alert,) = alerts["items"]
    assert (alert["id"], alert["status"], alert["reason"]) == (
        alert_id,
        "undeliverable",
        "Ce numéro n'est pas un portable.",
    )
    assert alert["recipient_display"] == "06 98 76 54 32"
    done = await client.post(f"/api/notifications/alerts/{alert_id}/acknowledge")
    assert done.status_code == 200, done.text
    assert done.json()["acknowledged_by"] == operator.email
    assert (await client.get("/api/notifications/alerts")).json()["total"] == 0
    everything = await client.get(
        "/api/notifications/alerts", params={"include_acknowledged": "true"}
    )
    assert everything.json()["total"] == 1
    unknown = await client.post("/api/notifications/alerts/999999/acknowledge")
    assert unknown.status_code == 404
    assert unknown.json()["detail"][0]["msg"] == "Alerte introuvable."


async def test_the_console_simulates_a_reply_for_the_demo(
    client: httpx.AsyncClient, session: AsyncSession, app: FastAPI
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(
        "/api/notifications/console/inbound", json={"sender": "06 98 76 54 32", "body": "STOP"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"keyword": "STOP", "outcome": "opted_out", "duplicate": False}
    (reply,) = await outbox_rows(session)
    assert (reply.recipient, reply.template) == ("+33698765432", "reponse_stop")
    app.state.settings = app.state.settings.model_copy(update={"sms_backend": "twilio"})
    refused = await client.post(
        "/api/notifications/console/inbound", json={"sender": "0698765432", "body": "STOP"}
    )
    assert refused.status_code == 409
