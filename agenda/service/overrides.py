"""Date overrides: other hours on one date instead of the weekly patterns (« horaires modifiés »).

On an overridden date the patterns open nothing and the override's ranges open slots instead
(`recurrence.materialise_overrides`). Saving one deletes the FREE pattern slots already
materialised on that date (held and booked ones are kept and counted) and opens its own;
deleting it removes its free slots and lets the patterns open that date again. Public holidays,
absences and CalDAV busy times still win over an override. One override per effector and date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import DateAlreadyOverridden, InvalidPeriod
from agenda.models import AvailabilityOverride, AvailabilityTemplate, Effector, Slot, SlotStatus
from agenda.schemas_supply import (
    KeptSlot,
    OverrideIn,
    OverrideOut,
    OverridePreview,
    OverrideSaved,
    PlannedSlot,
    SkippedSlot,
    SlotsRemoved,
    TimeRange,
    minutes_between,
)
from agenda.service.directory import managed_effector, pick_site
from agenda.service.recurrence import (
    WeeklyRule,
    absence_hours,
    absence_ranges,
    caldav_busy,
    format_ranges,
    holidays_between,
    materialise_effector,
    materialise_overrides,
    occurrence_dates,
    override_day_slots,
    paris_midnight_utc,
    parse_ranges,
    template_kinds,
    template_visibility,
)
from agenda.service.skip_reasons import why_skipped
from agenda.service.slot_rules import (
    DEFAULT_KINDS,
    DEFAULT_VISIBILITY,
    kind_values,
    lock_effector,
    visibility_values,
)
from agenda.service.supply_events import delete_slots
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.kit import PARIS

ENTITY = "availability_override"


def override_out(override: AvailabilityOverride) -> OverrideOut:
    return OverrideOut(
        id=override.id,
        effector_id=override.effector_id,
        site_id=override.site_id,
        day=override.day,
        ranges=[TimeRange(start_time=a, end_time=b) for a, b in parse_ranges(override.ranges)],
        slot_minutes=override.slot_minutes,
        kinds=template_kinds(override),
        visibility=template_visibility(override),
        shared_with_sas=override.shared_with_sas,
        note=override.note,
    )


def day_window(day: date) -> tuple[datetime, datetime]:
    """[00:00, next day 00:00) of a Paris date, as UTC instants."""
    return paris_midnight_utc(day), paris_midnight_utc(day + timedelta(days=1))


def check_override(data: OverrideIn, now: datetime) -> list[tuple[time, time]]:
    """The cross-field rules, each a 422 naming its field: the date not past; each range ends
    after it starts, holds whole slots, and overlaps no other range."""
    if data.day < now.astimezone(PARIS).date():
        raise InvalidPeriod("Cette date est passée.", loc=["body", "day"])
    ranges: list[tuple[time, time]] = []
    for n, item in enumerate(data.ranges):
        start, end = item.start_time, item.end_time
        if end <= start:
            raise InvalidPeriod(
                "L'heure de fin doit être après l'heure de début.",
                loc=["body", "ranges", n, "end_time"],
            )
        if minutes_between(start, end) % data.slot_minutes:
            raise InvalidPeriod(
                f"Des créneaux de {data.slot_minutes} min ne remplissent pas exactement la "
                f"plage {start:%H:%M}–{end:%H:%M}.",
                loc=["body", "slot_minutes"],
            )
        if any(start < b and end > a for a, b in ranges):
            raise InvalidPeriod(
                "Cette plage chevauche une autre plage du même jour.",
                loc=["body", "ranges", n, "start_time"],
            )
        ranges.append((start, end))
    return sorted(ranges)


async def _usual_pattern(
    session: AsyncSession, effector_id: int, site_id: int, day: date
) -> AvailabilityTemplate | None:
    """The pattern the override stands in for: one that opens that date (at that site first),
    else the effector's latest active pattern."""
    rows = list(
        await session.scalars(
            select(AvailabilityTemplate)
            .where(AvailabilityTemplate.effector_id == effector_id, AvailabilityTemplate.active)
            .order_by(AvailabilityTemplate.id.desc())
        )
    )
    that_day = [t for t in rows if occurrence_dates(WeeklyRule.of(t), day, day)]
    for candidates in ([t for t in that_day if t.site_id == site_id], that_day, rows):
        if candidates:
            return candidates[0]
    return None


