"""Moving a booked appointment to another free slot of the same GP: one appointment, its patient
and request kept, the old slot free again; refusals in French; one winner per slot under races."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentMoved, move_appointment
from agenda.errors import KindNotOffered, MoveRefused, SlotInThePast, SlotUnavailable
from agenda.models import Appointment, Slot
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import Database, utcnow
from snp.errors import Conflict, DomainError, NotFound
from tests.agenda.slot_factories import (
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.factories import logged_in_as, login

OPERATOR = Actor(user_id=None, email="operator@test", role=Role.OPERATOR)
TAKEN = "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre."


async def slot_status(session: AsyncSession, slot_id: int) -> str:
    slot = await session.get(Slot, slot_id, populate_existing=True)
    assert slot is not None
    return slot.status


async def test_a_move_books_the_new_slot_frees_the_old_and_keeps_the_appointment(
    session: AsyncSession, published: list[object]
) -> None:
    effector = await create_effector(session)
    old = await create_slot(session, effector, in_days(1, 10))
    new = await create_slot(session, effector, in_days(2, 21), minutes=15)
    booked = await book(session, old, request_id=7)

    moved = await move_appointment(
        session, booked.id, new.id, actor=OPERATOR, reason="Le patient préfère le soir"
    )
    await session.commit()

    assert (moved.id, moved.request_id, moved.patient_label) == (booked.id, 7, "M. D., 54 ans")
    assert (moved.slot_id, moved.start_at, moved.end_at) == (new.id, new.start_at, new.end_at)
    assert moved.status == "booked"
    assert await slot_status(session, old.id) == "free"
    assert await slot_status(session, new.id) == "booked"
    event = next(e for e in published if isinstance(e, AppointmentMoved))
    assert (event.appointment_id, event.request_id, event.by) == (booked.id, 7, "operator")
    assert (event.from_slot_id, event.to_slot_id) == (old.id, new.id)
    assert (event.from_start_at, event.to_start_at) == (old.start_at, new.start_at)
    assert event.old_slot_freed is True
    assert event.reason == "Le patient préfère le soir"
    changes = await session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.entity == "appointment", AuditEntry.entity_id == booked.id
        )
    )
    assert "update" in list(changes)


async def test_two_moves_onto_the_same_slot_exactly_one_wins(
    database: Database, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    target = await create_slot(session, effector, in_days(3, 9))
    appointments = [
        await book(session, await create_slot(session, effector, in_days(1, 8 + n)), request_id=n)
        for n in range(6)
    ]

    async def attempt(appointment_id: str) -> bool:
        try:
            async with database.transaction() as s:
                await move_appointment(s, appointment_id, target.id, actor=OPERATOR, reason="Test")
        except (SlotUnavailable, Conflict):
            return False
        return True

    results = await asyncio.gather(*(attempt(a.id) for a in appointments))
    assert sum(results) == 1
    on_target = await session.scalar(
        select(func.count()).where(Appointment.slot_id == target.id, Appointment.status == "booked")
    )
    assert on_target == 1
    # The losers are untouched: still booked on their own slot, which is still booked.
    for appointment, won in zip(appointments, results, strict=True):
        row = await session.get(Appointment, appointment.id, populate_existing=True)
        assert row is not None
        assert row.slot_id == (target.id if won else appointment.slot_id)
        assert appointment.slot_id is not None
        assert await slot_status(session, appointment.slot_id) == ("free" if won else "booked")


async def test_one_appointment_moved_twice_at_once_lands_on_one_slot(
    database: Database, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    booked = await book(session, await create_slot(session, effector, in_days(1, 8)))
    targets = [await create_slot(session, effector, in_days(2, 8 + n)) for n in range(4)]

    async def attempt(slot_id: int) -> bool:
        try:
            async with database.transaction() as s:
                await move_appointment(s, booked.id, slot_id, actor=OPERATOR, reason="Test")
        except (SlotUnavailable, Conflict):
            return False
        return True

    results = await asyncio.gather(*(attempt(t.id) for t in targets))
    assert sum(results) == 1
    statuses = [await slot_status(session, t.id) for t in targets]
    assert sorted(statuses) == ["booked", "free", "free", "free"]


async def test_a_taken_slot_is_refused_with_a_409_and_nothing_changes(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    mine = await book(session, await create_slot(session, effector, in_days(1, 10)), request_id=1)
    taken = await create_slot(session, effector, in_days(1, 11))
    await book(session, taken, request_id=2)
    with pytest.raises(SlotUnavailable) as refused:
        await move_appointment(session, mine.id, taken.id, actor=OPERATOR, reason="Test")
    assert refused.value.as_detail()[0]["msg"] == TAKEN
    await session.rollback()
    assert mine.slot_id is not None
    assert await slot_status(session, mine.slot_id) == "booked"


async def test_a_slot_held_by_someone_else_is_taken_but_an_expired_hold_is_free(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    mine = await book(session, await create_slot(session, effector, in_days(1, 10)))
    held = (await create_slot(session, effector, in_days(1, 12))).id
    await session.execute(
        update(Slot)
        .where(Slot.id == held)
        .values(status="held", held_by="x", hold_expires_at=utcnow() + timedelta(minutes=5))
    )
    await session.commit()
    with pytest.raises(SlotUnavailable):
        await move_appointment(session, mine.id, held, actor=OPERATOR, reason="Test")
    await session.rollback()
    await session.execute(
        update(Slot).where(Slot.id == held).values(hold_expires_at=utcnow() - timedelta(minutes=1))
    )
    await session.commit()
    moved = await move_appointment(session, mine.id, held, actor=OPERATOR, reason="Test")
    assert moved.slot_id == held


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("past_slot", SlotInThePast, "Ce créneau est déjà passé."),
        ("other_kind", KindNotOffered, "Ce créneau ne propose pas ce type de consultation"),
        ("other_effector", MoveRefused, "Ce créneau est dans l'agenda d'un autre médecin"),
        ("other_site", MoveRefused, "Ce créneau est dans un autre lieu (Cabinet 2)"),
        ("closed_to_regulation", MoveRefused, "Ce créneau n'est pas ouvert à la régulation"),
        ("same_slot", MoveRefused, "Le rendez-vous est déjà sur ce créneau."),
    ],
)
async def test_unsuitable_slots_are_refused_with_a_clear_422(
    session: AsyncSession, case: str, error: type[DomainError], message: str
) -> None:
    effector = await create_effector(session, sites=2)
    mine = await book(session, await create_slot(session, effector, in_days(1, 10)))
    if case == "past_slot":
        target = await create_slot(session, effector, in_days(1, 15))
        await session.execute(
            update(Slot)
            .where(Slot.id == target.id)
            .values(start_at=utcnow() - timedelta(hours=1), end_at=utcnow())
        )
        await session.commit()
    elif case == "other_kind":
        target = await create_slot(session, effector, in_days(1, 15), kinds=frozenset({"VR"}))
    elif case == "other_effector":
        target = await create_slot(session, await create_effector(session), in_days(1, 15))
    elif case == "other_site":
        target = await create_slot(session, effector, in_days(1, 15), site_id=effector.sites[1].id)
    elif case == "closed_to_regulation":
        target = await create_slot(session, effector, in_days(1, 15), visibility=frozenset({"PRO"}))
    else:
        target = await session.get_one(Slot, mine.slot_id)
    with pytest.raises(error) as refused:
        await move_appointment(session, mine.id, target.id, actor=OPERATOR, reason="Test")
    detail = refused.value.as_detail()[0]
    assert detail["msg"].startswith(message)
    assert detail["loc"][0] == "body"
    assert refused.value.status_code == 422


async def test_another_site_is_accepted_once_confirmed(session: AsyncSession) -> None:
    effector = await create_effector(session, sites=2)
    mine = await book(session, await create_slot(session, effector, in_days(1, 10)))
    target = await create_slot(session, effector, in_days(1, 15), site_id=effector.sites[1].id)
    moved = await move_appointment(
        session, mine.id, target.id, actor=OPERATOR, reason="Test", allow_other_site=True
    )
    assert moved.site is not None
    assert moved.site.name == "Cabinet 2"


async def test_an_appointment_that_started_or_is_no_longer_booked_cannot_move(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    started = await book(session, await create_slot(session, effector, in_days(1, 10)))
    target = (await create_slot(session, effector, in_days(2, 10))).id
    await session.execute(
        update(Appointment)
        .where(Appointment.id == started.id)
        .values(start_at=utcnow() - timedelta(minutes=5))
    )
    await session.commit()
    with pytest.raises(SlotInThePast):
        await move_appointment(session, started.id, target, actor=OPERATOR, reason="Test")
    await session.rollback()
    await session.execute(
        update(Appointment).where(Appointment.id == started.id).values(status="fulfilled")
    )
    await session.commit()
    with pytest.raises(Conflict):
        await move_appointment(session, started.id, target, actor=OPERATOR, reason="Test")
    with pytest.raises(NotFound):
        await move_appointment(session, "nope", target, actor=OPERATOR, reason="Test")


async def test_a_gp_moves_their_own_appointment_over_http_even_into_a_private_slot(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "gp@example.org")
    mine = await book(session, await create_slot(session, effector, in_days(1, 10)))
    private = await create_slot(session, effector, in_days(1, 18), visibility=frozenset({"PRO"}))
    await login(client, user.email)

    response = await client.post(
        f"/api/agenda/appointments/{mine.id}/move",
        json={"slot_id": private.id, "reason": "Imprévu au cabinet"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["slot_id"] == private.id

    missing = await client.post(
        f"/api/agenda/appointments/{mine.id}/move", json={"slot_id": private.id, "reason": " "}
    )
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "reason"]


async def test_a_gp_cannot_move_someone_elses_appointment(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_effector_with_account(session, "gp@example.org")
    other = await create_effector(session)
    theirs = await book(session, await create_slot(session, other, in_days(1, 10)))
    target = await create_slot(session, other, in_days(1, 12))
    await login(client, "gp@example.org")
    response = await client.post(
        f"/api/agenda/appointments/{theirs.id}/move",
        json={"slot_id": target.id, "reason": "Essai"},
    )
    assert response.status_code == 404
    assert response.json()["detail"][0]["msg"] == "Rendez-vous introuvable."


async def test_sas_regulators_and_referrers_may_not_use_the_move_route(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    mine = await book(session, await create_slot(session, effector, in_days(1, 10)))
    target = await create_slot(session, effector, in_days(1, 12))
    for role in (Role.SAS_REGULATOR, Role.REFERRER):
        await logged_in_as(client, session, role)
        response = await client.post(
            f"/api/agenda/appointments/{mine.id}/move",
            json={"slot_id": target.id, "reason": "Essai"},
        )
        assert response.status_code == 403
