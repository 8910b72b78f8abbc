"""Recurring availability: weekly templates (RRULE semantics) materialised as slots.

A template says "Tuesdays 14:00-16:00, Europe/Paris wall-clock time, in 20-minute slots, from
this date until that one". Materialising it over the rolling horizon inserts one free slot per
occurrence with the source key `tpl:<template id>:<start, UTC>`, so running it again (the
scheduler does every hour) changes nothing. French public holidays are skipped unless the
template includes them, as are the effector's absences. Editing or removing a template removes
its future FREE slots and materialises again; held and booked slots are never touched.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import cast

import holidays
from dateutil.rrule import FR, MO, SA, SU, TH, TU, WE, WEEKLY, rrule, weekday
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Absence, AvailabilityTemplate, Effector, Site, Slot, SlotStatus
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
        )


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
    """The days in [first, last] the rule opens, minus holidays (unless included) and absences."""
    start = max(first, rule.valid_from)
    end = min(last, rule.valid_until) if rule.valid_until else last
    if end < start:
        return []
    days = rrule(
        WEEKLY,
        byweekday=[_BYDAY[code] for code in rule.weekdays.split(",")],
        dtstart=datetime.combine(start, time()),
        until=datetime.combine(end, time()),
    )
    return [
        d.date()
        for d in days
        if (rule.include_public_holidays or d.date() not in public_holidays)
        and not in_ranges(d.date(), absences)
    ]


def day_slots(rule: WeeklyRule, day: date) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC slots of one day: wall-clock Europe/Paris times, so 14:00 stays 14:00
    across daylight-saving changes. A wall-clock time that does not exist (the spring-forward
    hour) is skipped; an ambiguous one (autumn) is taken at its first occurrence."""
    length = timedelta(minutes=rule.slot_minutes)
    cursor = datetime.combine(day, rule.start_time)
    stop = datetime.combine(day, rule.end_time)
    slots: list[tuple[datetime, datetime]] = []
    while cursor + length <= stop:
        start = cursor.replace(tzinfo=PARIS).astimezone(UTC)
        if start.astimezone(PARIS).replace(tzinfo=None) == cursor:
            slots.append((start, start + length))
        cursor += length
    return slots


def template_source_key(template_id: int, start: datetime) -> str:
    return f"tpl:{template_id}:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def template_kinds(template: AvailabilityTemplate) -> list[Kind]:
    codes = [code for code, column in KIND_COLUMNS.items() if getattr(template, column)]
    return cast(list[Kind], codes)


def template_visibility(template: AvailabilityTemplate) -> list[Visibility]:
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
) -> list[NewSlot]:
    rule = WeeklyRule.of(template)
    kinds = frozenset[str](template_kinds(template))
    visibility = frozenset[str](template_visibility(template))
    return [
        NewSlot(
            start_at=start,
            end_at=end,
            kinds=kinds,
            visibility=visibility,
            shared_with_sas=template.shared_with_sas,
            source_key=template_source_key(template.id, start),
            template_id=template.id,
        )
        for day in occurrence_dates(
            rule, first, last, public_holidays=public_holidays, absences=absences
        )
        for start, end in day_slots(rule, day)
        if start > now
    ]


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
        )
    )
    for effector_id, start, end in rows:
        ranges.setdefault(effector_id, []).append((start, end))
    return ranges


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
    absences = await absence_ranges(session, {t.effector_id for t in live}, first, last)
    site_ids = list({t.site_id for t in live})
    rows = await session.execute(select(Site.id, Site.insee_code).where(Site.id.in_(site_ids)))
    insee = {site_id: code for site_id, code in rows}
    created = 0
    for template in live:
        slots = template_new_slots(
            template,
            first,
            last,
            now=now,
            public_holidays=holidays_between(first, last, insee.get(template.site_id)),
            absences=absences.get(template.effector_id, []),
        )
        created += await add_generated_slots(session, template.effector_id, template.site_id, slots)
    return created


async def materialise_effector(
    session: AsyncSession, effector_id: int, *, horizon_days: int, now: datetime | None = None
) -> int:
    templates = await session.scalars(
        select(AvailabilityTemplate).where(
            AvailabilityTemplate.effector_id == effector_id, AvailabilityTemplate.active
        )
    )
    return await materialise(session, list(templates), horizon_days=horizon_days, now=now)


async def materialise_all(
    session: AsyncSession, *, horizon_days: int, now: datetime | None = None
) -> int:
    """Every active template of every active effector (the scheduler's job)."""
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
    return await materialise(session, list(templates), horizon_days=horizon_days, now=now)


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
