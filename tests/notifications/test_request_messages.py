"""The front desk sees the SMS sent about a request (to whom, what, delivered or not)."""

from __future__ import annotations

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.models import OutboxMessage
from notifications.service.sources import PatientContact
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days
from tests.factories import logged_in_as
from tests.notifications.conftest import patient


async def test_an_operator_reads_the_sms_of_a_request_with_their_delivery_state(
    client: httpx.AsyncClient, session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[7] = patient()
    slot = await create_slot(session, await create_effector(session), in_days(1, 9))
    await book(session, slot, request_id=7)
    contacts[8] = patient()
    other = await create_slot(session, await create_effector(session), in_days(1, 10))
    await book(session, other, request_id=8)
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.request_id == 7, OutboxMessage.template == "effecteur_rdv")
        .values(status="delivered", delivered_at=utcnow())
    )
    await session.commit()
    await logged_in_as(client, session, Role.OPERATOR)

    response = await client.get("/api/notifications/requests/7/messages")
    assert response.status_code == 200, response.text
    messages = response.json()
    assert {m["request_id"] for m in messages} == {7}
    by_template = {m["template"]: m for m in messages}
    assert by_template["effecteur_rdv"]["status"] == "delivered"
    assert by_template["effecteur_rdv"]["audience"] == "effector"
    assert by_template["patient_rappel"]["audience"] == "patient"
    assert [m["id"] for m in messages] == sorted((m["id"] for m in messages), reverse=True)
    reads = list(
        await session.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "sms"))
    )
    assert sorted(reads) == sorted(str(m["id"]) for m in messages)


async def test_referrers_and_effectors_do_not_read_a_requests_sms(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for role in (Role.REFERRER, Role.EFFECTOR):
        await logged_in_as(client, session, role)
        response = await client.get("/api/notifications/requests/7/messages")
        assert response.status_code == 403
        client.cookies.clear()
    assert (await client.get("/api/notifications/requests/7/messages")).status_code == 401
