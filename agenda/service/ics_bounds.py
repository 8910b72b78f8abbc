"""Bounded work for untrusted calendars: what a recurrence would cost is estimated before it is
expanded, and calendars over the budget are refused.

`dateutil` expands a rule from its DTSTART, step by step, even to answer "which occurrences fall
in the next 28 days": `RRULE:FREQ=SECONDLY` from 1970 is 1.7 billion steps (a 224-byte file that
froze the server for minutes). Nothing can interrupt it once started, so the cost is bounded
before: for every recurring availability event, the steps from its start to the end of the
horizon (or its UNTIL) times what its BY-rules multiply each step into, summed over the
calendar, must stay under `ics_max_expansion`. Sub-hourly frequencies are refused outright (no
availability repeats every minute). The expansion then runs in a worker thread, a few at a time,
under a wall-clock budget, and the occurrences it yields are capped too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

import icalendar

_FREQ_SECONDS = {
    "HOURLY": 3_600,
    "DAILY": 86_400,
    "WEEKLY": 604_800,
    "MONTHLY": 2_419_200,  # the shortest month, to over-estimate the steps
    "YEARLY": 31_536_000,
}
_TOO_FINE = {"SECONDLY", "MINUTELY"}
# What one step of a frequency may be multiplied into by day-level BY-rules, at most.
_DAYS_PER_STEP = {"HOURLY": 1, "DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
_DAY_PARTS = ("BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS")


class TooCostly(Exception):
    """The calendar asks for more expansion than allowed; the message is for the user."""


def _as_utc(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    return None


def _values(rule: Any, part: str) -> list[Any]:
    value = rule.get(part)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def rule_cost(rule: Any, start: datetime, horizon_end: datetime) -> int:
    """Upper bound of the steps `dateutil` takes to expand `rule` from `start` to
    `horizon_end`, each step counted once per occurrence its BY-rules may make of it."""
    freq = str((_values(rule, "FREQ") or [""])[0]).upper()
    if freq in _TOO_FINE:
        raise TooCostly(
            "Calendrier refusé : une répétition toutes les secondes ou toutes les minutes "
            "n'est pas une disponibilité."
        )
    step = _FREQ_SECONDS.get(freq)
    if step is None:
        raise TooCostly("Calendrier refusé : fréquence de répétition inconnue.")
    try:
        interval = max(1, int((_values(rule, "INTERVAL") or [1])[0]))
    except (TypeError, ValueError):
        interval = 1
    end = horizon_end
    until = _as_utc((_values(rule, "UNTIL") or [None])[0])
    if until is not None:
        end = min(end, until)
    seconds = max(0.0, (end - start).total_seconds())
    steps = int(seconds // (step * interval)) + 1
    per_step = 1
    if any(_values(rule, part) for part in _DAY_PARTS):
        per_step *= _DAYS_PER_STEP[freq]
    if freq != "HOURLY":
        per_step *= max(1, len(_values(rule, "BYHOUR")))
    per_step *= max(1, len(_values(rule, "BYMINUTE")))
    per_step *= max(1, len(_values(rule, "BYSECOND")))
    return steps * per_step


def expansion_cost(events: Iterable[icalendar.cal.Component], horizon_end: datetime) -> int:
    """The summed cost of expanding `events` up to `horizon_end` (raises `TooCostly` for a
    rule no availability has)."""
    total = 0
    for event in events:
        start = _as_utc(event.decoded("DTSTART", None))
        rules = event.get("RRULE")
        rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
        if start is None:
            continue
        for rule in rules:
            total += rule_cost(rule, start, horizon_end)
        for rdate in _values(event, "RDATE"):
            total += len(getattr(rdate, "dts", [rdate]))
    return total
