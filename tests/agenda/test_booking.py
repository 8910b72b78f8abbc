"""The booking core: hold -> confirm (or release), cancel; one live appointment per slot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import jobs
from agenda.errors import HoldExpired, SlotUnavailable
from agenda.events import AppointmentCancelled, SlotBooked
from agenda.models import Appointment, Slot
from agenda.service import appointments, booking
from snp.db import Database, utcnow
from snp.errors import BusinessRuleError, Conflict, NotFound
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days


async def slot_state(session: AsyncSession, slot_id: int) -> tuple[str, str | None]:
    slot = await session.get(Slot, slot_id, populate_existing=True)
    assert slot is not None
    return slot.status, slot.held_by


async def expire_hold(session: AsyncSession, slot_id: int) -> None:
    await session.execute(
        update(Slot)
        .where(Slot.id == slot_id)
        .values(hold_expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()


async def test_a_hold_reserves_the_slot_for_its_holder_until_it_expires(
    session: AsyncSession,
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    held = await booking.hold(session, slot.id, "operator:1", ttl=timedelta(minutes=5))
    await session.commit()
    assert held.slot_id == slot.id
    assert held.kinds == ["AMB"]
    assert timedelta(minutes=4) < held.hold_expires_at - utcnow() <= timedelta(minutes=5)
    assert await slot_state(session, slot.id) == ("held", "operator:1")

    with pytest.raises(SlotUnavailable, match="vient d'être pris"):
        await booking.hold(session, slot.id, "operator:2")
    again = await booking.hold(session, slot.id, "operator:1")  # the holder extends it
    assert again.hold_expires_at >= held.hold_expires_at


async def test_an_expired_hold_is_free_for_anyone_else(session: AsyncSession) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await booking.hold(session, slot.id, "operator:1")
    await session.commit()
    await expire_hold(session, slot.id)
    await booking.hold(session, slot.id, "operator:2")
    await session.commit()
    assert await slot_state(session, slot.id) == ("held", "operator:2")
    with pytest.raises(SlotUnavailable):
        await booking.confirm(
            session, slot.id, "operator:1", request_id=1, patient_label="M. D., 54 ans"
        )


async def test_confirming_books_the_slot_and_announces_it(
    session: AsyncSession, published: list[object]
) -> None:
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 10), kinds=frozenset({"AMB", "VR"}))
    published.clear()  # the slot's publication (`SlotsChanged`)
    await booking.hold(session, slot.id, "operator:1")
    appointment = await booking.confirm(
        session,
        slot.id,
        "operator:1",
        request_id=7,
        patient_label="M. D., 54 ans",
        kind="VR",
        origin="operator",
        booked_by_user_id=None,
    )
    await session.commit()
    assert appointment.status == "booked"
    assert appointment.kind == "VR"
    assert appointment.site is not None
    assert appointment.site.id == effector.sites[0].id
    assert len(appointment.id) == 36  # a UUID, also our SAS identifier
    assert await slot_state(session, slot.id) == ("booked", None)
    assert published == [
        SlotBooked(
            appointment_id=appointment.id,
            slot_id=slot.id,
            effector_id=effector.id,
            site_id=effector.sites[0].id,
            request_id=7,
            start_at=slot.start_at,
            end_at=slot.end_at,
            kind="VR",
            origin="operator",
        )
    ]


async def test_confirming_needs_a_running_hold_of_ones_own(session: AsyncSession) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    with pytest.raises(HoldExpired, match="a expiré"):  # never held
        await booking.confirm(session, slot.id, "operator:1", request_id=1, patient_label="X")
    await booking.hold(session, slot.id, "operator:1")
    await session.commit()
    with pytest.raises(SlotUnavailable):  # held by someone else
        await booking.confirm(session, slot.id, "operator:2", request_id=1, patient_label="X")
    with pytest.raises(BusinessRuleError, match="ne propose pas ce type"):
        await booking.confirm(
            session, slot.id, "operator:1", request_id=1, patient_label="X", kind="HH"
        )
    await expire_hold(session, slot.id)
    with pytest.raises(HoldExpired):
        await booking.confirm(session, slot.id, "operator:1", request_id=1, patient_label="X")


async def test_a_booked_a_past_or_a_missing_slot_cannot_be_held(session: AsyncSession) -> None:
    effector = await create_effector(session)
    booked = await create_slot(session, effector, in_days(1, 10))
    await book(session, booked)
    with pytest.raises(SlotUnavailable, match="vient d'être pris"):
        await booking.hold(session, booked.id, "operator:2")
    past = await create_slot(session, effector, utcnow() - timedelta(hours=2))
    with pytest.raises(SlotUnavailable, match="déjà passé"):
        await booking.hold(session, past.id, "operator:2")
    with pytest.raises(NotFound):
        await booking.hold(session, 999_999, "operator:2")


async def test_releasing_gives_the_slot_back_only_for_its_holder(session: AsyncSession) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await booking.hold(session, slot.id, "operator:1")
    assert await booking.release(session, slot.id, "operator:2") is False
    assert await booking.release(session, slot.id, "operator:1") is True
    await session.commit()
    assert await slot_state(session, slot.id) == ("free", None)


async def test_the_job_frees_expired_holds_only(database: Database, session: AsyncSession) -> None:
    effector = await create_effector(session)
    expired = await create_slot(session, effector, in_days(1, 10))
    running = await create_slot(session, effector, in_days(1, 11))
    await booking.hold(session, expired.id, "operator:1")
    await booking.hold(session, running.id, "operator:1")
    await session.commit()
    await expire_hold(session, expired.id)
    async with database.transaction() as job_session:
        await jobs.release_expired_holds(job_session)
    assert await slot_state(session, expired.id) == ("free", None)
    assert await slot_state(session, running.id) == ("held", "operator:1")


async def test_cancelling_frees_a_future_slot_and_announces_it(
    session: AsyncSession, published: list[object]
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    appointment = await book(session, slot, request_id=9)
    cancelled = await appointments.cancel(
        session, appointment.id, by="patient", reason="Va mieux, annule par téléphone"
    )
    await session.commit()
    assert cancelled.status == "cancelled"
    assert cancelled.cancelled_by == "patient"
    assert await slot_state(session, slot.id) == ("free", None)
    event = published[-1]
    assert isinstance(event, AppointmentCancelled)
    assert (event.appointment_id, event.by, event.slot_freed) == (appointment.id, "patient", True)
    with pytest.raises(Conflict, match="plus actif"):
        await appointments.cancel(session, appointment.id, by="patient", reason="encore")
    # The freed slot can be booked again: a second live appointment on the same slot.
    again = await book(session, slot, request_id=10)
    assert again.status == "booked"


async def test_cancelling_a_past_appointment_does_not_reopen_its_slot(
    session: AsyncSession,
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    appointment = await book(session, slot)
    await session.execute(
        update(Slot)
        .where(Slot.id == slot.id)
        .values(start_at=utcnow() - timedelta(hours=1), end_at=utcnow() - timedelta(minutes=40))
    )
    await session.commit()
    await appointments.cancel(session, appointment.id, by="effector", reason="Patient absent")
    await session.commit()
    assert (await slot_state(session, slot.id))[0] == "booked"


async def test_cancel_refuses_an_unknown_author_or_an_empty_reason(session: AsyncSession) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    appointment = await book(session, slot)
    with pytest.raises(BusinessRuleError, match="Auteur"):
        await appointments.cancel(session, appointment.id, by="someone", reason="x")
    with pytest.raises(BusinessRuleError, match="Motif"):
        await appointments.cancel(session, appointment.id, by="patient", reason="  ")


async def test_the_database_refuses_two_live_appointments_on_one_slot(
    session: AsyncSession,
) -> None:
    """The partial unique index is the last line of defence (a cancelled one does not count)."""
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 10))
    first = await book(session, slot)
    await appointments.cancel(session, first.id, by="patient", reason="annulé")
    second = await book(session, slot)
    assert second.status == "booked"
    slot_id = slot.id
    session.add(
        Appointment(
            id="00000000-0000-4000-8000-000000000001",
            slot_id=slot_id,
            effector_id=effector.id,
            start_at=slot.start_at,
            end_at=slot.end_at,
            status="booked",
        )
    )
    with pytest.raises(IntegrityError):
        await session.commit()
    await session.rollback()
    live = select(func.count()).where(
        Appointment.slot_id == slot_id, Appointment.status == "booked"
    )
    assert await session.scalar(live) == 1
