"""The SNP fee rank of each consultation, stored on write instead of a window at query time.

A candidate (fulfilled, regulated, not the effector's own patient, within 48 h of the request)
is ranked among its effector's candidates of the same Paris week by (start_at, appointment id);
the weekly cap is then a plain comparison (`fee_rank <= cap`), for any cap.
- `rerank`: recounts one effector-week after a write (a few dozen rows at most), behind a
  transaction-scoped advisory lock on PostgreSQL, so two writers in the same week rank one after
  the other, the second seeing the first's committed rows (READ COMMITTED: a new snapshot per
  statement). SQLite has one writer at a time.
- `rank_all`: every rank at once, with the window function (rebuild and bulk loads).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from indicators.models import IndAppointment

MINUTES_48H = 48 * 60


def fee_class(own_patient: bool, delay_minutes: int | None) -> str:
    """`own`: the effector is the patient's GP; `candidate`: regulated, within 48 h."""
    if own_patient:
        return "own"
    if delay_minutes is not None and delay_minutes <= MINUTES_48H:
        return "candidate"
    return "other"


def fee_class_sql() -> ColumnElement[str]:
    """`fee_class` in SQL, over the appointment rows (the rollups' rebuild, the row queries)."""
    a = IndAppointment
    return case(
        (a.own_patient.is_(True), "own"),
        (and_(a.delay_minutes.is_not(None), a.delay_minutes <= MINUTES_48H), "candidate"),
        else_="other",
    )


def is_fee_candidate(row: IndAppointment) -> bool:
    return row.status == "fulfilled" and fee_class(row.own_patient, row.delay_minutes) == (
        "candidate"
    )


def candidate_filter() -> list[ColumnElement[bool]]:
    a = IndAppointment
    return [
        a.status == "fulfilled",
        a.own_patient.is_(False),
        a.delay_minutes.is_not(None),
        a.delay_minutes <= MINUTES_48H,
    ]


async def rerank(session: AsyncSession, weeks: Iterable[tuple[int, date]]) -> None:
    """Recounts the fee ranks of these (effector, Paris Monday) weeks."""
    postgres = session.get_bind().dialect.name == "postgresql"
    for effector_id, week in sorted(set(weeks)):
        if postgres:
            await session.execute(select(func.pg_advisory_xact_lock(effector_id, week.toordinal())))
        rows = await session.scalars(
            select(IndAppointment)
            .where(IndAppointment.effector_id == effector_id, IndAppointment.start_week == week)
            .order_by(IndAppointment.start_at, IndAppointment.appointment_id)
            .execution_options(populate_existing=True)
        )
        rank = 0
        for row in rows:
            wanted = None
            if is_fee_candidate(row):
                rank += 1
                wanted = rank
            if row.fee_rank != wanted:
                row.fee_rank = wanted


async def rank_all(session: AsyncSession) -> None:
    """One bulk UPDATE of the ranks that differ (none on a second run). Not synchronised with
    the session's loaded rows (that would fetch every updated id back): `rerank` reloads the
    rows it ranks, and nothing else reads `fee_rank` from loaded objects."""
    a = IndAppointment
    candidate = and_(*candidate_filter())
    ranked = select(
        a.appointment_id.label("aid"),
        case(
            (
                candidate,
                func.row_number().over(
                    partition_by=(a.effector_id, a.start_week, candidate),
                    order_by=(a.start_at, a.appointment_id),
                ),
            ),
            else_=None,
        ).label("rank"),
    ).subquery("ranked")
    await session.execute(
        update(a)
        .values(fee_rank=ranked.c.rank)
        .where(a.appointment_id == ranked.c.aid, a.fee_rank.is_distinct_from(ranked.c.rank)),
        execution_options={"synchronize_session": False},
    )
