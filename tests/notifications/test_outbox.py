"""The outbox is written in the transaction of the change: committed together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service import booking
from notifications.models import Audience, MessageStatus, OptOut
from notifications.service import outbox
from notifications.service.sources import PatientContact
from snp.db import Database
from tests.agenda.slot_factories import create_effector, create_slot, in_days
from tests.notifications.conftest import outbox_rows, patient


async def test_a_committed_booking_has_its_sms_rows(
    database: Database, session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[7] = patient()
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    async with database.transaction() as tx:
        await booking.hold(tx, slot.id, "operator:test")
        await booking.confirm(
            tx, slot.id, "operator:test", request_id=7, patient_label="M. D., 54 ans"
        )
    rows = await outbox_rows(session)
    assert [(r.audience, r.template, r.essential) for r in rows] == [
        ("effector", "effecteur_rdv", True),
        ("patient", "patient_rdv_cabinet", True),
        ("patient", "patient_rappel", False),
    ]
    assert {r.status for r in rows} == {"queued"}


async def test_a_rolled_back_booking_has_none(
    database: Database, session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[7] = patient()
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    with pytest.raises(RuntimeError):
        async with database.transaction() as tx:
            await booking.hold(tx, slot.id, "operator:test")
            await booking.confirm(
                tx, slot.id, "operator:test", request_id=7, patient_label="M. D., 54 ans"
            )
            assert len(await outbox_rows(tx)) == 3  # written, inside the transaction
            raise RuntimeError("the operator's request failed after the booking")
    assert await outbox_rows(session) == []


async def test_enqueueing_the_same_key_twice_adds_one_row(session: AsyncSession) -> None:
    for _ in range(2):
        added = await outbox.enqueue(
            session,
            key="tests:1:patient",
            to="06 98 76 54 32",
            template="reponse_start",
            audience=Audience.PATIENT,
        )
    await session.commit()
    assert added is False
    (row,) = await outbox_rows(session)
    assert row.recipient == "+33698765432"  # stored E.164
    assert row.body.startswith("Les rappels par SMS sont réactivés.")


async def test_an_unusable_number_is_skipped_not_an_error(session: AsyncSession) -> None:
    assert not await outbox.enqueue(
        session, key="k", to="12", template="reponse_start", audience=Audience.PATIENT
    )
    assert await outbox_rows(session) == []


async def test_a_non_essential_message_to_an_opted_out_number_is_kept_suppressed(
    session: AsyncSession,
) -> None:
    session.add(OptOut(phone="+33698765432", keyword="STOP"))
    await session.flush()
    await outbox.enqueue(
        session,
        key="reminder",
        to="+33698765432",
        template="reponse_start",
        audience=Audience.PATIENT,
        essential=False,
    )
    await outbox.enqueue(
        session,
        key="essential",
        to="+33698765432",
        template="reponse_stop",
        audience=Audience.PATIENT,
    )
    await session.commit()
    reminder, essential = await outbox_rows(session)
    assert (reminder.status, reminder.last_error) == (MessageStatus.SUPPRESSED, "opted_out")
    assert essential.status == MessageStatus.QUEUED
