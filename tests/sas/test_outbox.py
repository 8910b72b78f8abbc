"""INT_R03: every appointment booked by a SAS regulator, and every later change, reaches the
platform (fake, real HTTP) through the durable outbox: nothing lost while it is down, nothing
sent twice, order kept per appointment."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from fhir.resources.R4B.appointment import Appointment
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda.models import Effector
from agenda.service.outcomes import record_outcome
from regulation.service.booking import confirm_booking, hold_slot
from regulation.service.intake import list_requests
from regulation.service.queue import claim_request
from regulation.service.triage import triage_request
from sas import client as sas_client
from sas import fhir, terms
from sas.models import OutboxStatus, SasOutbox
from snp import territory
from snp.actor import Actor
from snp.auth.roles import Role
from snp.db import Database, utcnow
from snp.identifiers import rpps_with_check_digit
from snp.settings import Settings
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days
from tests.factories import PASSWORD, create_user, login
from tests.regulation.safety_helpers import calm_answers
from tests.sas.fake_platform import FakeSasPlatform, PlatformDriver
from tests.sas.test_practitioners import practitioner

REGULATOR_RPPS = rpps_with_check_digit("1000290937")
LATER = timedelta(days=1)  # dispatching "tomorrow": every backoff has run out


@dataclass
class Booked:
    appointment_id: str
    effector: Effector
    slot_id: int


async def regulator_logged_in(
    session: AsyncSession, driver: PlatformDriver, client: httpx.AsyncClient
) -> None:
    """A regulator account pushed by the platform (INT_R02), password set by the reset flow."""
    from snp.auth import service
    from snp.auth.models import User

    await territory.upsert_communes(
        session, [territory.CommuneData("35236", "Redon", "35600", 47.6514, -2.0843)]
    )
    await session.commit()
    created = await driver.create_practitioner(practitioner(national="8" + REGULATOR_RPPS))
    assert created.status_code == 201
    user = await session.scalar(select(User).where(User.email == "dr.regul@sas.example.fr"))
    assert user is not None
    await service.set_password(session, Actor.system("tests"), user, PASSWORD)
    await session.commit()
    await login(client, user.email)
    accepted = await client.post("/api/sas/terms/accept", json={"version": terms.VERSION})
    assert accepted.status_code == 204, accepted.text


def patient() -> dict[str, Any]:
    return {
        "family_name": "Durand",
        "given_name": "Paul",
        "birth_date": "1970-05-04",
        "sex": "male",
        "phone": "06 12 34 56 78",
        "commune_insee": "35236",
    }


async def book_as_regulator(
    session: AsyncSession, client: httpx.AsyncClient, effector: Effector | None = None
) -> Booked:
    effector = effector or await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 10))
    response = await client.post(
        f"/api/sas/effectors/{effector.id}/bookings",
        json={"slot_id": slot.id, "kind": "AMB", "patient": patient()},
    )
    assert response.status_code == 201, response.text
    return Booked(response.json()["appointment_id"], effector, slot.id)


async def dispatch(app: FastAPI, *, later: bool = False) -> sas_client.DispatchReport:
    settings: Settings = app.state.settings
    database: Database = app.state.db
    async with sas_client.http_client(settings) as http:
        return await sas_client.dispatch_once(
            database.sessionmaker, http, settings, now=utcnow() + (LATER if later else timedelta())
        )


async def rows(session: AsyncSession) -> list[SasOutbox]:
    session.expire_all()
    return list(await session.scalars(select(SasOutbox).order_by(SasOutbox.id)))


async def test_a_sas_booking_is_posted_with_the_regulator_and_the_effector(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    report = await dispatch(app)
    assert report.sent == 1
    (push,) = sas_platform.received
    assert push.method == "POST"
    resource = push.resource
    Appointment.model_validate(resource)
    assert resource["meta"]["profile"] == [fhir.APPOINTMENT_PROFILE]
    assert resource["identifier"][0]["value"] == booked.appointment_id
    assert resource["status"] == "booked"
    assert resource["start"].endswith(("+01:00", "+02:00"))
    assert resource["created"]
    (participant,) = resource["participant"]
    assert participant["status"] == "accepted"
    assert participant["actor"]["identifier"]["system"] == fhir.IDNPS_SYSTEM
    assert participant["actor"]["identifier"]["value"] == "8" + booked.effector.national_id
    (operator,) = resource["extension"]
    assert operator["url"] == fhir.OPERATOR_EXTENSION
    assert operator["valueReference"]["identifier"]["value"] == "8" + REGULATOR_RPPS
    assert operator["valueReference"]["identifier"]["type"]["coding"][0]["code"] == "IDNPS"
    assert "Durand" not in str(resource)  # no patient identity goes to the platform
    assert (await rows(session))[0].status == OutboxStatus.SENT


async def test_other_bookings_are_not_pushed(
    app: FastAPI, session: AsyncSession, sas_platform: FakeSasPlatform
) -> None:
    effector = await create_effector(session)
    await book(session, await create_slot(session, effector, in_days(1, 9)))
    assert await rows(session) == []
    assert (await dispatch(app)).claimed == 0


async def test_later_changes_are_conditional_puts_in_order(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    start = in_days(1, 10)
    actor = Actor.system("tests")
    await record_outcome(
        session, actor, booked.appointment_id, "noshow", now=start + timedelta(minutes=30)
    )
    await session.commit()
    await record_outcome(
        session, actor, booked.appointment_id, "fulfilled", now=start + timedelta(minutes=40)
    )
    await session.commit()
    # One dispatch round sends only the first row of an appointment; the next ones follow.
    assert (await dispatch(app)).sent == 1
    assert (await dispatch(app)).sent == 1
    assert (await dispatch(app)).sent == 1
    assert [p.method for p in sas_platform.received] == ["POST", "PUT", "PUT"]
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "noshow", "fulfilled"]
    system = sas_platform.received[0].resource["identifier"][0]["system"]
    assert sas_platform.received[1].identifier == f"{system}|{booked.appointment_id}"
    assert sas_platform.creations == 1


async def test_cancellation_is_pushed(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    await agenda.cancel(session, booked.appointment_id, by="patient", reason="Empêchement")
    await session.commit()
    async with sas_client.http_client(app.state.settings) as http:
        await sas_client.dispatch_until_idle(app.state.db.sessionmaker, http, app.state.settings)
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "cancelled"]


async def test_nothing_lost_while_the_platform_is_down(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    await agenda.cancel(session, booked.appointment_id, by="patient", reason="Empêchement")
    await session.commit()
    sas_platform.fail_next(3)
    first = await dispatch(app)
    assert (first.claimed, first.retried) == (1, 1)
    # Not due again before its backoff: nothing is claimed now.
    assert (await dispatch(app)).claimed == 0
    (waiting, blocked) = await rows(session)
    assert waiting.status == OutboxStatus.PENDING
    assert waiting.attempts == 1
    assert waiting.next_attempt_at > utcnow()
    assert waiting.last_error == "HTTP 503"
    assert blocked.status == OutboxStatus.PENDING  # waits behind the first
    assert (await dispatch(app, later=True)).retried == 1
    assert (await dispatch(app, later=True)).retried == 1
    assert (await dispatch(app, later=True)).sent == 1  # back up
    assert (await dispatch(app, later=True)).sent == 1
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "cancelled"]
    assert sas_platform.creations == 1
    assert [r.status for r in await rows(session)] == [OutboxStatus.SENT, OutboxStatus.SENT]


async def test_a_post_with_unknown_outcome_is_retried_as_the_idempotent_put(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    sas_platform.hang_next(1)  # the platform records it but we never get the answer
    report = await dispatch(app)
    assert report.retried == 1
    (row,) = await rows(session)
    assert row.uncertain is True
    assert (await dispatch(app, later=True)).sent == 1
    assert [p.method for p in sas_platform.received] == ["POST", "PUT"]
    assert sas_platform.creations == 1  # one platform appointment, not two
    assert list(sas_platform.appointments) == [booked.appointment_id]


async def test_two_dispatchers_never_send_the_same_row(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    await regulator_logged_in(session, driver, client)
    await book_as_regulator(session, client)
    database: Database = app.state.db
    async with database.sessionmaker() as first, first.begin():
        claimed = await sas_client.claim(first, utcnow(), 10)
    async with database.sessionmaker() as second, second.begin():
        again = await sas_client.claim(second, utcnow(), 10)
    assert len(claimed) == 1
    assert again == []
    # The first dispatcher died: once its lease runs out the row is taken over, as uncertain.
    async with database.sessionmaker() as third, third.begin():
        taken = await sas_client.claim(third, utcnow() + timedelta(minutes=5), 10)
    assert len(taken) == 1
    assert taken[0][4] is True


async def test_refused_pushes_are_kept_shown_and_replayed_without_loss_or_duplicate(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    """The platform refuses with 403, 404 then 422 (certificate, URL, data) for a while: each
    refused push is kept with its answer, later changes of the appointment wait behind it,
    and once the platform accepts, replaying delivers everything once, in order."""
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    await agenda.cancel(session, booked.appointment_id, by="patient", reason="Empêchement")
    await session.commit()
    await login(client, (await create_user(session, Role.COORDINATOR)).email)
    for refusal in (403, 404, 422):
        sas_platform.refuse_next([refusal])
        assert (await dispatch(app, later=True)).rejected == 1
        assert (await dispatch(app, later=True)).claimed == 0  # the PUT waits behind the POST
        (refused, waiting) = await rows(session)
        assert refused.status == OutboxStatus.REJECTED
        assert refused.last_response is not None
        assert refused.last_response.startswith(f"HTTP {refusal}")
        assert waiting.status == OutboxStatus.PENDING
        status = (await client.get("/api/sas/link")).json()
        assert [r["appointment"] for r in status["refused"]] == [booked.appointment_id]
        assert status["queue_length"] == 1
        replayed = await client.post(f"/api/sas/link/refused/{refused.id}/replay")
        assert replayed.json() == {"replayed": 1}
    async with sas_client.http_client(app.state.settings) as http:
        await sas_client.dispatch_until_idle(app.state.db.sessionmaker, http, app.state.settings)
    assert [r.status for r in await rows(session)] == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert sas_platform.creations == 1
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "cancelled"]
    status = (await client.get("/api/sas/link")).json()
    assert status["refused"] == []
    assert status["queue_length"] == 0
    assert status["last_success_at"] is not None


async def test_a_refused_booking_leaves_nothing_behind(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
) -> None:
    await regulator_logged_in(session, driver, client)
    effector = await create_effector(session)
    other = await create_effector(session)
    slot = await create_slot(session, other, in_days(1, 10))
    other_rpps, slot_id = other.national_id, slot.id
    response = await client.post(
        f"/api/sas/effectors/{effector.id}/bookings",
        json={"slot_id": slot_id, "kind": "AMB", "patient": patient()},
    )
    assert response.status_code == 422
    assert await rows(session) == []
    found = await agenda.sas_free_slots(session, [other_rpps], utcnow(), in_days(3))
    assert [s.id for s in found.slots] == [slot_id]  # still free


async def test_a_sas_booking_joins_our_log_and_notifications(
    session: AsyncSession, driver: PlatformDriver, client: httpx.AsyncClient
) -> None:
    from notifications.models import OutboxMessage
    from regulation.models import RegulationRequest

    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    request = await session.scalar(select(RegulationRequest))
    assert request is not None
    assert (request.origin, request.status, request.outcome) == ("sas", "closed", "slot_booked")
    appointment = await agenda.sas_appointment_facts(session, booked.appointment_id)
    assert appointment.origin == "sas"
    audiences = set(await session.scalars(select(OutboxMessage.audience)))
    assert "effector" in audiences


async def test_a_removed_slot_then_rebooked_is_a_reschedule_of_the_same_platform_appointment(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:
    from agenda.service.slots import delete_slot
    from snp.auth.roles import Role
    from tests.factories import create_user

    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    coordinator = Actor.system("tests")
    await delete_slot(session, coordinator, booked.slot_id, "Imprévu")
    await session.commit()
    # An operator finds the patient another slot of the same effector.
    operator_user = await create_user(session, Role.OPERATOR)
    operator = Actor(operator_user.id, operator_user.email, Role.OPERATOR, None)
    other_slot = await create_slot(session, booked.effector, in_days(2, 15))
    request = (await list_requests(session, operator)).items[0]
    await claim_request(session, operator, request.id)
    # Back to triage (its slot was removed): the red flags are asked again before rebooking.
    await triage_request(session, operator, request.id, calm_answers(), motif="fever")
    await hold_slot(session, operator, request.id, other_slot.id, kind="AMB")
    rebooked = await confirm_booking(session, operator, request.id, other_slot.id)
    await session.commit()
    assert rebooked.appointment.id != booked.appointment_id
    async with sas_client.http_client(app.state.settings) as http:
        await sas_client.dispatch_until_idle(app.state.db.sessionmaker, http, app.state.settings)
    # Cancelled at once (the time no longer exists), then the same appointment rebooked.
    assert [p.method for p in sas_platform.received] == ["POST", "PUT", "PUT"]
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "cancelled", "booked"]
    assert sas_platform.creations == 1
    moved = sas_platform.appointments[booked.appointment_id]
    assert moved["status"] == "booked"
    assert moved["start"] == in_days(2, 15).isoformat(timespec="seconds")
    operator_id = moved["extension"][0]["valueReference"]["identifier"]["value"]
    assert operator_id == "8" + REGULATOR_RPPS  # still the regulator who booked


async def test_a_cancelled_sas_appointment_rebooked_by_an_operator_keeps_identifier_and_regulator(
    app: FastAPI,
    session: AsyncSession,
    driver: PlatformDriver,
    client: httpx.AsyncClient,
    sas_platform: FakeSasPlatform,
) -> None:

    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    await agenda.cancel(session, booked.appointment_id, by="effector", reason="Imprévu")
    await session.commit()
    operator_user = await create_user(session, Role.OPERATOR)
    operator = Actor(operator_user.id, operator_user.email, Role.OPERATOR, None)
    other_slot = await create_slot(session, booked.effector, in_days(3, 11))
    request = (await list_requests(session, operator)).items[0]
    await claim_request(session, operator, request.id)
    # Back to triage (its appointment was cancelled): the red flags are asked again first.
    await triage_request(session, operator, request.id, calm_answers(), motif="fever")
    await hold_slot(session, operator, request.id, other_slot.id, kind="AMB")
    rebooked = await confirm_booking(session, operator, request.id, other_slot.id)
    await session.commit()
    assert rebooked.appointment.id != booked.appointment_id
    async with sas_client.http_client(app.state.settings) as http:
        await sas_client.dispatch_until_idle(app.state.db.sessionmaker, http, app.state.settings)
    assert [p.method for p in sas_platform.received] == ["POST", "PUT", "PUT"]  # never a new POST
    assert sas_platform.creations == 1
    assert sas_platform.statuses(booked.appointment_id) == ["booked", "cancelled", "booked"]
    final = sas_platform.appointments[booked.appointment_id]
    assert final["start"] == in_days(3, 11).isoformat(timespec="seconds")
    (operator_extension,) = final["extension"]
    assert operator_extension["url"] == fhir.OPERATOR_EXTENSION
    assert operator_extension["valueReference"]["identifier"]["value"] == "8" + REGULATOR_RPPS


async def test_identifier_system_is_a_url_without_a_public_base_url(
    session: AsyncSession, driver: PlatformDriver, client: httpx.AsyncClient, app: FastAPI
) -> None:
    from sas import outbox

    settings = app.state.settings.model_copy(update={"public_base_url": ""})
    system = outbox.appointment_system(settings)
    assert system.startswith("https://")
    assert system.endswith("/fhir/sid/rendez-vous")
    configured = settings.model_copy(update={"sas_appointment_system": "urn:oid:1.2.3.4.5"})
    assert outbox.appointment_system(configured) == "urn:oid:1.2.3.4.5"
    await regulator_logged_in(session, driver, client)
    booked = await book_as_regulator(session, client)
    await agenda.cancel(session, booked.appointment_id, by="patient", reason="Empêchement")
    await session.commit()
    post, put = await rows(session)
    first = json.loads(post.payload)["identifier"][0]
    assert first["system"].startswith(("https://", "http://", "urn:oid:"))
    assert first["value"] == booked.appointment_id
    assert json.loads(put.payload)["identifier"][0] == first  # stored: every PUT the same
