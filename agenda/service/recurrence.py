"""Recurring availability: weekly templates (RRULE semantics) materialised as slots.

A template says "Tuesdays 14:00-16:00, Europe/Paris wall-clock time, in 20-minute slots, from
this date until that one". Materialising it over the rolling horizon inserts one free slot per
occurrence with the source key `tpl:<template id>:<start, UTC>`, so running it again (the
scheduler does every hour) changes nothing. French public holidays are skipped unless the
template includes them, as are the effector's absences and the dates whose hours the effector
changed (a date override, `ovr:<override id>:<start, UTC>`, opens its own slots instead).
Editing or removing a template removes its future FREE slots and materialises again; held and
booked slots are never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import cast

import holidays
from dateutil.rrule import FR, MO, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import (
    Absence,
    AvailabilityOverride,
    AvailabilityTemplate,
    CaldavBusy,
    Effector,
    Site,
    Slot,
    SlotStatus,
)
from agenda.schemas import Kind, Visibility
from agenda.service.slots import (
    KIND_COLUMNS,
    VISIBILITY_COLUMNS,
    NewSlot,
    add_generated_slots,
)
from agenda.service.supply_events import delete_slots
from snp.db import utcnow
from snp.kit import PARIS

_BYDAY: dict[str, weekday] = {
    "MO": MO,
    "TU": TU,
    "WE": WE,
    "TH": TH,
    "FR": FR,
    "SA": SA,
    "SU": SU,
}
DateRange = tuple[date, date]  # inclusive


@dataclass(frozen=True, slots=True)
class WeeklyRule:
    """What a template says, independent of the database (pure computations below)."""

    weekdays: str
    start_time: time
    end_time: time
    slot_minutes: int
    valid_from: date
    valid_until: date | None
    include_public_holidays: bool = False
    # Every `every_weeks` weeks, counted from the week of `valid_from` (2: every other week).
    every_weeks: int = 1
    # Further time ranges the same days (a morning and an afternoon), after start/end.
    more_ranges: tuple[tuple[time, time], ...] = ()

    @classmethod
    def of(cls, template: AvailabilityTemplate) -> WeeklyRule:
        return cls(
            template.weekdays,
            template.start_time,
            template.end_time,
            template.slot_minutes,
            template.valid_from,
            template.valid_until,
            template.include_public_holidays,
            template.every_weeks or 1,
            parse_ranges(template.more_ranges),
        )

    @property
    def ranges(self) -> tuple[tuple[time, time], ...]:
        return ((self.start_time, self.end_time), *self.more_ranges)


def parse_ranges(text: str | None) -> tuple[tuple[time, time], ...]:
    """ "08:00-12:00,14:00-18:00" (as stored) -> ((08:00, 12:00), (14:00, 18:00))."""
    if not text:
        return ()
    ranges = []
    for part in text.split(","):
        start, end = part.split("-")
        ranges.append((time.fromisoformat(start), time.fromisoformat(end)))
    return tuple(ranges)


def format_ranges(ranges: Iterable[tuple[time, time]]) -> str | None:
    text = ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in ranges)
    return text or None


# --- Pure computations -------------------------------------------------------------------------


def holiday_subdivision(insee_code: str | None) -> str | None:
    """The `holidays` subdivision for a commune: Alsace-Moselle and overseas have their own."""
    if not insee_code:
        return None
    if insee_code.startswith("57"):
        return "57"
    if insee_code.startswith(("67", "68")):
        return "6AE"
    if insee_code[:3] in ("971", "972", "973", "974", "976"):
        return insee_code[:3]
    return None


@lru_cache(maxsize=64)
def public_holidays(years: tuple[int, ...], subdivision: str | None = None) -> frozenset[date]:
    """French public holidays of `years` (with the local ones of a subdivision)."""
    return frozenset(holidays.country_holidays("FR", subdiv=subdivision, years=years).keys())


def holidays_between(first: date, last: date, insee_code: str | None = None) -> frozenset[date]:
    return public_holidays(tuple(range(first.year, last.year + 1)), holiday_subdivision(insee_code))


def in_ranges(day: date, ranges: Iterable[DateRange]) -> bool:
    return any(start <= day <= end for start, end in ranges)


def occurrence_dates(
    rule: WeeklyRule,
    first: date,
    last: date,
    *,
    public_holidays: Collection[date] = frozenset(),
    absences: Sequence[DateRange] = (),
) -> list[date]:
    """The days in [first, last] the rule opens, minus holidays (unless included) and absences.

    Every other week (`every_weeks` 2) counts weeks from the Monday of `valid_from`'s week, so
    which weeks are on never depends on the horizon's first day."""
    start = max(first, rule.valid_from)
    end = min(last, rule.valid_until) if rule.valid_until else last
    if end < start:
        return []
    anchor = rule.valid_from - timedelta(days=rule.valid_from.weekday())  # its week's Monday
    days = rrule(
        WEEKLY,
        interval=max(1, rule.every_weeks),
        wkst=MO,
        byweekday=[_BYDAY[code] for code in rule.weekdays.split(",")],
        dtstart=datetime.combine(anchor, time()),
        until=datetime.combine(end, time()),
    )
    return [
        d.date()
        for d in days
        if d.date() >= start
        and (rule.include_public_holidays or d.date() not in public_holidays)
        and not in_ranges(d.date(), absences)
    ]


