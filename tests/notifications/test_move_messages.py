"""A moved appointment: the patient gets the new time and place, the GP both slots unless they
moved it themselves; each move is news again (a second move sends new messages)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import move_appointment
from notifications.service.sources import PatientContact
from notifications.service.timing import paris_date
from snp.actor import Actor
from snp.auth.roles import Role
from tests.agenda.slot_factories import (
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.notifications.conftest import outbox_rows, patient

OPERATOR = Actor(user_id=None, email="operator@test", role=Role.OPERATOR)


async def test_a_move_by_an_operator_tells_the_patient_and_the_gp(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient("+33698765432")
    effector = await create_effector(session, family_name="Martin")
    old = await create_slot(session, effector, in_days(1, 10, 30))
    new = await create_slot(session, effector, in_days(2, 21, 0), minutes=15)
    appointment = await book(session, old, request_id=1)
    booked_count = len(await outbox_rows(session))

    await move_appointment(session, appointment.id, new.id, actor=OPERATOR, reason="Soirée")
    await session.commit()

    rows = await outbox_rows(session)
    assert [(r.template, r.status) for r in rows[booked_count - 1 :]] == [
        ("patient_rappel", "suppressed"),
        ("effecteur_rdv_deplace", "queued"),
        ("patient_rdv_deplace", "queued"),
        ("patient_rappel", "queued"),
    ]
    to_gp, to_patient = rows[booked_count], rows[booked_count + 1]
    assert to_gp.recipient == effector.phone
    assert to_gp.body == (
        f"SNP : le RDV du {paris_date(old.start_at)} à 10h30 (patient M. D., 54 ans) est déplacé "
        f"au {paris_date(new.start_at)} à 21h00. L'ancien créneau est libéré."
    )
    assert to_patient.body == (
        f"Votre RDV avec Dr Anne Martin est déplacé au {paris_date(new.start_at)} à 21h00, "
        "1 rue du Port, 35600 Redon. Si vous ne pouvez pas venir, répondez ANNULER à ce SMS."
    )
    assert to_patient.appointment_start_at == new.start_at
    assert rows[-1].expires_at == new.start_at


async def test_a_gp_moving_their_own_appointment_is_not_told_and_a_second_move_is_news(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient()
    user, effector = await create_effector_with_account(session, "gp@example.fr")
    gp = Actor(user_id=user.id, email=user.email, role=Role.EFFECTOR)
    appointment = await book(session, await create_slot(session, effector, in_days(1, 9)))
    first = await create_slot(session, effector, in_days(1, 11))
    second = await create_slot(session, effector, in_days(1, 12))
    booked_count = len(await outbox_rows(session))

    await move_appointment(session, appointment.id, first.id, actor=gp, reason="Un")
    await move_appointment(session, appointment.id, second.id, actor=gp, reason="Deux")
    await session.commit()

    templates = [r.template for r in (await outbox_rows(session))[booked_count:]]
    assert "effecteur_rdv_deplace" not in templates
    assert templates.count("patient_rdv_deplace") == 2
