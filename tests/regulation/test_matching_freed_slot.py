"""A freed slot is proposed first to the waiting requests it fits, best first: priority, then
deadline, then distance; those it does not fit (kind, age, deadline, too far) are left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import Mobility, Orientation, Priority, RegulationRequest
from regulation.service.rebooking import offer_freed_slot, proposals_for_slot
from snp.settings import Settings
from tests.regulation.builders import REDON, base_now, effector, north_of, slot, triaged_request

pytestmark = pytest.mark.usefixtures("communes")


@pytest.fixture
def settings(app: FastAPI) -> Settings:
    value: Settings = app.state.settings
    return value


async def test_the_requests_a_freed_slot_fits_best_first(
    session: AsyncSession, settings: Settings
) -> None:
    now = base_now()
    adults = await effector(session, "Adultes", REDON, min_patient_age_months=18 * 12)
    start = now + timedelta(hours=3)
    slot_id = await slot(session, adults, start)
    later_p3 = await triaged_request(session, now=now, priority=Priority.P3, deadline_hours=40)
    near_p2 = await triaged_request(session, now=now, deadline_hours=20, at=north_of(REDON, 1))
    far_p2 = await triaged_request(session, now=now, deadline_hours=20, at=north_of(REDON, 9))
    urgent_p2 = await triaged_request(session, now=now, deadline_hours=5, at=north_of(REDON, 20))
    await triaged_request(session, now=now, deadline_hours=2)  # its deadline is before the slot
    await triaged_request(session, now=now, age_years=10)  # too young for this effector
    await triaged_request(session, now=now, mobility=Mobility.NEEDS_HOME_VISIT)  # not at home
    await triaged_request(session, now=now, orientation=Orientation.PHARMACIST)
    await triaged_request(session, now=now, at=north_of(REDON, 60))  # beyond 40 km
    excluded = await triaged_request(session, now=now)

    proposals = await proposals_for_slot(
        session,
        slot_id,
        effector_id=adults[0],
        start_at=start,
        exclude=[excluded],
        settings=settings,
        now=now,
    )

    assert [(p.request_id, p.priority, p.kind) for p in proposals] == [
        (urgent_p2, "P2", "AMB"),  # P2, earliest deadline
        (near_p2, "P2", "AMB"),  # same deadline: the nearer first
        (far_p2, "P2", "AMB"),
        (later_p3, "P3", "AMB"),
    ]
    assert [p.distance_km for p in proposals][:3] == pytest.approx([20.0, 1.0, 9.0])

    offered = await offer_freed_slot(
        session,
        slot_id,
        effector_id=adults[0],
        start_at=start,
        exclude=[excluded],
        settings=settings,
        now=now,
    )
    await session.commit()
    assert offered == [urgent_p2, near_p2, far_p2]  # the best 3 (setting)
    flagged = {
        r.id: r.offered_slot_id
        for r in (await session.execute(RegulationRequest.__table__.select())).all()
    }
    assert [flagged[i] for i in (urgent_p2, near_p2, far_p2, later_p3)] == [
        slot_id,
        slot_id,
        slot_id,
        None,
    ]


async def test_a_slot_too_soon_to_reach_or_not_free_is_proposed_to_no_one(
    session: AsyncSession, settings: Settings
) -> None:
    now = base_now()
    doctor = await effector(session, "Martin", REDON)
    soon = now + timedelta(minutes=15)  # inside the 30 min travel margin
    soon_id = await slot(session, doctor, soon)
    await triaged_request(session, now=now)
    assert (
        await proposals_for_slot(
            session, soon_id, effector_id=doctor[0], start_at=soon, settings=settings, now=now
        )
        == []
    )
    assert (
        await proposals_for_slot(
            session, 424242, effector_id=doctor[0], start_at=soon, settings=settings, now=now
        )
        == []
    )