def day_slots(rule: WeeklyRule, day: date) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC slots of one day: wall-clock Europe/Paris times, so 14:00 stays 14:00
    across daylight-saving changes. A wall-clock time that does not exist (the spring-forward
    hour) is skipped; an ambiguous one (autumn) is taken at its first occurrence."""
    length = timedelta(minutes=rule.slot_minutes)
    slots: list[tuple[datetime, datetime]] = []
    for range_start, range_end in rule.ranges:
        cursor = datetime.combine(day, range_start)
        stop = datetime.combine(day, range_end)
        while cursor + length <= stop:
            start = cursor.replace(tzinfo=PARIS).astimezone(UTC)
            if start.astimezone(PARIS).replace(tzinfo=None) == cursor:
                slots.append((start, start + length))
            cursor += length
    return slots


def template_source_key(template_id: int, start: datetime) -> str:
    return f"tpl:{template_id}:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def template_kinds(template: AvailabilityTemplate | AvailabilityOverride) -> list[Kind]:
    codes = [code for code, column in KIND_COLUMNS.items() if getattr(template, column)]
    return cast(list[Kind], codes)


def template_visibility(
    template: AvailabilityTemplate | AvailabilityOverride,
) -> list[Visibility]:
    codes = [code for code, column in VISIBILITY_COLUMNS.items() if getattr(template, column)]
    return cast(list[Visibility], codes)


def template_new_slots(
    template: AvailabilityTemplate,
    first: date,
    last: date,
    *,
    now: datetime,
    public_holidays: Collection[date] = frozenset(),
    absences: Sequence[DateRange] = (),
    away: Sequence[tuple[datetime, datetime]] = (),
) -> list[NewSlot]:
    """The template's slots over [first, last]: whole days of absence skipped, and slots
    overlapping an absence of some hours (`away`, UTC windows) left out."""
    rule = WeeklyRule.of(template)
    spans = [
        span
        for day in occurrence_dates(
            rule, first, last, public_holidays=public_holidays, absences=absences
        )
        for span in day_slots(rule, day)
    ]
    return _new_slots(
        template,
        spans,
        lambda start: template_source_key(template.id, start),
        now=now,
        away=away,
        template_id=template.id,
    )


def _new_slots(
    pattern: AvailabilityTemplate | AvailabilityOverride,
    spans: Iterable[tuple[datetime, datetime]],
    source_key: Callable[[datetime], str],
    *,
    now: datetime,
    away: Sequence[tuple[datetime, datetime]],
    template_id: int | None = None,
) -> list[NewSlot]:
    """The pattern's (template's or override's) slots for `spans`: none already started, none
    overlapping a window of `away`."""
    kinds = frozenset[str](template_kinds(pattern))
    visibility = frozenset[str](template_visibility(pattern))
    return [
        NewSlot(
            start_at=start,
            end_at=end,
            kinds=kinds,
            visibility=visibility,
            shared_with_sas=pattern.shared_with_sas,
            source_key=source_key(start),
            template_id=template_id,
        )
        for start, end in spans
        if start > now and not any(start < b and end > a for a, b in away)
    ]


def override_source_key(override_id: int, start: datetime) -> str:
    return f"ovr:{override_id}:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def override_day_slots(override: AvailabilityOverride) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC slots of an override's ranges on its date (Paris wall clock)."""
    ranges = parse_ranges(override.ranges)
    if not ranges:
        return []
    (first, *more) = ranges
    rule = WeeklyRule(
        weekdays="MO",
        start_time=first[0],
        end_time=first[1],
        slot_minutes=override.slot_minutes,
        valid_from=override.day,
        valid_until=override.day,
        more_ranges=tuple(more),
    )
    return day_slots(rule, override.day)


def override_new_slots(
    override: AvailabilityOverride,
    *,
    now: datetime,
    public_holidays: Collection[date] = frozenset(),
    absences: Sequence[DateRange] = (),
    away: Sequence[tuple[datetime, datetime]] = (),
) -> list[NewSlot]:
    """The override's slots: none on a public holiday or a day of absence, none overlapping an
    absence of some hours or a CalDAV busy time (`away`), none already started."""
    if override.day in public_holidays or in_ranges(override.day, absences):
        return []
    return _new_slots(
        override,
        override_day_slots(override),
        lambda start: override_source_key(override.id, start),
        now=now,
        away=away,
    )


