"""The ranking of a fixed dataset, recorded: matching's order, scores and reasons do not change.

A seeded territory around Redon (35 effectors within 60 km, 4 slots each over 30 hours of two
weekdays, patients already given to some of them that day, the next or later in the week) and
five requests: a practice consultation, a teleconsultation (a practice is also acceptable), a
patient who cannot travel, a 5-year-old child, and a deadline too short for any slot (the best
later slots). The expected lists were recorded from the matching before its performance work
(issue 12): any change to the score, the tie-breaks, the per-effector cap or the growing search
shows here. Times are relative to a fixed Tuesday 08:00 (Europe/Paris) without a clock change
that week, so the loads (day, week) fall the same whenever the test runs.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from regulation import propose_candidates
from regulation.models import Mobility, Orientation
from regulation.schemas_booking import CandidatesOut
from snp.actor import Actor
from snp.auth.roles import Role
from snp.db import utcnow
from snp.settings import Settings
from tests.factories import create_user
from tests.regulation.builders import REDON, booked, effector, north_of, slot, triaged_request
from tests.regulation.conftest import actor_of

pytestmark = pytest.mark.usefixtures("communes")

PARIS = ZoneInfo("Europe/Paris")
KINDS = (frozenset({"AMB"}), frozenset({"VR"}), frozenset({"AMB", "VR"}), frozenset({"AMB", "HH"}))

# One candidate: (effector, minutes from the Tuesday 08:00 to the slot, kind, delay, km,
# patients that day, that week, score, score's delay, distance and load terms, after deadline).
Row = tuple[str, int, str, int, float | None, int, int, float, float, float, float, bool]


def tuesday_8am() -> datetime:
    """The next Tuesday 08:00 (Paris) at least a day away whose week has no clock change."""
    day = utcnow().astimezone(PARIS).date() + timedelta(days=1)
    while True:
        if day.weekday() == 1:
            monday = day - timedelta(days=1)
            start = datetime(monday.year, monday.month, monday.day, tzinfo=PARIS)
            end = start + timedelta(days=7)
            if start.utcoffset() == end.utcoffset():
                moment = datetime(day.year, day.month, day.day, 8, tzinfo=PARIS)
                return moment.astimezone(UTC)
        day += timedelta(days=1)


@pytest.fixture
async def operator(session: AsyncSession) -> Actor:
    return actor_of(await create_user(session, Role.OPERATOR))


@pytest.fixture
def settings(app: FastAPI) -> Settings:
    value: Settings = app.state.settings
    return value


async def territory(session: AsyncSession, now: datetime) -> dict[int, str]:
    """The seeded effectors and slots; each effector's name by id."""
    rng = random.Random(20261205)
    names: dict[int, str] = {}
    for n in range(35):
        name = f"E{n:02d}"
        home = rng.random() < 0.3
        person = await effector(
            session,
            name,
            north_of(REDON, round(rng.uniform(0, 60), 1)),
            teleconsultation=rng.random() < 0.5,
            home_visits=home,
            home_visit_radius_km=rng.choice([None, 5.0, 15.0, 30.0]) if home else None,
            min_patient_age_months=72 if rng.random() < 0.15 else None,
        )
        names[person[0]] = name
        # Starts 25 minutes apart at least, from 08:55 Tuesday to 14:00 Wednesday, in day hours.
        minutes = [m for m in range(55, 30 * 60, 25) if m < 12 * 60 or m >= 24 * 60]
        *starts, taken, later = sorted(rng.sample(minutes, 6))
        for start in starts:
            await slot(session, person, now + timedelta(minutes=start), kinds=rng.choice(KINDS))
        if n % 3 == 0:
            await booked(session, person, now + timedelta(minutes=taken))
        if n % 4 == 1:
            await booked(session, person, now + timedelta(days=2, minutes=later % 600))
    return names


def rows(result: CandidatesOut, now: datetime) -> list[Row]:
    return [
        (
            c.effector.name.removeprefix("Dr Anne "),
            round((c.start_at - now).total_seconds() / 60),
            c.kind,
            c.delay_minutes,
            c.distance_km,
            c.load_day,
            c.load_week,
            c.score,
            c.score_parts.delay,
            c.score_parts.distance,
            c.score_parts.load,
            c.after_deadline,
        )
        for c in result.items
    ]


async def test_the_ranking_of_a_fixed_territory_is_unchanged(
    session: AsyncSession, operator: Actor, settings: Settings
) -> None:
    now = tuesday_8am()
    await territory(session, now)
    requests = {
        "practice": await triaged_request(session, now=now),
        "teleconsultation": await triaged_request(session, now=now, orientation=Orientation.VR),
        "home": await triaged_request(session, now=now, mobility=Mobility.NEEDS_HOME_VISIT),
        "child": await triaged_request(session, now=now, age_years=5),
        "too_soon": await triaged_request(session, now=now, deadline_hours=0.75),
    }

    found = {}
    for name, request_id in requests.items():
        result = await propose_candidates(session, operator, request_id, now=now, settings=settings)
        await session.commit()
        found[name] = rows(result, now)
        if name == "too_soon":
            assert not result.fits_deadline
            assert result.escalation is not None

    assert found == EXPECTED


