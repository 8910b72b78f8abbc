"""Absences of some hours a day (a half-day): only the slots of those hours go, templates do not
reopen them, and the hours are Paris wall-clock times across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.schemas_supply import AbsenceIn
from agenda.service import absences
from agenda.service.absences import absence_windows
from agenda.service.recurrence import materialise_effector
from snp.kit import PARIS
from tests.agenda.slot_factories import create_effector, create_effector_with_account
from tests.agenda.supply_helpers import COORDINATOR, HORIZON, every_day_14_15, slots_of
from tests.agenda.test_absences import day
from tests.factories import login


def test_an_absence_of_some_hours_is_one_window_a_day_in_paris_time_across_dst() -> None:
    # Summer time starts on Sunday 29 March 2026: 14:00 in Paris is 13:00 UTC before, 12:00 after.
    windows = absence_windows(date(2026, 3, 28), date(2026, 3, 30), time(14), time(18))
    assert windows == [
        (datetime(2026, 3, 28, 13, tzinfo=UTC), datetime(2026, 3, 28, 17, tzinfo=UTC)),
        (datetime(2026, 3, 29, 12, tzinfo=UTC), datetime(2026, 3, 29, 16, tzinfo=UTC)),
        (datetime(2026, 3, 30, 12, tzinfo=UTC), datetime(2026, 3, 30, 16, tzinfo=UTC)),
    ]


def test_a_whole_day_absence_is_one_window_from_midnight_to_midnight() -> None:
    [(start, end)] = absence_windows(date(2026, 10, 24), date(2026, 10, 25))
    assert start.astimezone(PARIS) == datetime(2026, 10, 24, tzinfo=PARIS)
    assert end.astimezone(PARIS) == datetime(2026, 10, 26, tzinfo=PARIS)
    assert (end - start).total_seconds() == 49 * 3600  # the autumn day has 25 hours


async def test_a_half_day_absence_removes_only_its_hours_and_templates_keep_out(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)  # 14:00, 14:20, 14:40 every day

    saved = await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(
            effector_id=effector.id,
            start_date=day(2),
            end_date=day(3),
            start_time=time(14, 20),
            end_time=time(18),
            reason="Réunion",
        ),
        horizon_days=HORIZON,
    )
    await session.commit()

    assert saved.slots_removed == 2 * 2
    assert (saved.start_time, saved.end_time) == (time(14, 20), time(18))
    starts = {
        s.start_at.astimezone(PARIS).replace(tzinfo=None)
        for s in await slots_of(session, effector.id)
    }
    for n in (2, 3):
        assert datetime.combine(day(n), time(14)) in starts
        assert datetime.combine(day(n), time(14, 20)) not in starts
        assert datetime.combine(day(n), time(14, 40)) not in starts
    assert datetime.combine(day(4), time(14, 40)) in starts
    # Materialising again (the hourly job) does not reopen them.
    assert await materialise_effector(session, effector.id, horizon_days=HORIZON) == 0


async def test_hours_over_http_both_or_none_and_in_order(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await every_day_14_15(session, effector)
    await login(client, user.email)
    base = {"start_date": str(day(1)), "end_date": str(day(1))}

    only_start = await client.post("/api/agenda/absences", json={**base, "start_time": "14:00"})
    assert only_start.status_code == 422
    assert only_start.json()["detail"][0]["loc"] == ["body", "end_time"]
    reversed_hours = await client.post(
        "/api/agenda/absences", json={**base, "start_time": "14:00", "end_time": "13:00"}
    )
    assert reversed_hours.status_code == 422
    assert reversed_hours.json()["detail"][0]["msg"] == (
        "L'heure de fin doit être après l'heure de début."
    )

    afternoon = await client.post(
        "/api/agenda/absences", json={**base, "start_time": "14:30", "end_time": "19:00"}
    )
    assert afternoon.status_code == 201, afternoon.text
    assert afternoon.json()["slots_removed"] == 2  # 14:20 (it runs past 14:30) and 14:40
    whole_day = await client.patch(
        f"/api/agenda/absences/{afternoon.json()['id']}",
        json={"start_time": None, "end_time": None},
    )
    assert whole_day.status_code == 200, whole_day.text
    assert whole_day.json()["slots_removed"] == 1  # 14:00 too
    assert (await client.get("/api/agenda/absences")).json()[0]["start_time"] is None
