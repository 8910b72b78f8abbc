"""The ACI's arithmetic, pure (no database): contract years, each indicator's attainment rate,
the variable part earned and the money due. Hand-checked in tests/indicators/test_aci_rules.py.

- Contract year n (n >= 1) runs from the (n-1)-th anniversary of the signature to the day
  before the n-th (a 29 February signature has its anniversaries on 28 February).
- Attainment (the contract template's linear rule): 0 % at the baseline, 100 % at the target,
  linear in between, capped to [0 %, 100 %]: rate = (value - baseline) / (target - baseline).
  The same formula serves a decreasing indicator (target below baseline: the value must go
  down). When the target equals the baseline, reaching it (or doing better) is 100 %, else 0 %.
- An indicator without a value (a national figure not entered yet) has no rate: it earns
  nothing, and the year says which figures are missing.
- Variable part earned = variable amount x sum(weight x rate) / 100, weights in % of the
  variable part (they add up to 100 for a year).
- Advance = 75 % of the fixed part, paid at the start of the year; balance = fixed part - advance
  + variable part earned, due two months after the anniversary that ends the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from indicators.aci_amounts import ADVANCE_SHARE, BALANCE_MONTHS_AFTER_ANNIVERSARY

Direction = Literal["increasing", "decreasing"]


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has a 28th


def contract_year_bounds(signed_on: date, year: int) -> tuple[date, date]:
    """First and last day (both included) of contract year `year` (1-based)."""
    if year < 1:
        raise ValueError("contract years start at 1")
    start = _shift_years(signed_on, year - 1)
    return start, _shift_years(signed_on, year) - timedelta(days=1)


def contract_year_of(signed_on: date, day: date) -> int | None:
    """The contract year holding `day`, None before the signature."""
    if day < signed_on:
        return None
    year = max(1, day.year - signed_on.year)
    while contract_year_bounds(signed_on, year)[0] > day:
        year -= 1
    while contract_year_bounds(signed_on, year)[1] < day:
        year += 1
    return year


def attainment(
    value: float | None, baseline: float, target: float, direction: Direction
) -> float | None:
    """The attainment rate in [0, 1] (None without a value)."""
    if value is None:
        return None
    if target == baseline:
        reached = value >= target if direction == "increasing" else value <= target
        return 1.0 if reached else 0.0
    rate = (value - baseline) / (target - baseline)
    return min(1.0, max(0.0, rate))


@dataclass(frozen=True, slots=True)
class Money:
    fixed: float
    variable_max: float
    variable_earned: float
    total: float
    advance: float
    advance_date: date
    balance: float
    balance_due_by: date


def money(
    fixed: float,
    variable_max: float,
    weighted_rates: Sequence[tuple[float, float | None]],
    year_start: date,
    year_end: date,
) -> Money:
    """The year's amounts from (weight %, rate or None) of its indicators."""
    share = sum(weight * (rate or 0.0) for weight, rate in weighted_rates) / 100
    earned = round(variable_max * min(1.0, share), 2)
    advance = round(fixed * ADVANCE_SHARE, 2)
    anniversary = year_end + timedelta(days=1)
    return Money(
        fixed=fixed,
        variable_max=variable_max,
        variable_earned=earned,
        total=round(fixed + earned, 2),
        advance=advance,
        advance_date=year_start,
        balance=round(fixed - advance + earned, 2),
        balance_due_by=add_months(anniversary, BALANCE_MONTHS_AFTER_ANNIVERSARY),
    )


def projected(value_so_far: float, days_elapsed: int, days_in_year: int) -> float:
    """A count's value at the end of the year if the pace so far holds ("à ce rythme")."""
    if days_elapsed <= 0:
        return 0.0
    return value_so_far * days_in_year / days_elapsed
