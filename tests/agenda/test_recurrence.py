"""Recurring availability: weekly rules become slots, skipping holidays, right across DST."""

from __future__ import annotations

from datetime import date, time, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import jobs
from agenda.models import Appointment, AvailabilityTemplate, Effector
from agenda.schemas_supply import TemplateIn, TemplatePatch, parse_weekdays
from agenda.service import booking, recurrence, templates
from agenda.service.recurrence import WeeklyRule, day_slots, occurrence_dates
from snp import scheduler
from snp.kit import PARIS
from tests.agenda.slot_factories import book, create_effector, in_days
from tests.agenda.supply_helpers import COORDINATOR, count_slots, every_day_14_15, slots_of, utc


def weekly(days: str, start: time, end: time, **options: object) -> WeeklyRule:
    values: dict[str, object] = {
        "slot_minutes": 20,
        "valid_from": date(2026, 1, 1),
        "valid_until": None,
    }
    values.update(options)
    return WeeklyRule(days, start, end, **values)  # type: ignore[arg-type]


# --- The rule itself (no database) -------------------------------------------------------------


def test_weekdays_are_rfc5545_byday_codes_in_week_order() -> None:
    assert parse_weekdays("th, mo") == "MO,TH"
    assert parse_weekdays("TU") == "TU"
    with pytest.raises(ValueError, match=r"Jour inconnu : XX \(jours attendus au format RFC 5545"):
        parse_weekdays("MO,XX")
    with pytest.raises(ValueError, match="Au moins un jour"):
        parse_weekdays(" , ")


def test_a_rule_opens_its_weekdays_between_valid_from_and_valid_until_inclusive() -> None:
    rule = weekly(
        "MO,TH", time(9), time(10), valid_from=date(2026, 10, 8), valid_until=date(2026, 10, 19)
    )
    assert occurrence_dates(rule, date(2026, 10, 1), date(2026, 10, 31)) == [
        date(2026, 10, 8),
        date(2026, 10, 12),
        date(2026, 10, 15),
        date(2026, 10, 19),
    ]


def test_french_public_holidays_are_skipped_unless_the_template_includes_them() -> None:
    first, last = date(2026, 5, 1), date(2026, 5, 31)
    holidays = recurrence.holidays_between(first, last)
    thursdays = weekly("TH", time(9), time(10))
    assert date(2026, 5, 14) not in occurrence_dates(  # Ascension Day
        thursdays, first, last, public_holidays=holidays
    )
    included = weekly("TH", time(9), time(10), include_public_holidays=True)
    assert date(2026, 5, 14) in occurrence_dates(included, first, last, public_holidays=holidays)


def test_alsace_moselle_also_skips_good_friday() -> None:
    fridays = weekly("FR", time(9), time(10))
    first, last = date(2026, 4, 1), date(2026, 4, 10)
    in_rennes = recurrence.holidays_between(first, last, "35238")
    in_strasbourg = recurrence.holidays_between(first, last, "67482")
    assert occurrence_dates(fridays, first, last, public_holidays=in_rennes) == [
        date(2026, 4, 3),
        date(2026, 4, 10),
    ]
    assert occurrence_dates(fridays, first, last, public_holidays=in_strasbourg) == [
        date(2026, 4, 10)
    ]


def test_absence_days_are_skipped_including_the_last_one() -> None:
    daily = weekly("MO,TU,WE,TH,FR", time(9), time(10))
    days = occurrence_dates(
        daily,
        date(2026, 10, 5),
        date(2026, 10, 9),
        absences=[(date(2026, 10, 6), date(2026, 10, 8))],
    )
    assert days == [date(2026, 10, 5), date(2026, 10, 9)]


def test_a_14h_slot_stays_14h_in_paris_across_the_october_and_march_changes() -> None:
    tuesdays = weekly("TU", time(14), time(14, 40))
    around_october = [date(2026, 10, 20), date(2026, 10, 27)]  # clocks go back on the 25th
    around_march = [date(2026, 3, 24), date(2026, 3, 31)]  # clocks go forward on the 29th
    starts = [s for day in around_october + around_march for s, _ in day_slots(tuesdays, day)]
    assert {s.astimezone(PARIS).strftime("%H:%M") for s in starts} == {"14:00", "14:20"}
    assert [s.strftime("%d/%m %H:%M") for s in starts[::2]] == [
        "20/10 12:00",  # CEST, UTC+2
        "27/10 13:00",  # CET, UTC+1
        "24/03 13:00",  # CET
        "31/03 12:00",  # CEST
    ]


def test_the_hour_skipped_in_march_has_no_slots_and_the_hour_repeated_in_october_no_overlaps() -> (
    None
):
    night = weekly("SU", time(1), time(4))
    spring = day_slots(night, date(2026, 3, 29))
    assert [s.astimezone(PARIS).strftime("%H:%M") for s, _ in spring] == [
        "01:00",
        "01:20",
        "01:40",
        "03:00",
        "03:20",
        "03:40",
    ]
    autumn = day_slots(night, date(2026, 10, 25))
    assert len(autumn) == 9
    assert all(end <= next_start for (_, end), (next_start, _) in pairwise(autumn))


# --- Materialised in the database --------------------------------------------------------------

