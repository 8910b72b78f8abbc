"""What the GP's week shows on a booked block: the patient, who booked (not the slot's source)
and, once recorded, the outcome (seen, absent) instead of an anonymous « Réservé »."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, Slot
from snp.db import utcnow
from tests.agenda.slot_factories import book, create_effector_with_account, create_slot, in_days
from tests.factories import login


async def test_a_booked_block_keeps_its_patient_and_shows_the_outcome(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "gp@example.fr")
    seen = await book(session, await create_slot(session, effector, in_days(1, 9)), request_id=1)
    missed = await book(session, await create_slot(session, effector, in_days(1, 10)), request_id=2)
    coming = await book(session, await create_slot(session, effector, in_days(1, 11)), request_id=3)
    start = utcnow() - timedelta(hours=3)
    for n, (appointment, status) in enumerate(((seen, "fulfilled"), (missed, "noshow"))):
        at = start + timedelta(hours=n)
        await session.execute(
            update(Appointment)
            .where(Appointment.id == appointment.id)
            .values(status=status, start_at=at, end_at=at + timedelta(minutes=20))
        )
        await session.execute(
            update(Slot)
            .where(Slot.id == appointment.slot_id)
            .values(start_at=at, end_at=at + timedelta(minutes=20))
        )
    await session.commit()
    await login(client, user.email)

    response = await client.get(
        "/api/agenda/slots",
        params={
            "start": (start - timedelta(hours=1)).isoformat(),
            "end": in_days(2, 0).isoformat(),
            "effector_id": effector.id,
        },
    )

    assert response.status_code == 200, response.text
    blocks = {s["id"]: s["appointment"] for s in response.json()}
    assert blocks[seen.slot_id]["status"] == "fulfilled"
    assert blocks[missed.slot_id]["status"] == "noshow"
    assert blocks[coming.slot_id]["status"] == "booked"
    assert {b["patient_label"] for b in blocks.values()} == {"M. D., 54 ans"}
    assert {b["origin"] for b in blocks.values()} == {"operator"}
