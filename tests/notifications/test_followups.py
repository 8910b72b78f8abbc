"""After the booking: the referrer told the outcome, the patient asked for a satisfaction score,
and (when enabled) the effector's morning digest of the day's SNP patients."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentOutcomeRecorded
from notifications import (
    backends,
    jobs,  # noqa: F401 (registers the jobs)
)
from notifications.events import MessageUndeliverable, SatisfactionRecorded
from notifications.models import Audience, OptOut, Survey
from notifications.service import digest, dispatcher, inbound, outbox, survey
from notifications.service.dispatcher import DispatchOptions
from notifications.service.outbox import About
from notifications.service.sources import PatientContact
from notifications.service.timing import paris_time
from snp import events, scheduler
from snp.auth.roles import Role
from snp.db import Database, utcnow
from snp.kit import PARIS
from snp.settings import Settings
from tests.agenda.slot_factories import book, create_effector, create_slot
from tests.notifications.conftest import outbox_rows, patient
from tests.notifications.test_escalation import later_today, phone_of, reply
from tests.regulation.builders import REDON, effector, north_of
from tests.regulation.conftest import client_for, communes, referral, staff  # noqa: F401
from tests.regulation.safety_helpers import mark_triaged
from tests.regulation.test_booking_journey import url
from tests.regulation.test_escalation import urgent_request

REFERRER = "+33611223344"


# -- the referrer's outcome ------------------------------------------------------------------


@pytest.mark.usefixtures("communes")
async def test_the_referrer_gets_the_outcome_of_their_referral_without_clinical_detail(
    app: Any, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    sent = await client.post(
        "/api/regulation/referrals",
        json=referral(referrer_phone="06 11 22 33 44", notes="brûlures urinaires depuis 2 jours"),
    )
    assert sent.status_code == 201, sent.text
    request_id = sent.json()["id"]
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR, name="Anne Opératrice")
        claimed = await operator.post(url(request_id, "claim"))
        assert claimed.status_code == 200, claimed.text
        await mark_triaged(session, request_id, status="claimed")
        closed = await operator.post(url(request_id, "close"), json={"outcome": "medical_advice"})
        assert closed.status_code == 200, closed.text
    (told,) = [m for m in await outbox_rows(session) if m.audience == "referrer"]
    assert told.recipient == REFERRER
    assert told.body == (
        f"SNP : votre patient Y. L. (demande {request_id}) : conseil médical donné par "
        "téléphone. Merci de votre orientation."
    )
    assert "Goff" not in told.body
    assert "urinaires" not in told.body
    assert told.essential is False
    assert told.request_id == request_id


@pytest.mark.usefixtures("communes")
async def test_a_referral_booked_through_a_broadcast_tells_the_referrer_the_appointment(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    winner = await effector(session, "Proche", north_of(REDON, 3))
    created = await urgent_request(
        client, session, origin="pharmacist", referrer_phone="+33611223344"
    )
    await client.post(url(created["id"], "escalations"), json={"step": "nearby"})
    (broadcast,) = (
        await client.get("/api/notifications/broadcasts", params={"request_id": created["id"]})
    ).json()["items"]
    at = later_today(minutes=25)
    answer = f"OUI {broadcast['code']} {paris_time(at)}"
    assert await reply(session, await phone_of(session, winner[0]), answer) == "broadcast_booked"
    (told,) = [m for m in await outbox_rows(session) if m.audience == "referrer"]
    assert told.template == "referent_rdv"
    assert f"à {paris_time(at)} (au cabinet)" in told.body
    assert told.body.startswith("SNP : votre patient M. D. (demande ")


@pytest.mark.usefixtures("communes")
async def test_no_referrer_sms_without_a_mobile_nor_after_stop(
    app: Any, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    session.add(OptOut(phone=REFERRER, keyword="STOP", created_at=utcnow()))
    await session.commit()
    silent = (await client.post("/api/regulation/referrals", json=referral())).json()["id"]
    stopped = (
        await client.post("/api/regulation/referrals", json=referral(referrer_phone=REFERRER))
    ).json()["id"]
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR, name="Paul Opérateur")
        for request_id in (silent, stopped):
            await operator.post(url(request_id, "claim"))
            await mark_triaged(session, request_id, status="claimed")
            closed = await operator.post(url(request_id, "close"), json={"outcome": "pharmacist"})
            assert closed.status_code == 200, closed.text
    referrer_rows = [m for m in await outbox_rows(session) if m.audience == "referrer"]
    assert [(m.request_id, m.status) for m in referrer_rows] == [(stopped, "suppressed")]


@pytest.mark.usefixtures("communes")
async def test_a_referrer_mobile_that_is_no_mobile_is_refused_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    refused = await client.post(
        "/api/regulation/referrals", json=referral(referrer_phone="02 99 71 00 00")
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"][-1] == "referrer_phone"


# -- the satisfaction survey -----------------------------------------------------------------


def fulfilled(
    appointment_id: str, effector_id: int, request_id: int = 1, outcome: str = "fulfilled"
) -> AppointmentOutcomeRecorded:
    return AppointmentOutcomeRecorded(
        appointment_id=appointment_id,
        effector_id=effector_id,
        request_id=request_id,
        start_at=utcnow() - timedelta(hours=1),
        origin="operator",
        outcome=outcome,
        after_care=None,
        recorded_by_user_id=None,
    )


async def test_an_honoured_consultation_asks_the_patient_once_and_a_digit_records_the_score(
    session: AsyncSession, contacts: dict[int, PatientContact], published: list[object]
) -> None:
    contacts[1] = patient("+33698765432")
    doctor = await create_effector(session, family_name="Martin")
    await events.emit(session, fulfilled("a-1", doctor.id))
    await events.emit(session, fulfilled("a-1", doctor.id))  # a corrected outcome: asked once
    await session.commit()
    (asked,) = [m for m in await outbox_rows(session) if m.template == "patient_enquete"]
    assert asked.recipient == "+33698765432"
    assert "avec Dr Anne Martin" in asked.body
    assert "Répondez de 1 (pas du tout) à 5 (très bien)" in asked.body
    assert asked.essential is False

    assert await reply(session, "06 98 76 54 32", " 4 ") == "satisfaction_recorded"
    recorded = [e for e in published if isinstance(e, SatisfactionRecorded)]
    assert [(e.appointment_id, e.request_id, e.score) for e in recorded] == [("a-1", 1, 4)]
    thanks = [m for m in await outbox_rows(session) if m.template == "reponse_enquete"]
    assert len(thanks) == 1
    # Answered: a second digit is not a score any more.
    assert await reply(session, "+33698765432", "5") == "not_understood"
    score = await session.scalar(select(Survey.score).where(Survey.appointment_id == "a-1"))
    assert score == 4


async def test_no_survey_after_a_no_show_without_consent_or_after_stop(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient("+33698765432")
    contacts[2] = patient("+33698765433", consent=False)
    contacts[3] = patient("+33698765434")
    session.add(OptOut(phone="+33698765434", keyword="STOP", created_at=utcnow()))
    doctor = await create_effector(session)
    await events.emit(session, fulfilled("a-1", doctor.id, 1, outcome="noshow"))
    await events.emit(session, fulfilled("a-2", doctor.id, 2))
    await events.emit(session, fulfilled("a-3", doctor.id, 3))
    await session.commit()
    assert [m for m in await outbox_rows(session) if m.template == "patient_enquete"] == []
    assert await reply(session, "+33698765432", "3") == "not_understood"


async def test_a_late_score_is_not_recorded(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient("+33698765432")
    doctor = await create_effector(session)
    assert await survey.ask(
        session, fulfilled("a-1", doctor.id), Settings(sms_survey_answer_hours=1)
    )
    await session.commit()
    later = utcnow() + timedelta(hours=2)
    assert not await survey.record_answer(session, "+33698765432", 5, later, "reply:late")


# -- the morning digest ----------------------------------------------------------------------


async def test_the_morning_digest_lists_the_day_patients_once_per_effector(
    session: AsyncSession,
) -> None:
    now = utcnow()
    doctor = await create_effector(session, family_name="Martin")
    first = await create_slot(session, doctor, later_today(minutes=30))
    second = await create_slot(session, doctor, later_today(minutes=60))
    await book(session, second, patient_label="J. P., 8 ans", request_id=2)
    await book(session, first, patient_label="M. D., 54 ans", request_id=1)
    clock = (now - timedelta(minutes=1)).astimezone(PARIS).time()
    settings = Settings(
        sms_digest_enabled=True,
        sms_digest_time=clock,
        sms_quiet_hours_start=time(8, 0),
        sms_quiet_hours_end=time(8, 0),
    )
    assert await digest.send_digests(session, now, settings) == 1
    assert await digest.send_digests(session, now + timedelta(minutes=5), settings) == 0
    await session.commit()
    (sent,) = [m for m in await outbox_rows(session) if m.template == "effecteur_programme"]
    assert sent.recipient == doctor.phone
    assert (
        f"vos patients SNP du jour (2) : {paris_time(first.start_at)} M. D. ; "
        f"{paris_time(second.start_at)} J. P. ; détails sur la plateforme." in sent.body
    )
    assert "54 ans" not in sent.body


def test_the_digest_is_a_scheduled_job() -> None:
    assert "notifications.morning_digest" in scheduler.registered_jobs()


async def test_the_digest_waits_for_its_hour_is_off_by_default_and_respects_quiet_hours() -> None:
    now = utcnow()
    paris_clock = now.astimezone(PARIS).time()
    later = (now + timedelta(hours=1)).astimezone(PARIS).time()
    assert not digest.due(now, Settings())  # off by default
    on = Settings(
        sms_digest_enabled=True,
        sms_quiet_hours_start=time(8, 0),
        sms_quiet_hours_end=time(8, 0),
    )
    if later > paris_clock:  # not across midnight
        assert not digest.due(now, on.model_copy(update={"sms_digest_time": later}))
    quiet = on.model_copy(
        update={
            "sms_digest_time": (now - timedelta(minutes=1)).astimezone(PARIS).time(),
            "sms_quiet_hours_start": time(0, 0),
            "sms_quiet_hours_end": time(23, 59, 59),
        }
    )
    assert not digest.due(now, quiet)
    assert inbound.parse_keyword("3") == ("NOTE", "3")


# -- undeliverable on the console backend (demonstrations) -----------------------------------


async def test_the_console_backend_fails_the_numbers_it_is_told_to_and_operators_see_the_alert(
    database: Database,
    session: AsyncSession,
    client: httpx.AsyncClient,
    options: DispatchOptions,
    published: list[object],
) -> None:
    settings = Settings(sms_console_undeliverable="06 98 76 00 01, not a number")
    backend = backends.build(settings)
    for i, to in enumerate(("+33698760001", "+33698760002")):
        await outbox.enqueue(
            session,
            key=f"console:{i}",
            to=to,
            template="patient_rdv_cabinet",
            audience=Audience.PATIENT,
            values={"date": "mar. 24/11", "heure": "14h30", "praticien": "Dr Anne Martin"},
            about=About(request_id=7),
        )
    await session.commit()
    report = await dispatcher.dispatch_once(database.sessionmaker, backend, options)
    assert (report.sent, report.undeliverable) == (1, 1)
    assert [e.request_id for e in published if isinstance(e, MessageUndeliverable)] == [7]

    await staff(session, client, Role.OPERATOR)
    (alert,) = (await client.get("/api/notifications/alerts")).json()["items"]
    assert (alert["recipient"], alert["status"], alert["reason"]) == (
        "+33698760001",
        "undeliverable",
        "Numéro invalide.",
    )
    assert alert["request_id"] == 7
    done = await client.post(f"/api/notifications/alerts/{alert['id']}/acknowledge")
    assert done.status_code == 200
    assert (await client.get("/api/notifications/alerts")).json()["items"] == []
