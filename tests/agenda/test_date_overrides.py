"""Date overrides (« horaires modifiés »): on one date the weekly pattern is replaced by other
hours; its free slots go, booked ones stay, and deleting the override gives the date back to the
pattern. Absences, public holidays and CalDAV busy times still win."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import DateAlreadyOverridden
from agenda.models import AvailabilityOverride, CaldavBusy, Effector
from agenda.schemas_supply import AbsenceIn, OverrideIn, TimeRange
from agenda.service import absences, overrides, template_preview, templates
from agenda.service.recurrence import materialise_all, materialise_effector, override_new_slots
from snp.db import Database, utcnow
from snp.kit import PARIS
from tests.agenda.slot_factories import book, create_effector
from tests.agenda.supply_helpers import (
    COORDINATOR,
    HORIZON,
    every_day_14_15,
    every_day_14_15_pattern,
    slots_of,
)
from tests.agenda.test_absences import day


def morning(effector: Effector, n: int, *ranges: tuple[int, int], **options: object) -> OverrideIn:
    """Day `n`'s hours changed to `ranges` (whole hours, Paris) in 20-minute slots."""
    return OverrideIn(
        effector_id=effector.id,
        site_id=effector.sites[0].id,
        day=day(n),
        ranges=[TimeRange(start_time=time(a), end_time=time(b)) for a, b in ranges],
        **options,
    )


async def times_of_day(session: AsyncSession, effector: Effector, n: int) -> list[time]:
    return [
        s.start_at.astimezone(PARIS).time()
        for s in await slots_of(session, effector.id)
        if s.start_at.astimezone(PARIS).date() == day(n)
    ]


async def test_an_override_replaces_the_pattern_on_its_date_only(session: AsyncSession) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)  # 14:00, 14:20, 14:40 every day

    saved = await overrides.create_override(
        session, COORDINATOR, morning(effector, 3, (9, 10)), horizon_days=HORIZON
    )
    await session.commit()

    assert (saved.slots_removed, saved.slots_created, saved.booked_kept) == (3, 3, 0)
    assert await times_of_day(session, effector, 3) == [time(9), time(9, 20), time(9, 40)]
    for other in (2, 4):
        assert await times_of_day(session, effector, other) == [
            time(14),
            time(14, 20),
            time(14, 40),
        ]
    new = [
        s for s in await slots_of(session, effector.id) if s.start_at.astimezone(PARIS).hour == 9
    ]
    assert all(s.source_key and s.source_key.startswith("ovr:") for s in new)
    # The hourly job changes nothing: the pattern does not reopen that date.
    assert await materialise_effector(session, effector.id, horizon_days=HORIZON) == 0
    assert await materialise_all(session, horizon_days=HORIZON) == 0


async def test_booked_slots_of_the_date_are_kept_and_previewed_as_kept(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)
    twenty_past = datetime.combine(day(3), time(14, 20), tzinfo=PARIS)
    (booked,) = [s for s in await slots_of(session, effector.id) if s.start_at == twenty_past]
    await book(session, booked)
    change = morning(effector, 3, (14, 15), slot_minutes=15)

    preview = await overrides.preview_override(session, COORDINATOR, change)
    assert [s.start_at.astimezone(PARIS).time() for s in preview.removed] == [
        time(14),
        time(14, 40),
    ]
    assert [(k.start_at.astimezone(PARIS).time(), k.status) for k in preview.kept] == [
        (time(14, 20), "booked")
    ]
    # 14:15 and 14:30 collide with the booked 14:20-14:40; 14:00 and 14:45 open.
    assert [s.start_at.astimezone(PARIS).time() for s in preview.added] == [time(14), time(14, 45)]
    assert [(s.reason, s.detail[:22]) for s in preview.skipped] == [
        ("collision", "Chevauche le créneau d"),
        ("collision", "Chevauche le créneau d"),
    ]
    assert await slots_of(session, effector.id, status="free") != []  # the preview wrote nothing

    saved = await overrides.create_override(session, COORDINATOR, change, horizon_days=HORIZON)
    await session.commit()
    assert (saved.slots_removed, saved.slots_created, saved.booked_kept) == (2, 2, 1)
    assert await times_of_day(session, effector, 3) == [time(14), time(14, 20), time(14, 45)]
    (kept,) = await slots_of(session, effector.id, status="booked")
    assert kept.id == booked.id


