"""Weekly patterns with several time ranges and every other week: which days and slots they open
(pure rules, across DST), and the API storing and checking them."""

from __future__ import annotations

from datetime import date, time, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service.recurrence import WeeklyRule, day_slots, occurrence_dates
from snp.kit import PARIS
from tests.agenda.slot_factories import create_effector_with_account, create_slot, in_days
from tests.agenda.supply_helpers import count_slots, slots_of
from tests.factories import login


def rule(**options: object) -> WeeklyRule:
    values: dict[str, object] = {
        "weekdays": "TU",
        "start_time": time(9),
        "end_time": time(10),
        "slot_minutes": 30,
        "valid_from": date(2026, 10, 6),  # a Tuesday
        "valid_until": None,
    }
    values.update(options)
    return WeeklyRule(**values)  # type: ignore[arg-type]


def test_every_other_week_counts_from_the_first_week_whatever_the_horizon() -> None:
    every_other = rule(every_weeks=2)
    expected = [date(2026, 10, 6), date(2026, 10, 20), date(2026, 11, 3)]
    assert occurrence_dates(every_other, date(2026, 10, 1), date(2026, 11, 5)) == expected
    # A horizon starting on an "off" week keeps the same weeks.
    assert occurrence_dates(every_other, date(2026, 10, 13), date(2026, 11, 5)) == expected[1:]


def test_every_other_week_from_a_wednesday_start_keeps_the_start_week_on() -> None:
    # valid_from on a Wednesday: that week's Monday anchors the count; MO,WE of that week's
    # Monday is before valid_from, so the first day is the Wednesday.
    every_other = rule(weekdays="MO,WE", every_weeks=2, valid_from=date(2026, 10, 7))
    assert occurrence_dates(every_other, date(2026, 10, 1), date(2026, 10, 28)) == [
        date(2026, 10, 7),
        date(2026, 10, 19),
        date(2026, 10, 21),
    ]


def test_every_other_week_skips_public_holidays_too() -> None:
    # Wednesday 11 November 2026 is a public holiday (Armistice).
    every_other = rule(weekdays="WE", every_weeks=2, valid_from=date(2026, 10, 28))
    holidays = {date(2026, 11, 11)}
    assert occurrence_dates(
        every_other, date(2026, 10, 26), date(2026, 11, 30), public_holidays=holidays
    ) == [date(2026, 10, 28), date(2026, 11, 25)]


def test_several_ranges_open_slots_in_each_in_paris_time_across_the_october_change() -> None:
    two_ranges = rule(more_ranges=((time(14), time(15)),))
    for day in (date(2026, 10, 20), date(2026, 10, 27)):  # before and after 25 October
        starts = [s.astimezone(PARIS).strftime("%H:%M") for s, _ in day_slots(two_ranges, day)]
        assert starts == ["09:00", "09:30", "14:00", "14:30"]


async def test_a_pattern_with_two_ranges_every_other_week_over_http(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)
    start = in_days(1).date()
    body = {
        "site_id": effector.sites[0].id,
        "weekdays": "MO,TU,WE,TH,FR,SA,SU",
        "start_time": "08:00",
        "end_time": "09:00",
        "more_ranges": [{"start_time": "18:00", "end_time": "19:00"}],
        "every_weeks": 2,
        "slot_minutes": 30,
        "valid_from": str(start),
    }

    created = await client.post("/api/agenda/templates", json=body)

    assert created.status_code == 201, created.text
    saved = created.json()
    assert saved["every_weeks"] == 2
    assert saved["more_ranges"] == [{"start_time": "18:00:00", "end_time": "19:00:00"}]
    days = {s.start_at.astimezone(PARIS).date() for s in await slots_of(session, effector.id)}
    hours = {
        s.start_at.astimezone(PARIS).strftime("%H:%M") for s in await slots_of(session, effector.id)
    }
    assert hours == {"08:00", "08:30", "18:00", "18:30"}
    monday = start - timedelta(days=start.weekday())
    weeks = {(d - monday).days // 7 for d in days}
    assert 0 in weeks
    assert all(week % 2 == 0 for week in weeks), weeks  # every other week from the first

    overlapping = await client.post(
        "/api/agenda/templates",
        json={**body, "more_ranges": [{"start_time": "08:30", "end_time": "10:00"}]},
    )
    assert overlapping.status_code == 422
    assert overlapping.json()["detail"][0]["loc"] == ["body", "more_ranges", 0, "end_time"]
    weekly_thrice = await client.post("/api/agenda/templates", json={**body, "every_weeks": 3})
    assert weekly_thrice.status_code == 422


async def test_the_preview_counts_the_slots_and_says_why_each_one_is_skipped(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await create_slot(session, effector, in_days(2, 14, 10), minutes=30)  # over 14:00 and 14:20
    await login(client, user.email)
    absent = await client.post(
        "/api/agenda/absences",
        json={"start_date": str(in_days(3).date()), "end_date": str(in_days(3).date())},
    )
    assert absent.status_code == 201, absent.text
    before = await count_slots(session, effector.id)
    body = {
        "site_id": effector.sites[0].id,
        "weekdays": "MO,TU,WE,TH,FR,SA,SU",
        "start_time": "14:00",
        "end_time": "15:00",
        "valid_from": str(in_days(1).date()),
        "valid_until": str(in_days(3).date()),
        "include_public_holidays": True,
    }

    response = await client.post("/api/agenda/templates/preview", json=body)

    assert response.status_code == 200, response.text
    preview = response.json()
    assert (preview["slots"], preview["skipped_count"]) == (3 + 1, 2 + 3)
    reasons = [(s["reason"], s["detail"]) for s in preview["skipped"]]
    assert [r for r, _ in reasons] == ["collision", "collision", "absence", "absence", "absence"]
    assert reasons[0][1].startswith("Chevauche le créneau du ")
    assert await count_slots(session, effector.id) == before  # nothing written
