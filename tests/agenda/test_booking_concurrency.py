"""However many operators, regulators or SAS clients try at once, one slot, one appointment.

Each attempt runs in its own session and transaction, as separate requests would, and they all
start together (asyncio.gather) on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import HoldExpired, SlotUnavailable
from agenda.models import Appointment, Slot
from agenda.service import booking
from snp.db import Database
from tests.agenda.slot_factories import create_effector, create_slot, in_days

ATTEMPTS = 50


async def live_appointments(session: AsyncSession, slot_id: int) -> int:
    query = select(func.count()).where(
        Appointment.slot_id == slot_id, Appointment.status == "booked"
    )
    return int(await session.scalar(query) or 0)


async def test_fifty_concurrent_hold_and_confirm_yield_exactly_one_appointment(
    database: Database, session: AsyncSession
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))

    async def attempt(n: int) -> bool:
        holder = f"operator:{n}"
        try:
            async with database.transaction() as s:
                await booking.hold(s, slot.id, holder)
                await booking.confirm(s, slot.id, holder, request_id=n, patient_label=f"P{n}")
        except (SlotUnavailable, HoldExpired):
            return False
        return True

    results = await asyncio.gather(*(attempt(n) for n in range(ATTEMPTS)))
    assert sum(results) == 1
    assert await live_appointments(session, slot.id) == 1
    booked = await session.get(Slot, slot.id, populate_existing=True)
    assert booked is not None
    assert booked.status == "booked"


async def test_fifty_holds_then_fifty_confirms_in_separate_transactions_book_once(
    database: Database, session: AsyncSession
) -> None:
    """The realistic journey: hold (one request), think, confirm (another request)."""
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))

    async def hold(n: int) -> bool:
        try:
            async with database.transaction() as s:
                await booking.hold(s, slot.id, f"sas:{n}")
        except SlotUnavailable:
            return False
        return True

    async def confirm(n: int) -> bool:
        try:
            async with database.transaction() as s:
                await booking.confirm(s, slot.id, f"sas:{n}", request_id=n, patient_label="P")
        except (SlotUnavailable, HoldExpired):
            return False
        return True

    holds = await asyncio.gather(*(hold(n) for n in range(ATTEMPTS)))
    assert sum(holds) == 1
    confirms = await asyncio.gather(*(confirm(n) for n in range(ATTEMPTS)))
    assert confirms == holds  # only the holder could confirm
    assert await live_appointments(session, slot.id) == 1
