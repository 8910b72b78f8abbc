"""Bulk slot generation (templates, ICS import): idempotent and never overlapping."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot
from agenda.service.slots import NewSlot, add_generated_slots
from snp.errors import BusinessRuleError
from tests.agenda.slot_factories import create_effector, create_slot, in_days


def twenty_minutes(start: datetime, count: int, prefix: str = "tpl") -> list[NewSlot]:
    return [
        NewSlot(
            start_at=start + timedelta(minutes=20 * i),
            end_at=start + timedelta(minutes=20 * (i + 1)),
            source_key=f"{prefix}:{i}",
        )
        for i in range(count)
    ]


async def count_slots(session: AsyncSession, effector_id: int) -> int:
    query = select(func.count()).select_from(Slot).where(Slot.effector_id == effector_id)
    return int(await session.scalar(query) or 0)


async def test_generated_slots_are_inserted_once_however_often_they_are_generated(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    batch = twenty_minutes(in_days(2, 14), 6)
    assert await add_generated_slots(session, effector.id, effector.sites[0].id, batch) == 6
    await session.commit()
    assert await add_generated_slots(session, effector.id, effector.sites[0].id, batch) == 0
    await session.commit()
    assert await count_slots(session, effector.id) == 6


async def test_a_generated_slot_overlapping_an_existing_one_is_skipped(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await create_slot(session, effector, in_days(2, 14, 30), minutes=15)  # 14:30-14:45
    batch = twenty_minutes(in_days(2, 14), 6)  # 14:00 .. 16:00, two overlap 14:30-14:45
    inserted = await add_generated_slots(session, effector.id, effector.sites[0].id, batch)
    assert inserted == 4
    assert await count_slots(session, effector.id) == 5


async def test_overlapping_slots_within_one_batch_keep_the_earliest(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    start = in_days(3, 9)
    batch = [
        NewSlot(start + timedelta(minutes=10), start + timedelta(minutes=40), source_key="b"),
        NewSlot(start, start + timedelta(minutes=20), source_key="a"),
        NewSlot(start + timedelta(minutes=20), start + timedelta(minutes=40), source_key="c"),
    ]
    assert await add_generated_slots(session, effector.id, effector.sites[0].id, batch) == 2
    keys = await session.scalars(
        select(Slot.source_key).where(Slot.effector_id == effector.id).order_by(Slot.start_at)
    )
    assert list(keys) == ["a", "c"]


async def test_another_effectors_slots_do_not_count_as_overlaps(session: AsyncSession) -> None:
    first = await create_effector(session)
    second = await create_effector(session)
    batch = twenty_minutes(in_days(2, 14), 3)
    assert await add_generated_slots(session, first.id, first.sites[0].id, batch) == 3
    assert await add_generated_slots(session, second.id, second.sites[0].id, batch) == 3


async def test_generation_refuses_a_site_of_another_effector_and_naive_times(
    session: AsyncSession,
) -> None:
    first = await create_effector(session)
    second = await create_effector(session)
    batch = twenty_minutes(in_days(2, 14), 1)
    with pytest.raises(BusinessRuleError, match="n'appartient pas"):
        await add_generated_slots(session, first.id, second.sites[0].id, batch)
    naive = datetime(2030, 1, 1, 9)  # noqa: DTZ001 - the point of the test
    with pytest.raises(BusinessRuleError, match="Fuseau horaire"):
        await add_generated_slots(
            session, first.id, first.sites[0].id, [NewSlot(naive, naive + timedelta(hours=1))]
        )
