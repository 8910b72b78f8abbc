"""The agenda's events become SMS for the effector and the patient, with the right content."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.events import AppointmentNeedsRebooking
from agenda.service import booking
from notifications.models import MessageStatus
from notifications.service import messages
from notifications.service.sources import PatientContact
from notifications.service.timing import paris_date, paris_time
from regulation.models import Sex
from regulation.schemas import RequestCreate
from regulation.service.intake import create_request
from snp import events
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.db import utcnow
from snp.kit import PARIS
from snp.settings import Settings
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days
from tests.notifications.conftest import outbox_rows, patient


async def test_a_booking_tells_the_effector_and_confirms_to_the_patient(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient("+33698765432")
    effector = await create_effector(session, family_name="Martin")
    slot = await create_slot(session, effector, in_days(1, 10, 30))
    appointment = await book(session, slot, request_id=1)
    to_effector, confirmation, reminder = await outbox_rows(session)
    when = f"le {paris_date(slot.start_at)} à 10h30"

    assert to_effector.recipient == effector.phone
    assert to_effector.body == (
        f"SNP : nouveau patient {when} (au cabinet). Patient M. D., 54 ans, "
        "tél. 06 98 76 54 32. Détails sur la plateforme."
    )
    assert to_effector.idempotency_key == (f"SlotBooked:{appointment.id}:effector:{effector.phone}")
    assert confirmation.recipient == "+33698765432"
    assert confirmation.body == (
        f"RDV confirmé {when} avec Dr Anne Martin, 1 rue du Port, 35600 Redon. "
        "Si vous ne pouvez pas venir, répondez ANNULER à ce SMS."
    )
    assert reminder.template == "patient_rappel"
    assert reminder.essential is False
    assert reminder.next_attempt_at == slot.start_at - timedelta(minutes=120)
    assert reminder.expires_at == slot.start_at
    for row in (to_effector, confirmation, reminder):
        assert row.appointment_id == appointment.id
        assert row.appointment_start_at == slot.start_at
        assert row.request_id == 1
        assert "Martin" not in row.body or row.audience == "patient"


@pytest.mark.parametrize(
    ("kind", "template", "expected"),
    [
        ("HH", "patient_rdv_domicile", "Visite à domicile confirmée"),
        ("VR", "patient_rdv_teleconsultation", "le médecin vous contacte à l'heure prévue"),
    ],
)
async def test_home_visits_and_teleconsultations_get_their_own_confirmation(
    session: AsyncSession,
    contacts: dict[int, PatientContact],
    kind: str,
    template: str,
    expected: str,
) -> None:
    contacts[1] = patient()
    slot = await create_slot(
        session, await create_effector(session), in_days(1, 10), kinds=frozenset({"AMB", kind})
    )
    await booking.hold(session, slot.id, "operator:test")
    await booking.confirm(
        session, slot.id, "operator:test", request_id=1, patient_label="x", kind=kind
    )
    await session.commit()
    to_effector, confirmation, reminder = await outbox_rows(session)
    assert confirmation.template == template
    assert expected in confirmation.body
    assert "rue du Port" not in confirmation.body
    label = {"HH": "visite à domicile", "VR": "téléconsultation"}[kind]
    assert f"({label})" in to_effector.body
    assert ("à votre domicile" if kind == "HH" else "en téléconsultation") in reminder.body


async def test_without_a_known_contact_only_the_effector_is_told(session: AsyncSession) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await book(session, slot, request_id=99)  # regulation gives no contact for it
    (to_effector,) = await outbox_rows(session)
    assert "Patient non renseigné, tél. sur la plateforme." in to_effector.body


async def test_no_patient_sms_without_consent(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient(consent=False)
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await book(session, slot, request_id=1)
    (to_effector,) = await outbox_rows(session)
    assert to_effector.audience == "effector"
    assert "06 98 76 54 32" in to_effector.body  # the effector still gets the number


async def test_no_reminder_for_an_appointment_in_less_than_two_hours_and_a_half(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient()
    slot = await create_slot(
        session, await create_effector(session), utcnow() + timedelta(minutes=140)
    )
    await book(session, slot, request_id=1)
    assert [r.template for r in await outbox_rows(session)] == [
        "effecteur_rdv",
        "patient_rdv_cabinet",
    ]


async def test_a_cancellation_tells_both_and_withdraws_the_reminder(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient()
    slot = await create_slot(session, await create_effector(session), in_days(2, 16))
    appointment = await book(session, slot, request_id=1)
    await booking.cancel(session, appointment.id, by="operator", reason="Patient guéri")
    await session.commit()
    rows = await outbox_rows(session)
    assert [(r.template, r.status) for r in rows] == [
        ("effecteur_rdv", "queued"),
        ("patient_rdv_cabinet", "queued"),
        ("patient_rappel", "suppressed"),
        ("effecteur_annulation", "queued"),
        ("patient_annulation", "queued"),
    ]
    assert rows[3].body.startswith(f"SNP : le RDV du {paris_date(slot.start_at)} à 16h00")
    assert "(patient M. D., 54 ans) est annulé" in rows[3].body


async def test_an_effector_cancelling_is_not_told_their_own_news(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(2, 16))
    appointment = await book(session, slot, request_id=1)
    contacts[1] = patient()
    await booking.cancel(session, appointment.id, by="effector", reason="Imprévu")
    await session.commit()
    rows = await outbox_rows(session)
    assert [r.template for r in rows] == ["effecteur_rdv", "patient_annulation"]


async def test_with_no_contact_the_patient_we_told_is_told_again(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient("+33698765432")
    slot = await create_slot(session, await create_effector(session), in_days(2, 16))
    appointment = await book(session, slot, request_id=1)
    contacts.clear()  # e.g. the request was purged
    await booking.cancel(session, appointment.id, by="patient", reason="Ne viendra pas")
    await session.commit()
    last = (await outbox_rows(session))[-1]
    assert (last.template, last.recipient) == ("patient_annulation_confirmee", "+33698765432")


async def test_a_removed_slot_asks_to_rebook(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient()
    slot = await create_slot(session, await create_effector(session), in_days(2, 16))
    appointment = await book(session, slot, request_id=1)
    await events.emit(
        session,
        AppointmentNeedsRebooking(
            appointment_id=appointment.id,
            request_id=1,
            effector_id=slot.effector_id,
            start_at=slot.start_at,
            reason="slot removed",
        ),
    )
    await session.commit()
    rows = await outbox_rows(session)
    assert [(r.template, r.status) for r in rows][2:] == [
        ("patient_rappel", "suppressed"),
        ("effecteur_a_reprogrammer", "queued"),
        ("patient_a_reprogrammer", "queued"),
    ]
    assert "ne peut pas avoir lieu" in rows[-1].body


async def test_a_night_booking_for_tomorrow_reaches_the_effector_after_quiet_hours(
    session: AsyncSession,
    contacts: dict[int, PatientContact],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Quiet hours covering the whole day except the minute before now: now is always quiet.
    now = utcnow()
    local = now.astimezone(PARIS)
    settings = Settings(
        sms_quiet_hours_start=(local - timedelta(minutes=1)).time().replace(second=0),
        sms_quiet_hours_end=(local - timedelta(minutes=2)).time().replace(second=0),
    )
    monkeypatch.setattr(messages, "settings_of", lambda _session: settings)
    contacts[1] = patient()
    later = await create_slot(session, await create_effector(session), in_days(2, 16))
    await book(session, later, request_id=1)
    to_effector, confirmation, _ = await outbox_rows(session)
    assert to_effector.next_attempt_at > now + timedelta(hours=23)  # end of the quiet hours
    assert paris_time(to_effector.next_attempt_at) == paris_time(
        local.replace(second=0) - timedelta(minutes=2)
    )
    assert confirmation.next_attempt_at <= utcnow()  # patients are not delayed


async def test_a_same_day_booking_reaches_the_effector_at_once_even_in_quiet_hours(
    session: AsyncSession,
    contacts: dict[int, PatientContact],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(sms_quiet_hours_start=time(0, 0), sms_quiet_hours_end=time(23, 59))
    monkeypatch.setattr(messages, "settings_of", lambda _session: settings)
    soon = utcnow() + timedelta(minutes=3)
    slot = await create_slot(session, await create_effector(session), soon)
    await book(session, slot, request_id=1)
    (to_effector,) = await outbox_rows(session)
    assert to_effector.next_attempt_at <= utcnow()
    assert to_effector.status == MessageStatus.QUEUED


async def test_by_default_the_patient_contact_comes_from_the_regulation_request(
    session: AsyncSession,
) -> None:
    """Regulation's lean `get_contact` is the default source (initials in its `J.D.` style)."""
    today = utcnow().astimezone(PARIS).date()
    birth = today - relativedelta(years=54, months=6)
    request = await create_request(
        session,
        Actor.system("tests"),
        RequestCreate(
            family_name="Dupont",
            given_name="Jeanne",
            birth_date=birth,
            sex=Sex.FEMALE,
            phone="06 98 76 54 32",
            address_line="5 rue des Lilas, Redon",
            latitude=47.65,
            longitude=-2.08,
            sms_consent=True,
            claim=False,
        ),
        settings=Settings(),
    )
    await session.commit()
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await book(session, slot, request_id=request.id)
    to_effector, confirmation, _reminder = await outbox_rows(session)
    assert "Patient J.D., 54 ans, tél. 06 98 76 54 32." in to_effector.body
    assert confirmation.recipient == "+33698765432"
    assert "Dupont" not in to_effector.body  # initials only
    reads = await session.scalars(
        select(AuditEntry.actor_email).where(
            AuditEntry.entity_id == str(request.id), AuditEntry.action == "read"
        )
    )
    assert "notifications" in set(reads)  # the read of patient data is traced
