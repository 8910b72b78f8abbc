"""The ACI's arithmetic, checked by hand: contract years from the signature's anniversary,
the template's linear attainment rule and its edges, the money of a year, and the amounts of
each CPTS size as written in instruction DGOS/DIR/CNAM/2019/218."""

from __future__ import annotations

from datetime import date

import pytest

from indicators.aci_amounts import AMOUNTS, SizeAmounts
from indicators.aci_rules import (
    attainment,
    contract_year_bounds,
    contract_year_of,
    money,
    projected,
)


@pytest.mark.parametrize(
    ("size", "running", "fixed", "gp", "orientation"),
    [
        (1, 50_000, 15_000, 10_000, 35_000),
        (2, 60_000, 17_500, 12_000, 45_000),
        (3, 75_000, 25_000, 15_000, 55_000),
        (4, 90_000, 30_000, 20_000, 70_000),
    ],
)
def test_amounts_of_each_size_are_the_instructions(
    size: int, running: int, fixed: int, gp: int, orientation: int
) -> None:
    # "en deux parts égales": the variable part at 100 % equals the fixed part.
    assert AMOUNTS[size] == SizeAmounts(running, fixed, fixed, gp, orientation)


def test_contract_years_run_from_the_anniversary_of_the_signature() -> None:
    signed = date(2025, 3, 15)
    assert contract_year_bounds(signed, 1) == (date(2025, 3, 15), date(2026, 3, 14))
    assert contract_year_bounds(signed, 2) == (date(2026, 3, 15), date(2027, 3, 14))
    assert contract_year_of(signed, date(2026, 3, 14)) == 1
    assert contract_year_of(signed, date(2026, 3, 15)) == 2
    assert contract_year_of(signed, date(2025, 3, 14)) is None
    # A 29 February signature has its anniversaries on 28 February.
    assert contract_year_bounds(date(2024, 2, 29), 2) == (date(2025, 2, 28), date(2026, 2, 27))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (900, 0.0),  # below the baseline: nothing, never negative
        (1000, 0.0),  # on the baseline
        (1100, 0.5),  # halfway
        (1200, 1.0),  # exactly on target
        (1500, 1.0),  # above target: capped at 100 %
        (None, None),  # no figure yet
    ],
)
def test_increasing_indicator_is_linear_between_baseline_and_target(
    value: float | None, expected: float | None
) -> None:
    assert attainment(value, 1000, 1200, "increasing") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(85, 0.0), (80, 0.0), (72, 0.8), (70, 1.0), (60, 1.0)],
)
def test_decreasing_indicator_must_go_down(value: float, expected: float) -> None:
    # Emergency visits not followed by hospitalisation: 80 % today, 70 % wanted.
    assert attainment(value, 80, 70, "decreasing") == pytest.approx(expected)


def test_a_target_equal_to_its_baseline_is_all_or_nothing() -> None:
    assert attainment(50, 50, 50, "increasing") == 1.0
    assert attainment(49, 50, 50, "increasing") == 0.0
    assert attainment(51, 50, 50, "decreasing") == 0.0


def test_money_of_a_hand_computed_year() -> None:
    # Size 2: 17,500 € fixed + up to 17,500 € variable. Four indicators:
    # 40 % at 50 %, 20 % at 80 % (decreasing), 20 % exactly on target, 20 % below baseline.
    rates = [(40.0, 0.5), (20.0, 0.8), (20.0, 1.0), (20.0, 0.0)]
    m = money(17_500, 17_500, rates, date(2025, 3, 15), date(2026, 3, 14))
    assert m.variable_earned == 9_800  # 17,500 x (0.20 + 0.16 + 0.20 + 0)
    assert m.total == 27_300
    assert (m.advance, m.advance_date) == (13_125, date(2025, 3, 15))  # 75 % of the fixed part
    assert m.balance == 17_500 - 13_125 + 9_800
    # "dans les deux mois suivant la date anniversaire"
    assert m.balance_due_by == date(2026, 5, 15)


def test_a_missing_national_figure_earns_nothing_until_entered() -> None:
    rates: list[tuple[float, float | None]] = [(40.0, 0.5), (20.0, 0.8), (20.0, 1.0), (20.0, None)]
    m = money(17_500, 17_500, rates, date(2025, 3, 15), date(2026, 3, 14))
    assert m.variable_earned == 9_800


def test_at_this_pace_extrapolates_a_count_over_the_whole_year() -> None:
    assert projected(100, days_elapsed=73, days_in_year=365) == 500
    assert projected(100, days_elapsed=0, days_in_year=365) == 0
