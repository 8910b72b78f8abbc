"""Paris calendar helpers shared by the read model writers and the queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from snp.kit import PARIS


def paris(value: datetime) -> datetime:
    return value.astimezone(PARIS)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from `start` to `end`, rounded UP (so `<= 1440` is exactly "within 24 h":
    86,400 s gives 1440, 86,401 s gives 1441). Negative spans count as 0."""
    # In UTC: Python subtracts two datetimes sharing one tzinfo as wall-clock times, which is
    # off by an hour across a daylight-saving change.
    seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    if seconds <= 0:
        return 0
    return -int(-seconds // 60)


def day_start_utc(day: date) -> datetime:
    """Midnight of a Paris calendar day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


def as_date(value: object) -> date:
    """A date read back from SQL (SQLite returns computed dates as text, PostgreSQL as dates)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