def horizon(now: datetime, horizon_days: int) -> DateRange:
    """Today (Europe/Paris) and the last day of the rolling horizon, inclusive."""
    today = now.astimezone(PARIS).date()
    return today, today + timedelta(days=horizon_days - 1)


def paris_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=PARIS).astimezone(UTC)


# --- Materialisation ---------------------------------------------------------------------------


async def absence_ranges(
    session: AsyncSession, effector_ids: Collection[int], first: date, last: date
) -> dict[int, list[DateRange]]:
    ranges: dict[int, list[DateRange]] = {}
    if not effector_ids:
        return ranges
    rows = await session.execute(
        select(Absence.effector_id, Absence.start_date, Absence.end_date).where(
            Absence.effector_id.in_(list(effector_ids)),
            Absence.end_date >= first,
            Absence.start_date <= last,
            Absence.start_time.is_(None),  # whole days; hours are `absence_hours`
        )
    )
    for effector_id, start, end in rows:
        ranges.setdefault(effector_id, []).append((start, end))
    return ranges


async def absence_hours(
    session: AsyncSession, effector_ids: Collection[int], first: date, last: date
) -> dict[int, list[tuple[datetime, datetime]]]:
    """The UTC windows of the absences of some hours a day (half-days) over [first, last]."""
    windows: dict[int, list[tuple[datetime, datetime]]] = {}
    if not effector_ids:
        return windows
    rows = await session.execute(
        select(Absence).where(
            Absence.effector_id.in_(list(effector_ids)),
            Absence.end_date >= first,
            Absence.start_date <= last,
            Absence.start_time.is_not(None),
        )
    )
    for absence in rows.scalars():
        if absence.start_time is None or absence.end_time is None:
            continue
        day = max(absence.start_date, first)
        while day <= min(absence.end_date, last):
            windows.setdefault(absence.effector_id, []).append(
                (
                    datetime.combine(day, absence.start_time, tzinfo=PARIS).astimezone(UTC),
                    datetime.combine(day, absence.end_time, tzinfo=PARIS).astimezone(UTC),
                )
            )
            day += timedelta(days=1)
    return windows


async def overridden_days(
    session: AsyncSession, effector_ids: Collection[int], first: date, last: date
) -> dict[int, list[DateRange]]:
    """The dates in [first, last] whose hours the effectors changed (patterns open nothing)."""
    days: dict[int, list[DateRange]] = {}
    if not effector_ids:
        return days
    rows = await session.execute(
        select(AvailabilityOverride.effector_id, AvailabilityOverride.day).where(
            AvailabilityOverride.effector_id.in_(list(effector_ids)),
            AvailabilityOverride.day >= first,
            AvailabilityOverride.day <= last,
        )
    )
    for effector_id, day in rows:
        days.setdefault(effector_id, []).append((day, day))
    return days


