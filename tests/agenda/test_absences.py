"""Absences remove the free slots they cover, keep booked ones, and stop templates there."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from agenda.schemas_supply import AbsenceIn, AbsencePatch
from agenda.service import absences
from snp.kit import PARIS
from tests.agenda.slot_factories import (
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.agenda.supply_helpers import (
    COORDINATOR,
    HORIZON,
    count_slots,
    errors,
    every_day_14_15,
    slots_of,
)
from tests.factories import login


def day(days: int) -> date:
    return in_days(days).date()


async def open_days(session: AsyncSession, effector: Effector) -> set[date]:
    return {s.start_at.astimezone(PARIS).date() for s in await slots_of(session, effector.id)}


async def test_an_absence_removes_the_free_slots_of_its_days_end_day_included(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    manual = (await create_slot(session, effector, in_days(3, 18))).id  # not from a template
    await every_day_14_15(session, effector)

    saved = await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(effector_id=effector.id, start_date=day(2), end_date=day(4), reason="Congés"),
        horizon_days=HORIZON,
    )
    await session.commit()

    assert saved.slots_removed == 3 * 3 + 1
    assert saved.booked_kept == 0
    remaining = await open_days(session, effector)
    assert not {day(2), day(3), day(4)} & remaining
    assert {day(1), day(5)} <= remaining
    assert manual not in {s.id for s in await slots_of(session, effector.id)}


async def test_an_absence_keeps_held_and_booked_slots_and_counts_them(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)
    booked = next(s for s in await slots_of(session, effector.id) if s.start_at == in_days(3, 14))
    await book(session, booked)

    saved = await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(effector_id=effector.id, start_date=day(3), end_date=day(3)),
        horizon_days=HORIZON,
    )
    await session.commit()

    assert (saved.slots_removed, saved.booked_kept) == (2, 1)
    [kept] = [s for s in await slots_of(session, effector.id) if s.start_at.date() == day(3)]
    assert (kept.id, kept.status) == (booked.id, "booked")


async def test_templates_do_not_open_slots_inside_an_absence_and_deleting_it_reopens_them(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    absence = await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(effector_id=effector.id, start_date=day(2), end_date=day(5)),
        horizon_days=HORIZON,
    )
    await every_day_14_15(session, effector)
    assert not {day(2), day(3), day(4), day(5)} & await open_days(session, effector)

    shortened = await absences.update_absence(
        session, COORDINATOR, absence.id, AbsencePatch(end_date=day(3)), horizon_days=HORIZON
    )
    assert shortened.slots_created == 2 * 3
    assert {day(4), day(5)} <= await open_days(session, effector)

    reopened = await absences.delete_absence(session, COORDINATOR, absence.id, horizon_days=HORIZON)
    await session.commit()
    assert reopened == 2 * 3
    assert {day(2), day(3)} <= await open_days(session, effector)


async def test_an_effector_declares_their_own_absence_over_http(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await every_day_14_15(session, effector)
    before = await count_slots(session, effector.id)
    await login(client, user.email)

    created = await client.post(
        "/api/agenda/absences",
        json={"start_date": str(day(1)), "end_date": str(day(1)), "reason": "Formation"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["effector_id"], body["reason"], body["slots_removed"]) == (
        effector.id,
        "Formation",
        3,
    )
    assert await count_slots(session, effector.id) == before - 3
    listed = (await client.get("/api/agenda/absences")).json()
    assert [(a["start_date"], a["end_date"]) for a in listed] == [(str(day(1)), str(day(1)))]

    moved = await client.patch(
        f"/api/agenda/absences/{body['id']}",
        json={"start_date": str(day(2)), "end_date": str(day(2))},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["slots_removed"], moved.json()["slots_created"]) == (3, 3)

    deleted = await client.delete(f"/api/agenda/absences/{body['id']}")
    assert deleted.json() == {"slots_removed": 0, "slots_created": 3}
    assert await count_slots(session, effector.id) == before


async def test_absences_are_checked_and_owned(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, other = await create_effector_with_account(session, "dr.other@example.fr")
    user, _ = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)

    reversed_dates = await client.post(
        "/api/agenda/absences", json={"start_date": str(day(5)), "end_date": str(day(4))}
    )
    assert reversed_dates.status_code == 422
    assert errors(reversed_dates) == [
        (
            ["body", "end_date"],
            "La date de fin doit être égale ou postérieure à la date de début.",
        )
    ]
    not_mine = await client.post(
        "/api/agenda/absences",
        json={"effector_id": other.id, "start_date": str(day(1)), "end_date": str(day(1))},
    )
    assert not_mine.status_code == 403
    theirs = await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(effector_id=other.id, start_date=day(1), end_date=day(1) + timedelta(days=1)),
        horizon_days=HORIZON,
    )
    await session.commit()
    assert (await client.delete(f"/api/agenda/absences/{theirs.id}")).status_code == 403
    assert (await client.patch(f"/api/agenda/absences/{theirs.id}", json={})).status_code == 403