async def _new_override(
    session: AsyncSession, effector: Effector, data: OverrideIn, ranges: list[tuple[time, time]]
) -> AvailabilityOverride:
    pick_site(effector, site_id=data.site_id)
    usual = await _usual_pattern(session, effector.id, data.site_id, data.day)
    kinds: list[str] = list(data.kinds or (template_kinds(usual) if usual else DEFAULT_KINDS))
    visibility: list[str] = list(
        data.visibility or (template_visibility(usual) if usual else DEFAULT_VISIBILITY)
    )
    shared = data.shared_with_sas
    if shared is None:
        shared = usual.shared_with_sas if usual else True
    return AvailabilityOverride(
        effector_id=effector.id,
        site_id=data.site_id,
        day=data.day,
        ranges=format_ranges(ranges),
        slot_minutes=data.slot_minutes,
        shared_with_sas=shared,
        note=data.note,
        **kind_values(kinds),
        **visibility_values(visibility),
    )


async def _refuse_second(session: AsyncSession, effector_id: int, day: date) -> None:
    existing = await session.scalar(
        select(AvailabilityOverride.id).where(
            AvailabilityOverride.effector_id == effector_id, AvailabilityOverride.day == day
        )
    )
    if existing is not None:
        raise DateAlreadyOverridden(
            "Les horaires de ce jour sont déjà modifiés : supprimez la modification existante "
            "pour en saisir une autre.",
            loc=["body", "day"],
        )


def _pattern_free_slots_of_day(
    effector_id: int, day: date, now: datetime
) -> list[ColumnElement[bool]]:
    start, end = day_window(day)
    return [
        Slot.effector_id == effector_id,
        Slot.template_id.is_not(None),
        Slot.status == SlotStatus.FREE.value,
        Slot.start_at >= start,
        Slot.start_at < end,
        Slot.start_at > now,
    ]


async def _kept_of_day(session: AsyncSession, effector_id: int, day: date) -> list[Slot]:
    start, end = day_window(day)
    return list(
        await session.scalars(
            select(Slot)
            .where(
                Slot.effector_id == effector_id,
                Slot.status != SlotStatus.FREE.value,
                Slot.start_at < end,
                Slot.end_at > start,
            )
            .order_by(Slot.start_at)
            .execution_options(populate_existing=True)
        )
    )


