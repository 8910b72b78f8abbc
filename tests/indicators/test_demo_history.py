"""The demo history looks like real SNP activity: consultations in GPs' office hours (never at
night, never on Sunday), more requests on weekdays than at the weekend and in winter than in
summer, no outcome recorded for a consultation still to come."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from indicators.demo import build_rows
from indicators.timeutil import paris

TODAY = date(2026, 12, 5)


def test_consultations_fall_in_office_hours_and_weekdays() -> None:
    effectors = [(i, "35236") for i in range(1, 11)]
    requests, appointments, _ = build_rows(effectors, ["35236", "35013"], TODAY)
    assert len(appointments) > 500
    starts = [paris(a["start_at"]) for a in appointments]
    assert all(8 <= s.hour < 20 for s in starts)
    assert not [s for s in starts if s.weekday() == 6]
    assert not [s for s in starts if s.weekday() == 5 and s.hour >= 12]
    assert not [
        a
        for a in appointments
        if a["start_date"] >= TODAY and a["status"] != "booked" and a["status"] != "cancelled"
    ]

    per_day: dict[date, int] = defaultdict(int)
    for r in requests:
        per_day[r["received_date"]] += 1
    weekdays = [n for d, n in per_day.items() if d.weekday() < 5]
    sundays = [n for d, n in per_day.items() if d.weekday() == 6]
    assert sum(weekdays) / len(weekdays) > 1.5 * sum(sundays) / len(sundays)
    winter = [n for d, n in per_day.items() if d.month in (12, 1) and d.year == 2025]
    summer = [n for d, n in per_day.items() if d.month in (7, 8) and d.year == 2025]
    assert sum(winter) / len(winter) > 1.2 * sum(summer) / len(summer)
