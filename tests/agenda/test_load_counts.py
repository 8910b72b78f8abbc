"""Patients given to each effector, for several periods in one query (regulation's fair
spreading reads a slot's day and week at once): the same counts as one query per period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import count_booked_by_effector, count_booked_by_effector_in_periods
from agenda.service import appointments
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days


async def test_each_period_counts_the_patients_given_as_its_own_query_would(
    session: AsyncSession,
) -> None:
    busy = await create_effector(session)
    quiet = await create_effector(session)
    idle = await create_effector(session)
    for start in (in_days(2, 9), in_days(2, 11), in_days(3, 10), in_days(9, 10)):
        await book(session, await create_slot(session, busy, start))
    await book(session, await create_slot(session, quiet, in_days(3, 15)))
    cancelled = await book(session, await create_slot(session, quiet, in_days(2, 9)))
    await appointments.cancel(session, cancelled.id, by="patient", reason="Ne peut pas venir")
    await create_slot(session, idle, in_days(2, 9))  # free: nobody given
    await session.commit()
    day_two = (in_days(2, 0), in_days(3, 0))
    periods = [day_two, (in_days(3, 0), in_days(4, 0)), (in_days(1, 0), in_days(8, 0))]
    ids = [busy.id, quiet.id, idle.id]

    counts = await count_booked_by_effector_in_periods(session, ids, periods)

    assert counts == {busy.id: (2, 1, 3), quiet.id: (0, 1, 1), idle.id: (0, 0, 0)}
    for n, (start, end) in enumerate(periods):
        alone = await count_booked_by_effector(session, ids, start, end)
        assert {e: found[n] for e, found in counts.items()} == alone


async def test_no_effector_or_no_period_reads_nothing(session: AsyncSession) -> None:
    effector = await create_effector(session)
    await book(session, await create_slot(session, effector, in_days(2, 9)))
    week = (in_days(1, 0), in_days(1, 0) + timedelta(days=7))

    assert await count_booked_by_effector_in_periods(session, [], [week]) == {}
    assert await count_booked_by_effector_in_periods(session, [effector.id], []) == {
        effector.id: ()
    }