NOW = utc(2030, 10, 14, 8)  # Monday 14 October 2030; clocks go back on Sunday 27 October


def tuesdays_14_16(effector: Effector, **extra: object) -> TemplateIn:
    values: dict[str, object] = {
        "effector_id": effector.id,
        "site_id": effector.sites[0].id,
        "weekdays": "TU",
        "start_time": "14:00",
        "end_time": "16:00",
        "slot_minutes": 20,
        "valid_from": "2030-10-01",
    }
    values.update(extra)
    return TemplateIn.model_validate(values)


async def test_creating_a_template_opens_its_slots_over_the_horizon_in_paris_time(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    saved = await templates.create_template(
        session, COORDINATOR, tuesdays_14_16(effector), horizon_days=28, now=NOW
    )
    await session.commit()
    assert saved.slots_created == 4 * 6  # Tuesdays 15, 22, 29 October and 5 November
    slots = await slots_of(session, effector.id)
    assert {s.start_at.astimezone(PARIS).strftime("%H:%M") for s in slots} == {
        "14:00",
        "14:20",
        "14:40",
        "15:00",
        "15:20",
        "15:40",
    }
    assert [s.start_at.astimezone(PARIS).date() for s in slots[::6]] == [
        date(2030, 10, 15),
        date(2030, 10, 22),
        date(2030, 10, 29),
        date(2030, 11, 5),
    ]
    first = slots[0]
    assert first.source_key == f"tpl:{saved.id}:20301015T120000Z"
    assert first.template_id == saved.id
    assert (first.kind_amb, first.vis_snp, first.vis_cpts, first.shared_with_sas) == (
        True,
        True,
        True,
        True,
    )


async def test_materialising_again_changes_nothing_and_the_horizon_rolls(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await templates.create_template(
        session, COORDINATOR, tuesdays_14_16(effector), horizon_days=28, now=NOW
    )
    assert await recurrence.materialise_all(session, horizon_days=28, now=NOW) == 0
    a_week_later = NOW + timedelta(days=7)
    assert await recurrence.materialise_all(session, horizon_days=28, now=a_week_later) == 6
    await session.commit()
    assert await count_slots(session, effector.id) == 5 * 6


async def test_valid_until_ends_the_template_and_inactive_effectors_get_nothing(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    saved = await templates.create_template(
        session,
        COORDINATOR,
        tuesdays_14_16(effector, valid_until="2030-10-22"),
        horizon_days=28,
        now=NOW,
    )
    assert saved.slots_created == 2 * 6
    other = await create_effector(session)
    other.active = False
    await templates.create_template(
        session, COORDINATOR, tuesdays_14_16(other), horizon_days=28, now=NOW
    )
    await session.commit()
    assert await count_slots(session, other.id) == 0


async def test_editing_a_template_replaces_its_free_slots_and_never_touches_held_or_booked_ones(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    saved = await every_day_14_15(session, effector, horizon_days=7)
    by_start = {s.start_at: s for s in await slots_of(session, effector.id)}
    booked = by_start[in_days(1, 14)]
    held = by_start[in_days(2, 14)]
    appointment = await book(session, booked)
    await booking.hold(session, held.id, "operator:test")
    await session.commit()

    result = await templates.update_template(
        session,
        COORDINATOR,
        saved.id,
        TemplatePatch(start_time=time(15), end_time=time(16)),
        horizon_days=7,
    )
    await session.commit()

    assert result.slots_removed == saved.slots_created - 2
    remaining = await slots_of(session, effector.id)
    at_14 = [s for s in remaining if s.start_at.astimezone(PARIS).hour == 14]
    assert {(s.id, s.status) for s in at_14} == {(booked.id, "booked"), (held.id, "held")}
    assert in_days(1, 15) in {s.start_at for s in remaining}  # the new hours are open
    assert all(s.template_id == saved.id for s in remaining)
    assert (
        await session.scalar(select(Appointment.status).where(Appointment.id == appointment.id))
        == "booked"
    )


async def test_deleting_a_template_removes_its_future_free_slots_only(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    saved = await every_day_14_15(session, effector, horizon_days=7)
    booked = next(s for s in await slots_of(session, effector.id) if s.start_at == in_days(1, 14))
    await book(session, booked)

    removed = await templates.delete_template(session, COORDINATOR, saved.id)
    await session.commit()

    assert removed == saved.slots_created - 1
    [kept] = await slots_of(session, effector.id)
    assert (kept.id, kept.status, kept.template_id) == (booked.id, "booked", None)


async def test_the_scheduler_job_materialises_every_template(session: AsyncSession) -> None:
    assert {"agenda.materialise_templates", "agenda.refresh_ics_subscriptions"} <= set(
        scheduler.registered_jobs()
    )
    effector = await create_effector(session)
    session.add(
        AvailabilityTemplate(
            effector_id=effector.id,
            site_id=effector.sites[0].id,
            weekdays="MO,TU,WE,TH,FR,SA,SU",
            start_time=time(14),
            end_time=time(15),
            slot_minutes=20,
            valid_from=in_days(0).date(),
            include_public_holidays=True,
        )
    )
    await session.commit()
    await jobs.materialise_templates(session)
    await session.commit()
    assert await count_slots(session, effector.id) >= 27 * 3  # 28 days (today may have passed)
