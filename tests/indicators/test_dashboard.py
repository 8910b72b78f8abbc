"""Every indicator of the dashboard, checked to the exact value on the hand-built dataset
(tests/indicators/dataset.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from indicators.queries import compute_dashboard, nearest_rank
from indicators.schemas import Count, Dashboard, Filters
from tests.indicators import dataset


def counts(items: list[Count]) -> dict[str, int]:
    return {i.key: i.count for i in items}


async def dashboard(session: AsyncSession, **filters: object) -> Dashboard:
    values: dict[str, object] = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    values.update(filters)
    return await compute_dashboard(session, Filters.model_validate(values))


@pytest.fixture
async def loaded(session: AsyncSession) -> AsyncSession:
    await dataset.load(session)
    return session


async def test_national_indicator_counts_fulfilled_consultations_and_growth(
    loaded: AsyncSession,
) -> None:
    d = await dashboard(loaded)
    assert d.national.consultations == 35
    assert d.national.previous_year == 3
    assert d.national.growth_percent == 1066.7
    months = {p.period: p for p in d.national.periods}
    assert len(months) == 12
    assert (months["2026-01"].consultations, months["2026-01"].previous_year) == (5, 0)
    assert months["2026-01"].growth_percent is None  # nothing the year before
    assert months["2026-02"].consultations == 1  # the SAS booking without a request
    assert (months["2026-03"].consultations, months["2026-03"].growth_percent) == (2, 0.0)
    assert (months["2026-06"].consultations, months["2026-06"].previous_year) == (24, 1)
    assert months["2026-06"].growth_percent == 2300.0
    assert months["2026-10"].consultations == 3
    assert months["2026-06"].label == "juin 2026"


async def test_national_indicator_by_quarter_and_year(loaded: AsyncSession) -> None:
    quarters = await dashboard(loaded, granularity="quarter")
    assert [(p.period, p.consultations, p.previous_year) for p in quarters.national.periods] == [
        ("2026-T1", 8, 2),
        ("2026-T2", 24, 1),
        ("2026-T3", 0, 0),
        ("2026-T4", 3, 0),
    ]
    years = await dashboard(loaded, granularity="year")
    assert [(p.period, p.consultations, p.previous_year) for p in years.national.periods] == [
        ("2026", 35, 3)
    ]
    previous = await dashboard(loaded, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert (previous.national.consultations, previous.national.previous_year) == (3, 0)


async def test_requests_by_origin_channel_outcome_and_period(loaded: AsyncSession) -> None:
    r = (await dashboard(loaded)).requests
    assert r.total == 47
    assert counts(r.by_origin) == {
        "patient_call": 36,
        "pharmacist": 3,
        "nurse": 2,
        "emergency_department": 4,
        "sas": 1,
        "other": 1,
    }
    assert counts(r.by_channel) == {"phone": 37, "form": 9, "sas": 1}
    assert counts(r.by_outcome) == {
        "slot_booked": 36,
        "medical_advice": 2,
        "redirected_15": 1,
        "teleconsultation": 1,
        "pharmacist": 1,
        "emergency_department": 1,
        "transferred_regulator": 1,
        "unreachable": 1,
        "cancelled_by_patient": 1,
        "no_slot_found": 1,
        "open": 1,
    }
    by_month = counts(r.by_period)
    assert by_month["2026-01"] == 7
    assert by_month["2026-02"] == 0
    assert by_month["2026-03"] == 6
    assert by_month["2026-06"] == 24
    assert by_month["2026-10"] == 8
    assert by_month["2026-11"] == 2


async def test_delays_count_exactly_24_and_48_hours_as_within(loaded: AsyncSession) -> None:
    x = (await dashboard(loaded)).delays
    assert x.slot_requests == 36
    assert x.consulted == 34  # one no-show, one to reschedule
    # 24 h 00 and 23 h (spring change) are within 24 h; 24 h 01 and 25 h (autumn) are not.
    assert x.within_24h == 30
    assert x.within_48h == 33  # 48 h 00 is within, 48 h 01 is not
    assert (x.share_24h_percent, x.share_48h_percent) == (83.3, 91.7)
    assert x.median_minutes == 320  # rank 17 of 34
    assert x.p90_minutes == 1441  # rank 31 of 34
    assert (x.callbacks, x.callback_median_minutes, x.callback_p90_minutes) == (3, 30, 45)


async def test_daylight_saving_changes_put_requests_in_their_paris_hour(
    loaded: AsyncSession,
) -> None:
    d = await dashboard(loaded, start=date(2026, 3, 28), end=date(2026, 3, 29))
    assert d.delays.within_24h == 2  # 10:00 -> 10:00 next day is 23 h; 11:00 -> 12:00 is 24 h
    hours = {row.key: row for row in d.supply_demand.by_hour}
    assert hours["1"].requests == 1  # 01:30 CET, just before the change
    autumn = await dashboard(loaded, start=date(2026, 10, 25), end=date(2026, 10, 25))
    hours = {row.key: row for row in autumn.supply_demand.by_hour}
    assert hours["2"].requests == 2  # 02:30 CEST and 02:30 CET: both on 25 October at 02 h
    assert autumn.requests.total == 2


async def test_slots_outcomes_fill_and_noshow_rates(loaded: AsyncSession) -> None:
    s = (await dashboard(loaded)).slots
    assert (s.offered, s.booked_now, s.free) == (33, 27, 6)
    assert s.fill_rate_percent == 81.8
    assert (s.appointments, s.fulfilled, s.noshow, s.cancelled, s.rescheduled, s.pending) == (
        38,
        35,
        1,
        1,
        1,
        0,
    )
    assert s.noshow_rate_percent == 2.8
    assert (s.sent_to_ed, s.hospitalised) == (1, 1)


async def test_per_effector_offered_seen_noshows_and_fee(loaded: AsyncSession) -> None:
    rows = {
        e.effector_id: (e.offered, e.booked, e.seen, e.noshows, e.snp_fee_eligible)
        for e in (await dashboard(loaded)).effectors
    }
    assert rows == {1: (7, 6, 6, 0, 6), 2: (2, 5, 5, 0, 2), 3: (24, 25, 24, 1, 21)}


async def test_snp_fee_rules_and_weekly_cap(loaded: AsyncSession) -> None:
    fee = (await dashboard(loaded)).snp_fee
    assert fee.weekly_cap == 20
    assert (fee.fulfilled, fee.eligible) == (35, 29)
    assert fee.not_eligible_own_patient == 1
    assert fee.not_eligible_delay == 2  # 48 h 01, and the booking without regulation
    assert fee.not_eligible_cap == 3  # 23 candidates in effector 3's week of 15 June


async def test_snp_fee_cap_counts_the_whole_paris_week_whatever_the_period(
    loaded: AsyncSession,
) -> None:
    fee = (await dashboard(loaded, start=date(2026, 6, 17), end=date(2026, 6, 22))).snp_fee
    # Sunday 23:40 is the 23rd of its week (over the cap); Monday 00:10 Paris is the first of
    # the next week although it is still Sunday in UTC.
    assert (fee.fulfilled, fee.eligible, fee.not_eligible_cap) == (2, 1, 1)


async def test_emergency_referrals_and_visits_avoided(loaded: AsyncSession) -> None:
    e = (await dashboard(loaded)).emergency
    assert (e.ed_referrals, e.ed_referrals_handled_in_town) == (4, 2)
    assert e.would_have_gone_to_ed == 2
    assert e.ed_visits_avoided == 4


async def test_supply_versus_demand_by_hour_and_commune(loaded: AsyncSession) -> None:
    d = await dashboard(loaded)
    hours = {r.key: (r.requests, r.offered, r.free) for r in d.supply_demand.by_hour}
    assert len(hours) == 24
    assert hours["8"] == (25, 0, 0)
    assert hours["9"] == (6, 27, 3)
    assert hours["10"] == (7, 6, 3)
    assert hours["2"] == (2, 0, 0)
    assert sum(r for r, _, _ in hours.values()) == 47
    communes = {r.key: (r.requests, r.offered, r.free) for r in d.supply_demand.by_commune}
    assert communes == {"35236": (39, 31, 6), "44003": (7, 2, 0), "?": (1, 0, 0)}


async def test_satisfaction_when_present(loaded: AsyncSession) -> None:
    s = (await dashboard(loaded)).satisfaction
    assert (s.answers, s.average) == (3, 3.67)
    assert counts(s.distribution) == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    nothing = (
        await dashboard(loaded, start=date(2026, 10, 1), end=date(2026, 10, 31))
    ).satisfaction
    assert (nothing.answers, nothing.average) == (0, None)


async def test_filters_month_origin_effector_and_commune(loaded: AsyncSession) -> None:
    january = await dashboard(loaded, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert (january.requests.total, january.national.consultations) == (7, 5)
    assert [p.period for p in january.national.periods] == ["2026-01"]

    ed = await dashboard(loaded, origin="emergency_department")
    assert ed.requests.total == 4
    assert (ed.delays.slot_requests, ed.delays.within_24h) == (1, 1)
    assert ed.slots.fulfilled == 1

    third = await dashboard(loaded, effector_id=3)
    assert third.requests.total == 27
    assert third.national.consultations == 24
    assert third.snp_fee.eligible == 21
    assert third.slots.offered == 24

    savenay = await dashboard(loaded, commune="44003")
    assert savenay.requests.total == 7  # the patients' commune
    assert savenay.national.consultations == 5  # the sites' commune
    assert savenay.snp_fee.eligible == 2


async def test_empty_period_gives_zeros_not_errors(loaded: AsyncSession) -> None:
    d = await dashboard(loaded, start=date(2024, 1, 1), end=date(2024, 1, 31))
    assert d.requests.total == 0
    assert d.delays.share_24h_percent is None
    assert d.delays.median_minutes is None
    assert d.slots.fill_rate_percent is None


def test_nearest_rank_percentile() -> None:
    assert nearest_rank([(10, 1), (20, 1), (30, 1), (40, 1)], 1, 2) == 20
    assert nearest_rank([(10, 1), (20, 1), (30, 1)], 1, 2) == 20
    assert nearest_rank([(5, 9), (100, 1)], 9, 10) == 5
    assert nearest_rank([(5, 8), (100, 2)], 9, 10) == 100
    assert nearest_rank([], 1, 2) is None
