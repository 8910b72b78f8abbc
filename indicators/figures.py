"""The grouped counts behind the dashboard, read from the monthly rollups for the whole months of
the period and from the rows for the rest (and for everything when the dashboard is filtered by
commune, origin or effector), then added up: every count is a sum over disjoint days, so the
two sources give the same figures (`rollups` keeps them exact).

Rows are read with one GROUP BY per grouping, each served by a covering index (index-only scans
on PostgreSQL). (Tried: one PostgreSQL statement with GROUPING SETS for all the request
groupings: one scan, but no parallel workers and sorted sets; 1.1 s against 0.74 s for six
queries on 1.5 million requests.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from indicators import models as m
from indicators import periods
from indicators.fee_ranks import fee_class_sql
from indicators.rollups import BOOKED_STATUSES, NOT_CONSULTED
from indicators.schemas import Filters
from indicators.timeutil import paris
from snp.db import utcnow

Combo = tuple[str, str, str | None, bool | None]  # origin, channel, outcome, would_go_to_ed
# Per effector: appointments (any status), booked, seen, no-shows, fee candidates, offered, and
# among the offered: from a weekly recurring availability, from a calendar import.
EFFECTOR_FIELDS = 8


@dataclass
class Figures:
    """Counts by key. Days of whole months are keyed by the month's first day."""

    combos: Counter[Combo] = field(default_factory=Counter)
    request_days: Counter[date] = field(default_factory=Counter)
    request_hours: Counter[int] = field(default_factory=Counter)
    request_communes: Counter[str | None] = field(default_factory=Counter)
    # Slot-oriented requests by minutes to the consultation that took place (None: none did).
    slot_requests: Counter[int | None] = field(default_factory=Counter)
    callbacks: Counter[int] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    fulfilled_after_care: Counter[str | None] = field(default_factory=Counter)
    fulfilled_fee_class: Counter[str] = field(default_factory=Counter)  # own, candidate, other
    satisfaction: Counter[int] = field(default_factory=Counter)
    effectors: dict[int, list[int]] = field(default_factory=dict)
    supply_hours: dict[int, list[int]] = field(default_factory=dict)  # offered, booked, free
    supply_communes: dict[str, list[int]] = field(default_factory=dict)


def _add(
    target: dict[Any, list[int]], key: Any, values: tuple[Any, ...], at: int = 0, size: int = 3
) -> None:
    row = target.setdefault(key, [0] * size)
    for i, value in enumerate(values):
        row[at + i] += int(value or 0)


async def _rows(session: AsyncSession, statement: Any) -> list[Any]:
    return list((await session.execute(statement)).all())


async def from_rollups(session: AsyncSession, first: date, last: date, out: Figures) -> None:
    """Adds the months [first, last] (first days) from the rollups."""
    q = m.IndRequestMonth
    combo_cols = (q.month, q.origin, q.channel, q.outcome, q.would_go_to_ed)
    statement: Any = select(*combo_cols, func.sum(q.requests)).where(q.month.between(first, last))
    for month, origin, channel, outcome, would_go, n in await _rows(
        session, statement.group_by(*combo_cols)
    ):
        out.combos[origin, channel, outcome or None, would_go] += int(n)
        out.request_days[month] += int(n)

    d = m.IndRequestDelay
    statement = select(d.kind, d.minutes, func.sum(d.requests)).where(d.month.between(first, last))
    for kind, minutes, n in await _rows(session, statement.group_by(d.kind, d.minutes)):
        if kind == "callback":
            out.callbacks[minutes] += int(n)
        else:
            out.slot_requests[None if minutes == NOT_CONSULTED else minutes] += int(n)

    h = m.IndHourMonth
    statement = select(h.hour, *(func.sum(c) for c in (h.requests, h.offered, h.booked, h.free)))
    for hour, requests, *offer in await _rows(
        session, statement.where(h.month.between(first, last)).group_by(h.hour)
    ):
        _supply_and_demand(out.request_hours, out.supply_hours, hour, requests, offer)
    c = m.IndCommuneMonth
    sums = (func.sum(c.requests), func.sum(c.offered), func.sum(c.booked), func.sum(c.free))
    statement = select(c.commune_insee, *sums)
    for commune, requests, *offer in await _rows(
        session, statement.where(c.month.between(first, last)).group_by(c.commune_insee)
    ):
        demand: Counter[str | None] = out.request_communes
        if requests:
            demand[commune or None] += int(requests)
        if any(offer):
            _add(out.supply_communes, commune, tuple(offer))

    a = m.IndAppointmentMonth
    cols = (a.status, a.after_care, a.fee_class, a.satisfaction)
    statement = select(*cols, func.sum(a.appointments)).where(a.month.between(first, last))
    for status, after_care, fee_class, score, n in await _rows(session, statement.group_by(*cols)):
        _appointments(out, status, after_care or None, fee_class, score or None, int(n))

    e = m.IndEffectorMonth
    counts = (
        e.appointments,
        e.booked,
        e.seen,
        e.noshows,
        e.fee_candidates,
        e.offered,
        e.recurring,
        e.imported,
    )
    statement = select(e.effector_id, *(func.sum(c) for c in counts))
    for effector_id, *values in await _rows(
        session, statement.where(e.month.between(first, last)).group_by(e.effector_id)
    ):
        _add(out.effectors, effector_id, tuple(values), size=EFFECTOR_FIELDS)