async def test_deleting_the_override_gives_the_date_back_to_the_pattern(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)
    saved = await overrides.create_override(
        session, COORDINATOR, morning(effector, 3, (9, 10), (11, 12)), horizon_days=HORIZON
    )
    await session.commit()
    assert saved.slots_created == 6

    restored = await overrides.delete_override(session, COORDINATOR, saved.id, horizon_days=HORIZON)
    await session.commit()

    assert (restored.slots_removed, restored.slots_created) == (6, 3)
    assert await times_of_day(session, effector, 3) == [time(14), time(14, 20), time(14, 40)]
    assert await session.get(AvailabilityOverride, saved.id) is None


async def test_an_override_without_hours_closes_the_date(session: AsyncSession) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)

    saved = await overrides.create_override(
        session, COORDINATOR, morning(effector, 5), horizon_days=HORIZON
    )
    await session.commit()

    assert (saved.slots_removed, saved.slots_created, saved.ranges) == (3, 0, [])
    assert await times_of_day(session, effector, 5) == []
    assert await materialise_effector(session, effector.id, horizon_days=HORIZON) == 0


async def test_an_absence_wins_over_the_override_and_hands_it_back_when_deleted(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await every_day_14_15(session, effector)
    await overrides.create_override(
        session, COORDINATOR, morning(effector, 3, (9, 10)), horizon_days=HORIZON
    )
    absence = await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(effector_id=effector.id, start_date=day(3), end_date=day(3), reason="Congés"),
        horizon_days=HORIZON,
    )
    await session.commit()

    assert absence.slots_removed == 3
    assert await times_of_day(session, effector, 3) == []
    assert await materialise_effector(session, effector.id, horizon_days=HORIZON) == 0

    await absences.delete_absence(session, COORDINATOR, absence.id, horizon_days=HORIZON)
    await session.commit()
    # The date is the override's again, not the pattern's.
    assert await times_of_day(session, effector, 3) == [time(9), time(9, 20), time(9, 40)]


async def test_a_half_day_absence_and_a_calendar_busy_time_win_over_the_override(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(
            effector_id=effector.id,
            start_date=day(4),
            end_date=day(4),
            start_time=time(9),
            end_time=time(9, 30),
        ),
        horizon_days=HORIZON,
    )
    busy_start = datetime.combine(day(4), time(10, 40), tzinfo=PARIS)
    session.add(
        CaldavBusy(
            effector_id=effector.id, start_at=busy_start, end_at=busy_start + timedelta(minutes=20)
        )
    )
    await session.flush()
    change = morning(effector, 4, (9, 11))

    preview = await overrides.preview_override(session, COORDINATOR, change)
    assert [s.start_at.astimezone(PARIS).time() for s in preview.added] == [
        time(9, 40),
        time(10),
        time(10, 20),
    ]
    assert [(s.reason, s.detail) for s in preview.skipped] == [
        ("absence", "Pendant une absence."),
        ("absence", "Pendant une absence."),
        ("absence", "Occupé dans votre calendrier connecté."),
    ]
    saved = await overrides.create_override(session, COORDINATOR, change, horizon_days=HORIZON)
    assert saved.slots_created == 3


def test_a_public_holiday_wins_over_the_override() -> None:
    christmas = date(2031, 12, 25)
    override = AvailabilityOverride(
        id=1,
        effector_id=1,
        site_id=1,
        day=christmas,
        ranges="09:00-10:00",
        slot_minutes=20,
        kind_amb=True,
        kind_hh=False,
        kind_vr=False,
        vis_snp=True,
        vis_cpts=True,
        vis_pro=False,
        vis_public=False,
        shared_with_sas=True,
    )
    now = datetime(2031, 12, 1, tzinfo=PARIS)
    assert len(override_new_slots(override, now=now)) == 3
    assert override_new_slots(override, now=now, public_holidays={christmas}) == []