async def list_overrides(
    session: AsyncSession,
    actor: Actor,
    effector_id: int | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> list[OverrideOut]:
    """The effector's overrides from `start` (default today) to `end` (inclusive, default none)."""
    effector = await managed_effector(session, actor, effector_id, ("query", "effector_id"))
    first = start or (now or utcnow()).astimezone(PARIS).date()
    query = select(AvailabilityOverride).where(
        AvailabilityOverride.effector_id == effector.id, AvailabilityOverride.day >= first
    )
    if end is not None:
        query = query.where(AvailabilityOverride.day <= end)
    rows = await session.scalars(query.order_by(AvailabilityOverride.day))
    return [override_out(o) for o in rows]


async def preview_override(
    session: AsyncSession,
    actor: Actor,
    data: OverrideIn,
    *,
    now: datetime | None = None,
) -> OverridePreview:
    """What saving `data` would do on that date: the pattern's free slots removed, the held and
    booked ones kept, the new slots opened and each one not opened with why. Writes nothing."""
    now = now or utcnow()
    effector = await managed_effector(session, actor, data.effector_id)
    ranges = check_override(data, now)
    await _refuse_second(session, effector.id, data.day)
    override = await _new_override(session, effector, data, ranges)
    start, end = day_window(data.day)
    day_slots = list(
        await session.scalars(
            select(Slot)
            .where(Slot.effector_id == effector.id, Slot.start_at < end, Slot.end_at > start)
            .order_by(Slot.start_at)
            .execution_options(populate_existing=True)
        )
    )
    removed = [
        s
        for s in day_slots
        if s.template_id is not None and s.status == SlotStatus.FREE.value and s.start_at > now
    ]
    remaining = [s for s in day_slots if s not in removed]
    site = next(s for s in effector.sites if s.id == data.site_id)
    holidays = holidays_between(data.day, data.day, site.insee_code)
    whole_days = (await absence_ranges(session, [effector.id], data.day, data.day)).get(
        effector.id, []
    )
    hours = (await absence_hours(session, [effector.id], data.day, data.day)).get(effector.id, [])
    busy = (await caldav_busy(session, [effector.id], start, end)).get(effector.id, [])
    added: list[PlannedSlot] = []
    skipped: list[SkippedSlot] = []
    for slot_start, slot_end in override_day_slots(override):
        why = why_skipped(
            data.day,
            slot_start,
            slot_end,
            now=now,
            holidays=holidays,
            whole_days=whole_days,
            hours=hours,
            taken=remaining,
            busy=busy,
        )
        if why is None:
            added.append(PlannedSlot(start_at=slot_start, end_at=slot_end))
        else:
            skipped.append(
                SkippedSlot(start_at=slot_start, end_at=slot_end, reason=why[0], detail=why[1])
            )
    return OverridePreview(
        added=added,
        removed=[PlannedSlot(start_at=s.start_at, end_at=s.end_at) for s in removed],
        kept=[
            KeptSlot(start_at=s.start_at, end_at=s.end_at, status=s.status)
            for s in remaining
            if s.status != SlotStatus.FREE.value
        ],
        skipped=skipped,
    )


async def create_override(
    session: AsyncSession,
    actor: Actor,
    data: OverrideIn,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> OverrideSaved:
    """Change the hours of one date: the pattern's free slots of that date go, held and booked
    ones stay (counted), and the override's slots open (within the horizon; the hourly job opens
    them later for a date beyond it)."""
    now = now or utcnow()
    effector = await managed_effector(session, actor, data.effector_id)
    ranges = check_override(data, now)
    await lock_effector(session, effector.id)  # two saves of one date are serialised here
    await _refuse_second(session, effector.id, data.day)
    override = await _new_override(session, effector, data, ranges)
    session.add(override)
    await session.flush()
    await audit.created(session, actor, ENTITY, override.id)
    removed = await delete_slots(session, *_pattern_free_slots_of_day(effector.id, data.day, now))
    created = await materialise_overrides(session, [override], horizon_days=horizon_days, now=now)
    kept = await _kept_of_day(session, effector.id, data.day)
    return OverrideSaved(
        **override_out(override).model_dump(),
        slots_removed=removed,
        slots_created=created,
        booked_kept=len(kept),
    )


async def delete_override(
    session: AsyncSession,
    actor: Actor,
    override_id: int,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> SlotsRemoved:
    """Back to the usual hours on that date: the override's free slots go (held and booked ones
    stay) and the weekly patterns open that date again."""
    now = now or utcnow()
    override = await session.get(AvailabilityOverride, override_id)
    if override is None:
        raise NotFound("Modification d'horaires introuvable.", loc=["path", "override_id"])
    await managed_effector(session, actor, override.effector_id)
    effector_id, day = override.effector_id, override.day
    start, end = day_window(day)
    removed = await delete_slots(
        session,
        Slot.effector_id == effector_id,
        Slot.source_key.startswith(f"ovr:{override.id}:"),
        Slot.status == SlotStatus.FREE.value,
        Slot.start_at >= start,
        Slot.start_at < end,
        Slot.start_at > now,
    )
    await session.delete(override)
    await session.flush()
    await audit.deleted(session, actor, ENTITY, override_id)
    created = await materialise_effector(session, effector_id, horizon_days=horizon_days, now=now)
    return SlotsRemoved(slots_removed=removed, slots_created=created)


__all__ = [
    "check_override",
    "create_override",
    "delete_override",
    "list_overrides",
    "override_out",
    "preview_override",
]
