"""The monthly rollups and the stored SNP fee ranks stay exact: maintained row by row by the
write path (`sync`), they equal what `rollups.rebuild_all` recomputes from the rows, after
inserts and after updates that move rows between months, effectors, weeks and fee classes; and
a dashboard read from the rollups (whole months) plus the rows (partial months) equals the
dashboard read from the rows alone, on the hand-built dataset (tests/indicators/dataset.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from indicators import periods, rollups
from indicators.models import IndAppointment
from indicators.queries import compute_dashboard
from indicators.schemas import Filters
from indicators.sync import write_appointment, write_request
from tests.indicators import dataset


async def state(session: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    """Every rollup row and every fee rank, in key order (this transaction's pending rollup
    deltas applied first, as a dashboard read does)."""
    await rollups.flush(session)
    await session.flush()
    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in rollups.ROLLUPS:
        table: Any = model.__table__
        rows = await session.execute(select(table).order_by(*table.primary_key.columns))
        out[table.name] = [tuple(r) for r in rows]
    ranks = await session.execute(
        select(IndAppointment.appointment_id, IndAppointment.fee_rank).order_by(
            IndAppointment.appointment_id
        )
    )
    out["fee_rank"] = [tuple(r) for r in ranks]
    return out


async def rebuilt(session: AsyncSession) -> dict[str, list[tuple[Any, ...]]]:
    await rollups.rebuild_all(session)
    session.expire_all()
    return await state(session)


@pytest.fixture
async def loaded(session: AsyncSession) -> AsyncSession:
    await dataset.load(session)
    return session


async def test_maintained_rollups_equal_rebuilt_ones(loaded: AsyncSession) -> None:
    maintained = await state(loaded)
    assert maintained["ind_request_months"]  # not trivially empty
    assert max(r for _, r in maintained["fee_rank"] if r is not None) == 23
    assert await rebuilt(loaded) == maintained


async def test_updates_move_rows_between_months_weeks_and_fee_classes(
    loaded: AsyncSession,
) -> None:
    # The 3rd consultation of effector 3's capped week is cancelled: every later one moves up.
    third = dataset.appointment_id(102)
    await write_appointment(loaded, third, {"status": "cancelled"})
    # Another one moves to effector 1, a month later; one becomes the effector's own patient.
    moved = dataset.appointment_id(110)
    start = dataset.at(2026, 7, 20, 9)
    await write_appointment(
        loaded,
        moved,
        {
            "effector_id": 1,
            "start_at": start,
            "start_date": start.date(),
            "start_hour": 9,
            "start_week": date(2026, 7, 20),
        },
    )
    await write_appointment(loaded, dataset.appointment_id(111), {"own_patient": True})
    await write_appointment(loaded, dataset.appointment_id(112), {"satisfaction": 3})
    # A request closes differently and changes month; another loses its call-back.
    later = dataset.at(2026, 2, 1, 8)
    await write_request(
        loaded,
        16,
        {"outcome": "no_slot_found", "received_at": later, "received_date": later.date()},
    )
    await write_request(loaded, 22, {"callback_minutes": None, "would_go_to_ed": None})
    maintained = await state(loaded)
    ranks = dict(maintained["fee_rank"])
    assert (ranks[third], ranks[dataset.appointment_id(103)]) == (None, 3)
    assert ranks[dataset.appointment_id(111)] is None
    assert ranks[dataset.appointment_id(122)] == 20  # back under the cap
    assert await rebuilt(loaded) == maintained


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31)),  # whole months only
        (date(2025, 3, 15), date(2026, 6, 17)),  # partial months at both ends
        (date(2026, 3, 29), date(2026, 10, 25)),  # starts and ends on a DST change
        (date(2026, 6, 16), date(2026, 6, 22)),  # no whole month: rows only
        (date(2026, 2, 1), date(2026, 2, 28)),  # one whole month
    ],
)
@pytest.mark.parametrize("granularity", ["month", "quarter"])
async def test_rollups_and_rows_give_the_same_dashboard(
    loaded: AsyncSession,
    monkeypatch: pytest.MonkeyPatch,
    start: date,
    end: date,
    granularity: str,
) -> None:
    f = Filters.model_validate({"start": start, "end": end, "granularity": granularity})
    with_rollups = (await compute_dashboard(loaded, f)).model_dump(exclude={"computed_at"})
    monkeypatch.setattr(periods, "uses_rollups", lambda _: False)
    from_rows = (await compute_dashboard(loaded, f)).model_dump(exclude={"computed_at"})
    assert with_rollups == from_rows


def test_split_into_whole_months_and_days() -> None:
    split = periods.split(date(2026, 1, 15), date(2026, 3, 31))
    assert (split.first_month, split.last_month) == (date(2026, 2, 1), date(2026, 3, 1))
    assert split.days == ((date(2026, 1, 15), date(2026, 1, 31)),)
    split = periods.split(date(2026, 1, 1), date(2026, 2, 27))
    assert (split.first_month, split.last_month) == (date(2026, 1, 1), date(2026, 1, 1))
    assert split.days == ((date(2026, 2, 1), date(2026, 2, 27)),)
    split = periods.split(date(2026, 1, 2), date(2026, 1, 31))
    assert (split.first_month, split.days) == (None, ((date(2026, 1, 2), date(2026, 1, 31)),))
    leap = periods.split(date(2024, 2, 1), date(2024, 2, 29))
    assert (leap.first_month, leap.days) == (date(2024, 2, 1), ())
    assert periods.split(date(2024, 2, 1), date(2024, 2, 28)).first_month is None


async def test_rollup_deltas_wait_for_the_commit_and_a_rollback_forgets_them(
    loaded: AsyncSession,
) -> None:
    """Writers move the hot monthly rows once, at commit, in one key order (no deadlock between
    two transactions); a rolled-back transaction leaves them untouched."""
    await loaded.commit()
    before = await state(loaded)
    await write_request(loaded, 22, {"callback_minutes": None, "would_go_to_ed": None})
    assert loaded.sync_session.info.get("indicators.rollup_deltas")
    await loaded.rollback()
    assert not loaded.sync_session.info.get("indicators.rollup_deltas")
    assert await state(loaded) == before
    await write_request(loaded, 22, {"callback_minutes": None, "would_go_to_ed": None})
    await loaded.commit()
    assert not loaded.sync_session.info.get("indicators.rollup_deltas")
    after = await state(loaded)
    assert after != before
    assert await rebuilt(loaded) == after
