"""Keeping the monthly rollups exact (see `models`).

Three ways in, one definition of what a row counts for:
- `request_contribution` / `appointment_contribution`: what one read-model row adds to the
  rollups; `sync` defers (new contribution - old contribution) with `defer`, and the whole
  transaction's deltas are applied at its commit as upserts `count = count + delta` (safe
  under concurrent writers: the row lock orders them), in one fixed key order (no deadlock
  between two writers).
- `slot_contribution`: what one slot adds to its supply cell (`IndSupply`, kept by the same
  deltas) and to the rollups; `supply` defers (after - before) for every `SlotsChanged`.
- `fee_ranks.rerank`: the SNP fee ranks of the effector-weeks a write touches.
- `rebuild_all`: the same figures (and the fee ranks) recomputed in SQL from the rows (the
  `rebuild` command, the demo loader, bulk loads).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    and_,
    case,
    delete,
    event,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from indicators import fee_ranks
from indicators.models import (
    IndAppointment,
    IndAppointmentMonth,
    IndCommuneMonth,
    IndEffectorMonth,
    IndHourMonth,
    IndRequest,
    IndRequestDelay,
    IndRequestMonth,
    IndSupply,
)
from indicators.timeutil import paris
from snp.db import Base

BOOKED_STATUSES = ("booked", "fulfilled", "noshow")
NOT_CONSULTED = -1  # the consultation histogram's bucket for slot requests never seen
ROLLUPS: tuple[type[Base], ...] = (
    IndRequestMonth,
    IndRequestDelay,
    IndHourMonth,
    IndCommuneMonth,
    IndAppointmentMonth,
    IndEffectorMonth,
)

Key = tuple[type[Base], tuple[Any, ...]]
Deltas = dict[Key, dict[str, int]]


class month_start(FunctionElement[date]):
    """First day of the month of a date column, in SQL (both databases)."""

    type = Date()
    inherit_cache = True


@compiles(month_start, "postgresql")
def _month_start_pg(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: month_start, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _seen_minutes(row: IndRequest) -> int:
    if row.appointment_status == "fulfilled" and row.consultation_minutes is not None:
        return row.consultation_minutes
    return NOT_CONSULTED


def request_contribution(row: IndRequest) -> Deltas:
    month = first_of_month(row.received_date)
    combo = (month, row.origin, row.channel, row.outcome or "", bool(row.would_go_to_ed))
    out: Deltas = {
        (IndRequestMonth, combo): {"requests": 1},
        (IndHourMonth, (month, row.received_hour)): {"requests": 1},
        (IndCommuneMonth, (month, row.commune_insee or "")): {"requests": 1},
    }
    if row.outcome == "slot_booked":
        out[IndRequestDelay, (month, "consultation", _seen_minutes(row))] = {"requests": 1}
    if row.callback_minutes is not None:
        out[IndRequestDelay, (month, "callback", row.callback_minutes)] = {"requests": 1}
    return out


def appointment_contribution(row: IndAppointment) -> Deltas:
    month = first_of_month(row.start_date)
    fee = fee_ranks.fee_class(row.own_patient, row.delay_minutes)
    status = row.status
    key = (month, status, row.after_care or "", fee, row.satisfaction or 0)
    return {
        (IndAppointmentMonth, key): {"appointments": 1},
        (IndEffectorMonth, (month, row.effector_id)): {
            "appointments": 1,
            "booked": int(status in BOOKED_STATUSES),
            "seen": int(status == "fulfilled"),
            "noshows": int(status == "noshow"),
            "fee_candidates": int(status == "fulfilled" and fee == "candidate"),
        },
    }


def slot_contribution(
    effector_id: int, commune_insee: str, start_at: datetime, source: str, *, booked: bool
) -> Deltas:
    """One slot (free or held: `booked` False) in its Paris day and hour; `source` is agenda's
    (`template`: a weekly recurring availability, `ics`: a calendar import, `manual`...)."""
    local = paris(start_at)
    day, hour = local.date(), local.hour
    month = first_of_month(day)
    counts = {"offered": 1, "booked": int(booked), "free": int(not booked)}
    origin = {"recurring": int(source == "template"), "imported": int(source == "ics")}
    return {
        (IndSupply, (effector_id, commune_insee, day, hour)): counts | origin,
        (IndHourMonth, (month, hour)): dict(counts),
        (IndCommuneMonth, (month, commune_insee)): dict(counts),
        (IndEffectorMonth, (month, effector_id)): {"offered": 1} | origin,
    }


def total(parts: Iterable[Deltas]) -> Deltas:
    """The sum of several contributions."""
    out: Deltas = {}
    for part in parts:
        for key, counts in part.items():
            target = out.setdefault(key, {})
            for name, value in counts.items():
                target[name] = target.get(name, 0) + value
    return out


def difference(old: Deltas, new: Deltas) -> Deltas:
    """new - old, without the keys whose counts cancel out."""
    out: Deltas = {}
    for sign, part in ((-1, old), (1, new)):
        for key, counts in part.items():
            target = out.setdefault(key, {})
            for name, value in counts.items():
                target[name] = target.get(name, 0) + sign * value
    return {k: {n: v for n, v in c.items() if v} for k, c in out.items() if any(c.values())}


def _columns(model: type[Base]) -> tuple[list[str], list[str]]:
    table: Any = model.__table__
    keys = [c.name for c in table.primary_key.columns]
    # `demo` marks `IndSupply`'s demo rows: a flag, not a count (new rows take its default).
    return keys, [c.name for c in table.columns if c.name not in keys and c.name != "demo"]


def _all_zero(model: type[Base]) -> ColumnElement[bool]:
    table: Any = model.__table__
    return and_(*(table.c[name] == 0 for name in _columns(model)[1]))


_PENDING = "indicators.rollup_deltas"


def defer(session: AsyncSession, deltas: Deltas) -> None:
    """Adds these deltas to the transaction's pending ones, applied once at commit (or before a
    read of the rollups in the same transaction) in one fixed key order.

    Applied event by event, two transactions each moving several hot rollup rows (every request
    of a month touches the same national rows) could lock them in opposite orders and deadlock
    on PostgreSQL; one sorted batch per transaction cannot."""
    if not deltas:
        return
    pending: Deltas = session.sync_session.info.setdefault(_PENDING, {})
    for key, counts in deltas.items():
        target = pending.setdefault(key, {})
        for name, value in counts.items():
            target[name] = target.get(name, 0) + value


async def flush(session: AsyncSession) -> None:
    """Applies the pending deltas now (a dashboard read within the writing transaction)."""
    await session.run_sync(_apply_pending)


def _insert_for(dialect: str) -> Any:
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _apply_pending(session: Session) -> None:
    pending: Deltas = session.info.pop(_PENDING, {})
    deltas = {k: {n: v for n, v in c.items() if v} for k, c in pending.items() if any(c.values())}
    for (model, key), counts in sorted(
        deltas.items(), key=lambda kv: (kv[0][0].__name__, kv[0][1])
    ):
        keys, measures = _columns(model)
        table: Any = model.__table__
        values = dict(zip(keys, key, strict=True)) | {m: counts.get(m, 0) for m in measures}
        statement = _insert_for(session.get_bind().dialect.name)(table).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=keys,
            set_={m: table.c[m] + statement.excluded[m] for m in counts},
        )
        session.execute(statement)
        if any(v < 0 for v in counts.values()):
            where = [table.c[k] == v for k, v in zip(keys, key, strict=True)]
            session.execute(delete(table).where(*where, _all_zero(model)))


@event.listens_for(Session, "before_commit")
def _apply_at_commit(session: Session) -> None:
    # Runs inside the AsyncSession's greenlet: synchronous execution is allowed here.
    if session.info.get(_PENDING):
        _apply_pending(session)


@event.listens_for(Session, "after_rollback")
def _forget_at_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


# -- recomputing the rollups in SQL ------------------------------------------------------------


def _as(model: type[Base], *expressions: Any) -> list[Any]:
    """The expressions labelled with the model's column names (keys, then counts)."""
    keys, measures = _columns(model)
    return [
        (literal(e) if isinstance(e, int | str) else e).label(n)
        for e, n in zip(expressions, keys + measures, strict=True)
    ]


