"""The booked-appointments feed: a secret, revocable calendar URL with minimal patient data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import icalendar
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, Effector
from agenda.service import booking
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from snp.kit import PARIS
from tests.agenda.slot_factories import (
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.factories import logged_in_as, login


@pytest.fixture
async def outsider(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A calendar app: no login, no cookie, only the URL."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def booked_effector(session: AsyncSession) -> tuple[str, Effector]:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    slot = await create_slot(session, effector, in_days(2, 14))
    await book(session, slot, patient_label="M. D., 54 ans")
    cancelled = await create_slot(session, effector, in_days(3, 9))
    appointment = await book(session, cancelled, patient_label="Mme X., 30 ans", request_id=2)
    await booking.cancel(session, appointment.id, by="patient", reason="Empêchement")
    await session.commit()
    return user.email, effector


async def test_the_feed_round_trips_with_paris_times_and_minimal_patient_information(
    client: httpx.AsyncClient, session: AsyncSession, outsider: httpx.AsyncClient
) -> None:
    email, effector = await booked_effector(session)
    await login(client, email)
    created = await client.post("/api/agenda/ics/feed-token")
    assert created.status_code == 200, created.text
    url = created.json()["url"]
    assert url == f"http://testserver{created.json()['path']}"
    assert url.startswith("http://testserver/api/agenda/ics/feed/")

    response = await outsider.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    parsed = icalendar.Calendar.from_ical(response.content)
    [timezone] = parsed.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/Paris"
    [event] = parsed.walk("VEVENT")  # the cancelled appointment is not in the feed
    start = event.decoded("DTSTART")
    assert start == in_days(2, 14)
    assert start.astimezone(PARIS).strftime("%H:%M") == "14:00"
    assert event.decoded("DTEND") == in_days(2, 14, 20)
    assert str(event["SUMMARY"]) == "SNP : M. D., 54 ans (au cabinet)"
    assert str(event["LOCATION"]) == "Cabinet 1, 1 rue du Port, 35600 Redon"
    assert "+33" not in response.text  # no phone number

    profile = (await client.get("/api/agenda/me")).json()
    assert profile["ics"]["feed_path"] == created.json()["path"]
    reads = await session.scalars(select(AuditEntry).where(AuditEntry.entity == "ics_feed"))
    assert [(r.action, r.entity_id) for r in reads] == [("read", str(effector.id))]


async def test_past_appointments_stay_in_the_feed_with_their_outcome(
    client: httpx.AsyncClient, session: AsyncSession, outsider: httpx.AsyncClient
) -> None:
    email, effector = await booked_effector(session)
    seen = await book(session, await create_slot(session, effector, in_days(1, 9)), request_id=3)
    missed = await book(session, await create_slot(session, effector, in_days(1, 10)), request_id=4)
    yesterday = utcnow() - timedelta(days=1)
    for appointment, status, after_care, hours in (
        (seen, "fulfilled", "emergency", 0),
        (missed, "noshow", None, 1),
    ):
        await session.execute(
            update(Appointment)
            .where(Appointment.id == appointment.id)
            .values(
                status=status,
                after_care=after_care,
                start_at=yesterday + timedelta(hours=hours),
                end_at=yesterday + timedelta(hours=hours, minutes=20),
            )
        )
    await session.commit()
    await login(client, email)
    url = (await client.post("/api/agenda/ics/feed-token")).json()["url"]

    parsed = icalendar.Calendar.from_ical((await outsider.get(url)).content)

    summaries = [str(e["SUMMARY"]) for e in parsed.walk("VEVENT")]
    assert summaries == [
        "SNP : M. D., 54 ans (au cabinet) – vu, adressé aux urgences",
        "SNP : M. D., 54 ans (au cabinet) – absent",
        "SNP : M. D., 54 ans (au cabinet)",  # still to come; the cancelled one is not there
    ]


async def test_regenerating_or_revoking_the_token_kills_the_old_url(
    client: httpx.AsyncClient, session: AsyncSession, outsider: httpx.AsyncClient
) -> None:
    email, _ = await booked_effector(session)
    await login(client, email)
    old = (await client.post("/api/agenda/ics/feed-token")).json()["url"]
    new = (await client.post("/api/agenda/ics/feed-token")).json()["url"]
    assert new != old
    gone = await outsider.get(old)
    assert gone.status_code == 404
    assert gone.json()["detail"][0]["msg"] == (
        "Calendrier introuvable : ce lien a été révoqué ou n'existe pas."
    )
    assert (await outsider.get(new)).status_code == 200
    assert (await client.delete("/api/agenda/ics/feed-token")).status_code == 204
    assert (await outsider.get(new)).status_code == 404
    assert (await outsider.get("/api/agenda/ics/feed/not-a-token.ics")).status_code == 404


async def test_only_the_effector_or_the_coordination_manages_the_feed(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    other = await create_effector(session)
    user, _ = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)
    refused = await client.post("/api/agenda/ics/feed-token", json={"effector_id": other.id})
    assert refused.status_code == 403

    await logged_in_as(client, session, Role.COORDINATOR)
    allowed = await client.post("/api/agenda/ics/feed-token", json={"effector_id": other.id})
    assert allowed.status_code == 200
    assert (await client.post("/api/agenda/ics/feed-token")).status_code == 422

    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.post("/api/agenda/ics/feed-token")).status_code == 403