EXPECTED: dict[str, list[Row]] = {
    "practice": [
        ("E26", 55, "AMB", 55, 29.8, 0, 0, 114.6, 55.0, 59.6, 0.0, False),
        ("E27", 80, "AMB", 80, 8.4, 1, 1, 120.8, 80.0, 16.8, 24.0, False),
        ("E10", 55, "AMB", 55, 33.2, 0, 0, 121.4, 55.0, 66.4, 0.0, False),
        ("E19", 55, "AMB", 55, 39.3, 0, 0, 133.6, 55.0, 78.6, 0.0, False),
        ("E14", 105, "AMB", 105, 18.9, 0, 0, 142.8, 105.0, 37.8, 0.0, False),
        ("E11", 80, "AMB", 80, 31.9, 0, 0, 143.8, 80.0, 63.8, 0.0, False),
        ("E33", 80, "AMB", 80, 35.7, 1, 2, 179.4, 80.0, 71.4, 28.0, False),
        ("E05", 180, "AMB", 180, 5.1, 0, 1, 194.2, 180.0, 10.2, 4.0, False),
        ("E16", 155, "AMB", 155, 20.8, 0, 0, 196.6, 155.0, 41.6, 0.0, False),
        ("E24", 180, "AMB", 180, 8.2, 0, 1, 200.4, 180.0, 16.4, 4.0, False),
    ],
    "teleconsultation": [
        ("E26", 55, "VR", 55, 29.8, 0, 0, 55.0, 55.0, 0.0, 0.0, False),
        ("E14", 105, "VR", 105, 18.9, 0, 0, 105.0, 105.0, 0.0, 0.0, False),
        ("E27", 80, "AMB", 80, 8.4, 1, 1, 120.8, 80.0, 16.8, 24.0, False),
        ("E10", 55, "AMB", 55, 33.2, 0, 0, 121.4, 55.0, 66.4, 0.0, False),
        ("E28", 130, "VR", 130, 44.6, 0, 0, 130.0, 130.0, 0.0, 0.0, False),
        ("E19", 55, "AMB", 55, 39.3, 0, 0, 133.6, 55.0, 78.6, 0.0, False),
        ("E29", 130, "VR", 130, 44.1, 0, 1, 134.0, 130.0, 0.0, 4.0, False),
        ("E11", 80, "AMB", 80, 31.9, 0, 0, 143.8, 80.0, 63.8, 0.0, False),
        ("E33", 130, "VR", 130, 35.7, 1, 2, 158.0, 130.0, 0.0, 28.0, False),
        ("E00", 155, "VR", 155, 24.5, 0, 1, 159.0, 155.0, 0.0, 4.0, False),
    ],
    "home": [
        ("E27", 80, "HH", 80, 8.4, 1, 1, 120.8, 80.0, 16.8, 24.0, False),
        ("E03", 355, "HH", 355, 8.1, 0, 1, 375.2, 355.0, 16.2, 4.0, False),
        ("E03", 630, "HH", 630, 8.1, 0, 1, 650.2, 630.0, 16.2, 4.0, False),
    ],
    "child": [
        ("E26", 55, "AMB", 55, 29.8, 0, 0, 114.6, 55.0, 59.6, 0.0, False),
        ("E27", 80, "AMB", 80, 8.4, 1, 1, 120.8, 80.0, 16.8, 24.0, False),
        ("E19", 55, "AMB", 55, 39.3, 0, 0, 133.6, 55.0, 78.6, 0.0, False),
        ("E33", 80, "AMB", 80, 35.7, 1, 2, 179.4, 80.0, 71.4, 28.0, False),
        ("E05", 180, "AMB", 180, 5.1, 0, 1, 194.2, 180.0, 10.2, 4.0, False),
        ("E16", 155, "AMB", 155, 20.8, 0, 0, 196.6, 155.0, 41.6, 0.0, False),
        ("E24", 180, "AMB", 180, 8.2, 0, 1, 200.4, 180.0, 16.4, 4.0, False),
        ("E00", 155, "AMB", 155, 24.5, 0, 1, 208.0, 155.0, 49.0, 4.0, False),
        ("E02", 155, "AMB", 155, 36.0, 0, 0, 227.0, 155.0, 72.0, 0.0, False),
        ("E33", 130, "AMB", 130, 35.7, 1, 2, 229.4, 130.0, 71.4, 28.0, False),
    ],
    "too_soon": [
        ("E26", 55, "AMB", 55, 29.8, 0, 0, 114.6, 55.0, 59.6, 0.0, True),
        ("E27", 80, "AMB", 80, 8.4, 1, 1, 120.8, 80.0, 16.8, 24.0, True),
        ("E10", 55, "AMB", 55, 33.2, 0, 0, 121.4, 55.0, 66.4, 0.0, True),
        ("E19", 55, "AMB", 55, 39.3, 0, 0, 133.6, 55.0, 78.6, 0.0, True),
        ("E14", 105, "AMB", 105, 18.9, 0, 0, 142.8, 105.0, 37.8, 0.0, True),
        ("E11", 80, "AMB", 80, 31.9, 0, 0, 143.8, 80.0, 63.8, 0.0, True),
        ("E33", 80, "AMB", 80, 35.7, 1, 2, 179.4, 80.0, 71.4, 28.0, True),
        ("E05", 180, "AMB", 180, 5.1, 0, 1, 194.2, 180.0, 10.2, 4.0, True),
        ("E16", 155, "AMB", 155, 20.8, 0, 0, 196.6, 155.0, 41.6, 0.0, True),
        ("E24", 180, "AMB", 180, 8.2, 0, 1, 200.4, 180.0, 16.4, 4.0, True),
    ],
}