def _request_parts() -> dict[type[Base], list[Any]]:
    r = IndRequest
    month = month_start(r.received_date)
    one = func.count()
    zero = 0
    consulted = and_(r.appointment_status == "fulfilled", r.consultation_minutes.is_not(None))
    seen = case((consulted, r.consultation_minutes), else_=NOT_CONSULTED)
    outcome, would_go = func.coalesce(r.outcome, ""), func.coalesce(r.would_go_to_ed, False)
    commune = func.coalesce(r.commune_insee, "")
    return {
        IndRequestMonth: [
            select(
                *_as(IndRequestMonth, month, r.origin, r.channel, outcome, would_go, one)
            ).group_by(month, r.origin, r.channel, outcome, would_go)
        ],
        IndRequestDelay: [
            select(*_as(IndRequestDelay, month, "consultation", seen, one))
            .where(r.outcome == "slot_booked")
            .group_by(month, seen),
            select(*_as(IndRequestDelay, month, "callback", r.callback_minutes, one))
            .where(r.callback_minutes.is_not(None))
            .group_by(month, r.callback_minutes),
        ],
        IndHourMonth: [
            select(*_as(IndHourMonth, month, r.received_hour, one, zero, zero, zero)).group_by(
                month, r.received_hour
            )
        ],
        IndCommuneMonth: [
            select(*_as(IndCommuneMonth, month, commune, one, zero, zero, zero)).group_by(
                month, commune
            )
        ],
    }


