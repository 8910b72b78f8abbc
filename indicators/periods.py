"""Periods and filters: Paris calendar buckets, the split of a period into whole months (read
from the rollups) and partial months (read from the rows), and the WHERE clauses of the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, or_

from indicators import labels
from indicators.models import IndAppointment, IndRequest, IndSupply
from indicators.schemas import Filters, Granularity
from snp.db import utcnow


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February -> 28 February
        return day.replace(year=day.year + years, day=28)


def bucket(day: date, granularity: Granularity) -> tuple[str, str]:
    if granularity == "month":
        return f"{day.year}-{day.month:02d}", f"{labels.MONTHS[day.month - 1]} {day.year}"
    if granularity == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return f"{day.year}-T{quarter}", f"T{quarter} {day.year}"
    return str(day.year), str(day.year)


def buckets(start: date, end: date, granularity: Granularity) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    day = start
    while day <= end:
        key, text = bucket(day, granularity)
        seen.setdefault(key, text)
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    key, text = bucket(end, granularity)
    seen.setdefault(key, text)
    return list(seen.items())


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


@dataclass(frozen=True, slots=True)
class Split:
    """[start, end] as whole months `first_month`..`last_month` (first days; None when the
    period holds no whole month) plus the days outside them, as at most two day ranges."""

    first_month: date | None
    last_month: date | None
    days: tuple[tuple[date, date], ...]


def split(start: date, end: date) -> Split:
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if _next_month(end) - timedelta(days=1) == end else end.replace(day=1)
    if first >= after:  # no whole month inside
        return Split(None, None, ((start, end),))
    days = []
    if start < first:
        days.append((start, first - timedelta(days=1)))
    if after <= end:
        days.append((after, end))
    last_month = (after - timedelta(days=1)).replace(day=1)
    return Split(first, last_month, tuple(days))


def split_settled(start: date, end: date, today: date) -> Split:
    """`split`, but the months from the current one on are read from the rows: a consultation
    recorded for a time still to come must not count, and only the rows know when it is."""
    current = today.replace(day=1)
    if end < current:
        return split(start, end)
    if start >= current:
        return Split(None, None, ((start, end),))
    head = split(start, current - timedelta(days=1))
    return Split(head.first_month, head.last_month, (*head.days, (current, end)))


def uses_rollups(f: Filters) -> bool:
    """The rollups hold national counts: a commune, origin or effector filter reads the rows."""
    return not (f.commune or f.origin or f.effector_id)


def request_filters(f: Filters, start: date, end: date) -> list[ColumnElement[bool]]:
    where = [IndRequest.received_date >= start, IndRequest.received_date <= end]
    if f.commune:
        where.append(IndRequest.commune_insee == f.commune)
    if f.origin:
        where.append(IndRequest.origin == f.origin)
    if f.effector_id:
        where.append(IndRequest.effector_id == f.effector_id)
    return where


def appointment_filters(f: Filters, start: date, end: date) -> list[ColumnElement[bool]]:
    """The appointments of [start, end] and the filters; a consultation recorded as seen for a
    time still to come is not one yet (left out)."""
    a = IndAppointment
    where = [
        a.start_date >= start,
        a.start_date <= end,
        or_(a.status != "fulfilled", a.start_at <= utcnow()),
    ]
    if f.commune:
        where.append(IndAppointment.site_commune == f.commune)
    if f.origin:
        where.append(IndAppointment.origin == f.origin)
    if f.effector_id:
        where.append(IndAppointment.effector_id == f.effector_id)
    return where


def supply_filters(f: Filters, start: date, end: date) -> list[ColumnElement[bool]]:
    where = [IndSupply.day >= start, IndSupply.day <= end]
    if f.commune:
        where.append(IndSupply.commune_insee == f.commune)
    if f.effector_id:
        where.append(IndSupply.effector_id == f.effector_id)
    return where