async def test_the_override_takes_the_pattern_s_kinds_visibility_and_sas_sharing(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await every_day_14_15(
        session, effector, kinds=["HH"], visibility=["SNP"], shared_with_sas=False
    )
    usual = await overrides.create_override(
        session, COORDINATOR, morning(effector, 3, (9, 10)), horizon_days=HORIZON
    )
    chosen = await overrides.create_override(
        session,
        COORDINATOR,
        morning(effector, 4, (9, 10), kinds=["AMB"], visibility=["SNP", "CPTS"]),
        horizon_days=HORIZON,
    )
    await session.commit()

    assert (usual.kinds, usual.visibility, usual.shared_with_sas) == (["HH"], ["SNP"], False)
    assert (chosen.kinds, chosen.visibility) == (["AMB"], ["SNP", "CPTS"])
    nine = [
        s for s in await slots_of(session, effector.id) if s.start_at.astimezone(PARIS).hour == 9
    ]
    assert {(s.kind_hh, s.kind_amb, s.shared_with_sas) for s in nine} == {
        (True, False, False),
        (False, True, False),
    }


async def test_a_date_beyond_the_horizon_opens_when_the_hourly_job_reaches_it(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    saved = await overrides.create_override(
        session, COORDINATOR, morning(effector, HORIZON + 3, (9, 10)), horizon_days=HORIZON
    )
    await session.commit()
    assert saved.slots_created == 0

    later = utcnow() + timedelta(days=5)
    assert await materialise_all(session, horizon_days=HORIZON, now=later) == 3
    assert await times_of_day(session, effector, HORIZON + 3) == [time(9), time(9, 20), time(9, 40)]


async def test_a_new_pattern_skips_the_overridden_date_and_its_preview_says_so(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await overrides.create_override(
        session, COORDINATOR, morning(effector, 3, (9, 10)), horizon_days=HORIZON
    )
    pattern = every_day_14_15_pattern(effector)

    preview = await template_preview.preview_template(
        session, COORDINATOR, pattern, horizon_days=HORIZON
    )
    told = [s for s in preview.skipped if s.detail == "Horaires modifiés ce jour-là."]
    assert [s.start_at.astimezone(PARIS).date() for s in told] == [day(3)] * 3

    await templates.create_template(session, COORDINATOR, pattern, horizon_days=HORIZON)
    await session.commit()
    assert await times_of_day(session, effector, 3) == [time(9), time(9, 20), time(9, 40)]
    assert await times_of_day(session, effector, 4) == [time(14), time(14, 20), time(14, 40)]


async def test_ten_concurrent_changes_of_one_date_save_one_override_and_one_set_of_slots(
    database: Database, session: AsyncSession
) -> None:
    """Each attempt in its own transaction, all at once: one override, the others refused with
    the 409 on `day`, and the date holds the pattern's replacement exactly once."""
    effector = await create_effector(session)
    await every_day_14_15(session, effector)

    async def attempt(n: int) -> bool:
        try:
            async with database.transaction() as s:
                await overrides.create_override(
                    s, COORDINATOR, morning(effector, 3, (8 + n % 3, 11)), horizon_days=HORIZON
                )
        except DateAlreadyOverridden:
            return False
        return True

    results = await asyncio.gather(*(attempt(n) for n in range(10)))

    assert sum(results) == 1
    assert await session.scalar(select(func.count()).select_from(AvailabilityOverride)) == 1
    starts = await times_of_day(session, effector, 3)
    # The winner's hours (08:00, 09:00 or 10:00 to 11:00), each slot once, no pattern slot left.
    assert starts
    first = starts[0].hour
    assert starts == [time(first + k // 3, k % 3 * 20) for k in range((11 - first) * 3)]
