"""Quiet hours for effectors (except same-day appointments), reminders, French times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from notifications.service.timing import (
    effector_send_at,
    paris_date,
    paris_time,
    quiet_until,
    reminder_at,
)

PARIS = ZoneInfo("Europe/Paris")
START, END = time(20, 0), time(8, 0)


def paris(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def test_times_read_the_french_way_in_europe_paris() -> None:
    moment = datetime(2026, 11, 24, 13, 30, tzinfo=UTC)  # 14:30 in Paris (winter)
    assert paris_date(moment) == "mar. 24/11"
    assert paris_time(moment) == "14h30"
    summer = datetime(2026, 7, 1, 6, 5, tzinfo=UTC)  # 08:05 in Paris (summer time)
    assert paris_time(summer) == "08h05"


def test_quiet_hours_span_midnight() -> None:
    assert quiet_until(paris(24, 19, 59), START, END) is None
    assert quiet_until(paris(24, 20, 0), START, END) == paris(25, 8, 0)
    assert quiet_until(paris(24, 23, 30), START, END) == paris(25, 8, 0)
    assert quiet_until(paris(25, 3, 0), START, END) == paris(25, 8, 0)
    assert quiet_until(paris(25, 8, 0), START, END) is None
    assert quiet_until(paris(24, 23, 0), time(8, 0), time(8, 0)) is None  # none configured


def test_quiet_hours_within_a_day() -> None:
    assert quiet_until(paris(24, 12, 30), time(12, 0), time(14, 0)) == paris(24, 14, 0)
    assert quiet_until(paris(24, 14, 30), time(12, 0), time(14, 0)) is None


def test_an_effector_sms_at_night_waits_for_the_morning() -> None:
    booked_at = paris(24, 22, 15)
    tomorrow_afternoon = paris(25, 15, 0)
    assert effector_send_at(booked_at, tomorrow_afternoon, START, END) == paris(25, 8, 0)
    assert effector_send_at(paris(24, 10, 0), tomorrow_afternoon, START, END) == paris(24, 10, 0)


def test_a_same_day_booking_is_sent_at_once_even_in_quiet_hours() -> None:
    late = paris(24, 21, 0)
    assert effector_send_at(late, paris(24, 22, 30), START, END) == late
    early = paris(25, 6, 30)
    assert effector_send_at(early, paris(25, 9, 0), START, END) == early


def test_an_appointment_before_the_end_of_the_quiet_hours_is_sent_at_once() -> None:
    night = paris(24, 23, 30)
    assert effector_send_at(night, paris(25, 7, 30), START, END) == night


def test_quiet_hours_end_at_local_time_across_a_dst_change() -> None:
    # Night of 24 to 25 October 2026: clocks go back at 03:00 (UTC+2 -> UTC+1).
    until = quiet_until(paris(24, 22, 0, month=10), START, END)
    assert until == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)  # 08:00 UTC+1


def test_the_reminder_is_two_hours_before_unless_too_close_or_off() -> None:
    now = paris(24, 9, 0)
    assert reminder_at(paris(24, 15, 0), 120, now) == paris(24, 13, 0)
    assert reminder_at(paris(24, 11, 20), 120, now) is None  # would be in 20 min: no
    assert reminder_at(paris(24, 11, 0), 120, now) is None
    assert reminder_at(paris(24, 15, 0), 0, now) is None
    assert reminder_at(paris(25, 9, 0), 120, now) == paris(25, 7, 0)
    assert reminder_at(paris(24, 11, 31), 120, now) == now + timedelta(minutes=31)