def _appointment_parts() -> dict[type[Base], list[Any]]:
    a = IndAppointment
    month = month_start(a.start_date)
    fee = fee_ranks.fee_class_sql()
    after_care, score = func.coalesce(a.after_care, ""), func.coalesce(a.satisfaction, 0)

    def when(*conditions: ColumnElement[bool]) -> Any:
        return func.sum(case((and_(*conditions), 1), else_=0))

    return {
        IndAppointmentMonth: [
            select(
                *_as(IndAppointmentMonth, month, a.status, after_care, fee, score, func.count())
            ).group_by(month, a.status, after_care, fee, score)
        ],
        IndEffectorMonth: [
            select(
                *_as(
                    IndEffectorMonth,
                    month,
                    a.effector_id,
                    func.count(),
                    when(a.status.in_(BOOKED_STATUSES)),
                    when(a.status == "fulfilled"),
                    when(a.status == "noshow"),
                    when(*fee_ranks.candidate_filter()),
                    0,
                    0,
                    0,
                )
            ).group_by(month, a.effector_id)
        ],
    }


def _supply_parts(days: list[ColumnElement[bool]]) -> dict[type[Base], list[Any]]:
    s = IndSupply
    month = month_start(s.day)
    sums = (func.sum(s.offered), func.sum(s.booked), func.sum(s.free))
    return {
        IndHourMonth: [
            select(*_as(IndHourMonth, month, s.hour, 0, *sums)).where(*days).group_by(month, s.hour)
        ],
        IndCommuneMonth: [
            select(*_as(IndCommuneMonth, month, s.commune_insee, 0, *sums))
            .where(*days)
            .group_by(month, s.commune_insee)
        ],
        IndEffectorMonth: [
            select(
                *_as(
                    IndEffectorMonth,
                    month,
                    s.effector_id,
                    *(0, 0, 0, 0, 0),
                    sums[0],
                    func.sum(s.recurring),
                    func.sum(s.imported),
                )
            )
            .where(*days)
            .group_by(month, s.effector_id)
        ],
    }


async def _insert_sums(session: AsyncSession, model: type[Base], parts: list[Any]) -> None:
    """INSERT the sums per key of these grouped SELECTs (same columns as the model's)."""
    keys, measures = _columns(model)
    names = keys + measures
    union = union_all(*parts).subquery("parts") if len(parts) > 1 else parts[0].subquery("parts")
    key_columns = [union.c[k] for k in keys]
    sums = [func.sum(union.c[m]) for m in measures]
    summed = (
        select(*key_columns, *sums)
        .group_by(*key_columns)
        .having(or_(*(total != 0 for total in sums)))
    )
    table: Any = model.__table__
    await session.execute(table.insert().from_select(names, summed))


async def rebuild_all(session: AsyncSession) -> None:
    """Recomputes the fee ranks and every rollup from the read-model rows."""
    session.sync_session.info.pop(_PENDING, None)  # recomputed below from the rows
    await session.flush()
    await fee_ranks.rank_all(session)
    parts: dict[type[Base], list[Any]] = {m: [] for m in ROLLUPS}
    for group in (_request_parts(), _appointment_parts(), _supply_parts([])):
        for model, selects in group.items():
            parts[model].extend(selects)
    for model in ROLLUPS:
        table: Any = model.__table__
        await session.execute(delete(table))
        await _insert_sums(session, model, parts[model])
