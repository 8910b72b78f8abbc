"""Every keyword an SMS reply may carry: STOP/ARRET, START, ANNULER, anything else."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.events import AppointmentCancelled
from agenda.models import Appointment, Slot
from notifications.events import PatientCancelledBySms
from notifications.models import Audience, InboundMessage, MessageStatus, OptOut
from notifications.service import outbox
from notifications.service.inbound import parse_keyword
from notifications.service.sources import PatientContact
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days
from tests.notifications.conftest import outbox_rows, patient
from tests.notifications.fake_twilio import FakeTwilio
from tests.notifications.test_webhooks import INBOUND_URL, PATIENT


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", ("STOP", None)),
        ("stop", ("STOP", None)),
        (" Stop. ", ("STOP", None)),
        ("ARRET", ("STOP", None)),
        ("Arrêt", ("STOP", None)),
        ("arrêter !", ("STOP", None)),
        ("START", ("START", None)),
        ("Annuler", ("ANNULER", None)),
        ("ANNULATION", ("ANNULER", None)),
        ("annulé", ("ANNULER", None)),
        ("OUI 4821", ("OUI", "4821")),
        ("oui, 4821", ("OUI", "4821")),
        ("Oui4821", ("OUI", "4821")),
        ("OUI", ("OUI", None)),
        ("Je ne pourrai pas venir", (None, None)),
        ("stop les rappels svp", (None, None)),
    ],
)
def test_keywords_are_read_whatever_the_case_accents_and_punctuation(
    body: str, expected: tuple[str | None, str | None]
) -> None:
    assert parse_keyword(body) == expected


async def status_of(session: AsyncSession, appointment_id: str) -> str:
    appointment = await session.get(Appointment, appointment_id, populate_existing=True)
    assert appointment is not None
    return appointment.status


async def inbound_texts(session: AsyncSession) -> list[tuple[str | None, str | None]]:
    rows = await session.scalars(
        select(InboundMessage).order_by(InboundMessage.id).execution_options(populate_existing=True)
    )
    return [(r.keyword, r.outcome) for r in rows]


async def test_stop_opts_out_of_reminders_but_not_of_essential_messages(
    webhook_app: FastAPI, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    await outbox.enqueue(
        session,
        key="reminder",
        to=PATIENT,
        template="patient_rappel",
        audience=Audience.PATIENT,
        essential=False,
    )
    await session.commit()
    assert (await fake_twilio.inbound(INBOUND_URL, PATIENT, "Arrêt")).status_code == 200
    assert await session.get(OptOut, PATIENT) is not None
    reminder, reply = await outbox_rows(session)
    assert (reminder.status, reminder.last_error) == ("suppressed", "opted_out")
    assert reply.template == "reponse_stop"
    assert reply.body.startswith("Vous ne recevrez plus de rappels par SMS.")
    for key, essential in (("later-reminder", False), ("confirmation", True)):
        await outbox.enqueue(
            session,
            key=key,
            to=PATIENT,
            template="reponse_start",
            audience=Audience.PATIENT,
            essential=essential,
        )
    await session.commit()
    *_, later, confirmation = await outbox_rows(session)
    assert later.status == MessageStatus.SUPPRESSED
    assert confirmation.status == MessageStatus.QUEUED
    assert await inbound_texts(session) == [("STOP", "opted_out")]


async def test_start_opts_back_in(
    webhook_app: FastAPI, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "STOP")
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "start")
    assert await session.get(OptOut, PATIENT, populate_existing=True) is None
    assert [r.template for r in await outbox_rows(session)] == ["reponse_stop", "reponse_start"]


async def test_annuler_cancels_the_next_appointment_and_tells_effector_and_operators(
    webhook_app: FastAPI,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    contacts: dict[int, PatientContact],
    published: list[object],
) -> None:
    contacts[1] = patient(PATIENT)
    contacts[2] = patient(PATIENT)
    effector = await create_effector(session)
    later = await create_slot(session, effector, in_days(3, 11))
    sooner = await create_slot(session, effector, in_days(2, 9))
    second = await book(session, later, request_id=2)
    first = await book(session, sooner, request_id=1)

    sooner_id = sooner.id
    response = await fake_twilio.inbound(INBOUND_URL, PATIENT, "ANNULER")
    assert response.status_code == 200
    assert await status_of(session, first.id) == "cancelled"
    assert await status_of(session, second.id) == "booked"
    cancelled = await session.get(Appointment, first.id)
    assert cancelled is not None
    assert cancelled.cancelled_by == "patient"
    slot = await session.get(Slot, sooner_id, populate_existing=True)
    assert slot is not None
    assert slot.status == "free"
    rows = await outbox_rows(session)
    news = [(r.template, r.recipient) for r in rows if r.appointment_id == first.id][-2:]
    assert news == [
        ("effecteur_annulation", effector.phone),
        ("patient_annulation_confirmee", PATIENT),
    ]
    assert [type(e) for e in published][-2:] == [
        AppointmentCancelled,
        PatientCancelledBySms,
    ]
    assert await inbound_texts(session) == [("ANNULER", "cancelled")]

    # Again: the next one goes; a third time, there is nothing left.
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "annuler")
    assert await status_of(session, second.id) == "cancelled"
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "ANNULER")
    assert (await outbox_rows(session))[-1].template == "reponse_aucun_rdv"
    assert (await inbound_texts(session))[-1] == ("ANNULER", "no_appointment")


async def test_annuler_works_without_regulation_contacts_for_the_number_we_told(
    webhook_app: FastAPI,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    contacts: dict[int, PatientContact],
) -> None:
    contacts[1] = patient(PATIENT)
    appointment = await book(
        session, await create_slot(session, await create_effector(session), in_days(1, 15))
    )
    contacts.clear()
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "ANNULER")
    assert await status_of(session, appointment.id) == "cancelled"
    assert (await outbox_rows(session))[-1].template == "patient_annulation_confirmee"


async def test_annuler_from_an_unknown_number_cancels_nothing(
    webhook_app: FastAPI,
    session: AsyncSession,
    fake_twilio: FakeTwilio,
    contacts: dict[int, PatientContact],
) -> None:
    contacts[1] = patient(PATIENT)
    appointment = await book(
        session, await create_slot(session, await create_effector(session), in_days(1, 15))
    )
    await fake_twilio.inbound(INBOUND_URL, "+33611111111", "ANNULER")
    assert await status_of(session, appointment.id) == "booked"
    last = (await outbox_rows(session))[-1]
    assert (last.template, last.recipient) == ("reponse_aucun_rdv", "+33611111111")


async def test_other_texts_get_one_help_message_a_day(
    webhook_app: FastAPI, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "Je serai en retard")
    await fake_twilio.inbound(INBOUND_URL, PATIENT, "Vous m'entendez ?")
    (reply,) = await outbox_rows(session)
    assert reply.template == "reponse_incomprise"
    assert await inbound_texts(session) == [(None, "not_understood")] * 2


async def test_a_webhook_delivered_twice_acts_once(
    webhook_app: FastAPI, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    for _ in range(2):
        response = await fake_twilio.inbound(INBOUND_URL, PATIENT, "STOP", sid="SMsame")
        assert response.status_code == 200
    assert len(await outbox_rows(session)) == 1
    assert len(await inbound_texts(session)) == 1
