"""Outcomes only after the fact (issue 13, point 6): "Vu", "Absent" are refused before the
appointment starts, with a clear message, and nothing downstream (satisfaction survey,
indicators, SAS) can follow from an outcome recorded too early."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda.events import AppointmentOutcomeRecorded
from agenda.models import Appointment
from indicators.models import IndAppointment
from notifications.models import OutboxMessage
from notifications.service import survey
from sas import handlers as sas_handlers
from sas.models import SasAppointment, SasOutbox
from snp.db import utcnow
from snp.settings import get_settings
from tests.agenda.slot_factories import book, create_effector_with_account, create_slot, in_days
from tests.factories import login
from tests.regulation.builders import triaged_request


async def booked_tomorrow(session: AsyncSession) -> tuple[str, str, int]:
    """A regulated patient (SMS consent) booked with an effector tomorrow at 10:00:
    (the effector's e-mail, the appointment id, the request id)."""
    user, effector = await create_effector_with_account(session, "dr.vu@example.fr")
    request_id = await triaged_request(session, now=utcnow())
    appointment = await book(
        session, await create_slot(session, effector, in_days(1, 10)), request_id=request_id
    )
    return user.email, appointment.id, request_id


async def test_seen_before_the_start_is_refused_and_nothing_follows(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    email, appointment_id, _ = await booked_tomorrow(session)
    await login(client, email)

    refused = await client.put(
        f"/api/agenda/appointments/{appointment_id}/outcome", json={"outcome": "fulfilled"}
    )

    assert refused.status_code == 422
    detail = refused.json()["detail"][0]
    assert detail["loc"] == ["path", "appointment_id"]
    assert detail["msg"].startswith(
        "Rendez-vous pas encore commencé : « Vu » ou « Absent » se renseigne à partir de son "
        "heure de début"
    )
    assert detail["msg"].endswith("à 10:00).")
    stored = await session.get(Appointment, appointment_id, populate_existing=True)
    assert stored is not None
    assert stored.status == "booked"
    templates = await session.scalars(select(OutboxMessage.template))
    assert "patient_enquete" not in list(templates)
    counted = await session.scalar(
        select(IndAppointment.status).where(IndAppointment.appointment_id == appointment_id)
    )
    assert counted == "booked"


async def test_no_survey_for_an_outcome_event_recorded_before_the_start(
    session: AsyncSession,
) -> None:
    _, appointment_id, request_id = await booked_tomorrow(session)
    start = in_days(1, 10)
    early = AppointmentOutcomeRecorded(
        appointment_id=appointment_id,
        effector_id=1,
        request_id=request_id,
        start_at=start,
        origin="operator",
        outcome="fulfilled",
        after_care=None,
        recorded_by_user_id=None,
        recorded_at=start - timedelta(hours=4, minutes=31),
    )
    assert await survey.ask(session, early, get_settings()) is False
    on_time = dataclasses.replace(early, recorded_at=start)
    assert await survey.ask(session, on_time, get_settings()) is True


async def test_an_outcome_stored_before_the_start_counts_in_no_figure(
    session: AsyncSession,
) -> None:
    """Outcomes recorded early before the rule existed are not facts for the indicators."""
    _, appointment_id, _ = await booked_tomorrow(session)
    await session.execute(
        update(Appointment)
        .where(Appointment.id == appointment_id)
        .values(status="fulfilled", outcome_recorded_at=utcnow())
    )
    await session.commit()
    (facts,) = await agenda.appointment_facts(session, [appointment_id])
    assert facts.status == "booked"


async def test_the_sas_is_not_told_of_an_outcome_recorded_before_the_start(
    session: AsyncSession,
) -> None:
    start = in_days(1, 10)
    session.add(
        SasAppointment(
            appointment_id="sas-appointment-1",
            identifier="sas-appointment-1",
            request_id=7,
            effector_national_id="810001234567",
            status="booked",
            start_at=start,
            end_at=start + timedelta(minutes=20),
        )
    )
    await session.commit()
    early = AppointmentOutcomeRecorded(
        appointment_id="sas-appointment-1",
        effector_id=1,
        request_id=7,
        start_at=start,
        origin="sas",
        outcome="fulfilled",
        after_care=None,
        recorded_by_user_id=None,
        recorded_at=start - timedelta(minutes=1),
    )

    await sas_handlers.on_outcome(session, early)

    row = await session.get(SasAppointment, "sas-appointment-1", populate_existing=True)
    assert row is not None
    assert row.status == "booked"
    assert list(await session.scalars(select(SasOutbox))) == []
    await sas_handlers.on_outcome(session, dataclasses.replace(early, recorded_at=start))
    assert row.status == "fulfilled"
    assert len(list(await session.scalars(select(SasOutbox)))) == 1