def _supply_and_demand(
    demand: Counter[int], supply: dict[int, list[int]], key: int, requests: int, offer: list[int]
) -> None:
    if requests:
        demand[key] += int(requests)
    if any(offer):
        _add(supply, key, tuple(offer))


def _appointments(
    out: Figures,
    status: str,
    after_care: str | None,
    fee_class: str,
    score: int | None,
    n: int,
) -> None:
    out.statuses[status] += n
    if status == "fulfilled":
        out.fulfilled_after_care[after_care] += n
        out.fulfilled_fee_class[fee_class] += n
    if score is not None:
        out.satisfaction[score] += n


async def from_rows(
    session: AsyncSession, f: Filters, start: date, end: date, out: Figures
) -> None:
    """Adds the Paris days [start, end] from the read-model rows, with the filters."""
    r = m.IndRequest
    where = periods.request_filters(f, start, end)

    async def grouped(*columns: Any, extra: tuple[Any, ...] = ()) -> list[Any]:
        statement = select(*columns, func.count()).where(*where, *extra).group_by(*columns)
        return await _rows(session, statement)

    for day, origin, channel, outcome, would_go, n in await grouped(
        r.received_date, r.origin, r.channel, r.outcome, r.would_go_to_ed
    ):
        out.combos[origin, channel, outcome, would_go] += n
        out.request_days[day] += n
    out.request_hours.update(dict(await grouped(r.received_hour)))
    out.request_communes.update(dict(await grouped(r.commune_insee)))
    seen = case((r.appointment_status == "fulfilled", r.consultation_minutes), else_=None)
    out.slot_requests.update(
        dict(await grouped(seen.label("seen"), extra=(r.outcome == "slot_booked",)))
    )
    out.callbacks.update(
        dict(await grouped(r.callback_minutes, extra=(r.callback_minutes.is_not(None),)))
    )

    a = m.IndAppointment
    fee_class = fee_class_sql().label("fee_class")
    columns = (a.effector_id, a.status, a.after_care, fee_class, a.satisfaction)
    statement: Any = (
        select(*columns, func.count())
        .where(*periods.appointment_filters(f, start, end))
        .group_by(*columns)
    )
    for effector_id, status, after_care, fee, score, n in await _rows(session, statement):
        _appointments(out, status, after_care, fee, score, n)
        booked = status in BOOKED_STATUSES
        seen_now, noshow = status == "fulfilled", status == "noshow"
        candidate = seen_now and fee == "candidate"
        counts = (n, n * booked, n * seen_now, n * noshow, n * candidate)
        _add(out.effectors, effector_id, counts, size=EFFECTOR_FIELDS)

    s = m.IndSupply
    supply_where = periods.supply_filters(f, start, end)
    sums = (func.sum(s.offered), func.sum(s.booked), func.sum(s.free))
    by_source = (sums[0], func.sum(s.recurring), func.sum(s.imported))
    statement = select(s.effector_id, *by_source).where(*supply_where).group_by(s.effector_id)
    for effector_id, *offered in await _rows(session, statement):
        _add(out.effectors, effector_id, tuple(offered), at=5, size=EFFECTOR_FIELDS)
    for key, target in ((s.hour, out.supply_hours), (s.commune_insee, out.supply_communes)):
        statement = select(key, *sums).where(*supply_where).group_by(key)
        for k, *offer in await _rows(session, statement):
            _add(target, k, tuple(offer))


async def collect(session: AsyncSession, f: Filters) -> Figures:
    """Every grouped count of the period and filters."""
    out = Figures()
    if not periods.uses_rollups(f):
        await from_rows(session, f, f.start, f.end, out)
        return out
    parts = periods.split_settled(f.start, f.end, paris(utcnow()).date())
    if parts.first_month is not None and parts.last_month is not None:
        await from_rollups(session, parts.first_month, parts.last_month, out)
    for start, end in parts.days:
        await from_rows(session, f, start, end, out)
    return out