async def caldav_busy(
    session: AsyncSession, effector_ids: Collection[int], start: datetime, end: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """The busy times last read from the effectors' CalDAV calendars over [start, end)."""
    windows: dict[int, list[tuple[datetime, datetime]]] = {}
    if not effector_ids:
        return windows
    rows = await session.execute(
        select(CaldavBusy.effector_id, CaldavBusy.start_at, CaldavBusy.end_at).where(
            CaldavBusy.effector_id.in_(list(effector_ids)),
            CaldavBusy.start_at < end,
            CaldavBusy.end_at > start,
        )
    )
    for effector_id, busy_start, busy_end in rows:
        windows.setdefault(effector_id, []).append((busy_start, busy_end))
    return windows


async def materialise(
    session: AsyncSession,
    templates: Sequence[AvailabilityTemplate],
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> int:
    """Insert the free slots of `templates` over the horizon; returns how many were created."""
    now = now or utcnow()
    first, last = horizon(now, horizon_days)
    effector_ids = list({t.effector_id for t in templates})
    active = set(
        await session.scalars(
            select(Effector.id).where(Effector.id.in_(effector_ids), Effector.active)
        )
    )
    live = [t for t in templates if t.active and t.effector_id in active]
    if not live:
        return 0
    effectors = {t.effector_id for t in live}
    absences, away = await _unavailable(session, effectors, now, horizon_days)
    changed = await overridden_days(session, effectors, first, last)
    insee = await _communes(session, {t.site_id for t in live})
    created = 0
    for template in live:
        slots = template_new_slots(
            template,
            first,
            last,
            now=now,
            public_holidays=holidays_between(first, last, insee.get(template.site_id)),
            # A date whose hours were changed opens the override's slots, not the pattern's.
            absences=[
                *absences.get(template.effector_id, []),
                *changed.get(template.effector_id, []),
            ],
            away=away.get(template.effector_id, []),
        )
        created += await add_generated_slots(session, template.effector_id, template.site_id, slots)
    return created


async def _unavailable(
    session: AsyncSession, effector_ids: Collection[int], now: datetime, horizon_days: int
) -> tuple[dict[int, list[DateRange]], dict[int, list[tuple[datetime, datetime]]]]:
    """Whole days of absence, and the UTC windows of absences of some hours and of CalDAV busy
    times (skipped like absences), over the horizon."""
    first, last = horizon(now, horizon_days)
    absences = await absence_ranges(session, effector_ids, first, last)
    away = await absence_hours(session, effector_ids, first, last)
    busy = await caldav_busy(
        session, list(effector_ids), now, now + timedelta(days=horizon_days + 1)
    )
    for effector_id, windows in busy.items():
        away.setdefault(effector_id, []).extend(windows)
    return absences, away


async def _communes(session: AsyncSession, site_ids: Collection[int]) -> dict[int, str]:
    rows = await session.execute(
        select(Site.id, Site.insee_code).where(Site.id.in_(list(site_ids)))
    )
    return {site_id: code for site_id, code in rows}


async def materialise_overrides(
    session: AsyncSession,
    overrides: Sequence[AvailabilityOverride],
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> int:
    """Insert the free slots of date overrides within the horizon (idempotent by source key);
    holidays, absences and CalDAV busy times win over them. Returns how many were created."""
    now = now or utcnow()
    first, last = horizon(now, horizon_days)
    effector_ids = {o.effector_id for o in overrides}
    active = set(
        await session.scalars(
            select(Effector.id).where(Effector.id.in_(list(effector_ids)), Effector.active)
        )
    )
    live = [o for o in overrides if o.effector_id in active and first <= o.day <= last]
    if not live:
        return 0
    absences, away = await _unavailable(session, active, now, horizon_days)
    insee = await _communes(session, {o.site_id for o in live})
    created = 0
    for override in live:
        slots = override_new_slots(
            override,
            now=now,
            public_holidays=holidays_between(
                override.day, override.day, insee.get(override.site_id)
            ),
            absences=absences.get(override.effector_id, []),
            away=away.get(override.effector_id, []),
        )
        created += await add_generated_slots(session, override.effector_id, override.site_id, slots)
    return created


async def _overrides(
    session: AsyncSession, first: date, last: date, effector_id: int | None = None
) -> list[AvailabilityOverride]:
    query = (
        select(AvailabilityOverride)
        .join(Effector, Effector.id == AvailabilityOverride.effector_id)
        .where(Effector.active, AvailabilityOverride.day >= first, AvailabilityOverride.day <= last)
        .order_by(AvailabilityOverride.effector_id, AvailabilityOverride.day)
    )
    if effector_id is not None:
        query = query.where(AvailabilityOverride.effector_id == effector_id)
    return list(await session.scalars(query))


async def materialise_effector(
    session: AsyncSession, effector_id: int, *, horizon_days: int, now: datetime | None = None
) -> int:
    templates = await session.scalars(
        select(AvailabilityTemplate).where(
            AvailabilityTemplate.effector_id == effector_id, AvailabilityTemplate.active
        )
    )
    now = now or utcnow()
    first, last = horizon(now, horizon_days)
    created = await materialise(session, list(templates), horizon_days=horizon_days, now=now)
    overrides = await _overrides(session, first, last, effector_id)
    return created + await materialise_overrides(
        session, overrides, horizon_days=horizon_days, now=now
    )


async def materialise_all(
    session: AsyncSession, *, horizon_days: int, now: datetime | None = None
) -> int:
    """Every active template and date override of every active effector (the scheduler's
    job)."""
    now = now or utcnow()
    first, last = horizon(now, horizon_days)
    templates = await session.scalars(
        select(AvailabilityTemplate)
        .join(Effector, Effector.id == AvailabilityTemplate.effector_id)
        .where(
            AvailabilityTemplate.active,
            Effector.active,
            AvailabilityTemplate.valid_from <= last,
            or_(
                AvailabilityTemplate.valid_until.is_(None),
                AvailabilityTemplate.valid_until >= first,
            ),
        )
        .order_by(AvailabilityTemplate.effector_id, AvailabilityTemplate.id)
    )
    created = await materialise(session, list(templates), horizon_days=horizon_days, now=now)
    overrides = await _overrides(session, first, last)
    return created + await materialise_overrides(
        session, overrides, horizon_days=horizon_days, now=now
    )


async def remove_future_free_slots(
    session: AsyncSession, template_id: int, *, now: datetime | None = None
) -> int:
    """Delete the template's free slots still to come (held and booked ones stay)."""
    return await delete_slots(
        session,
        Slot.template_id == template_id,
        Slot.status == SlotStatus.FREE.value,
        Slot.start_at > (now or utcnow()),
    )
