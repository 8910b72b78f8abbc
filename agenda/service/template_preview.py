"""What a weekly pattern would open before it is saved: the slots, and each one it would skip
with why (it collides with a slot already in the agenda, falls in an absence, on a public
holiday or on a date whose hours were changed, or has already started).
Reads only: nothing is written.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import AvailabilityTemplate, Site, Slot
from agenda.schemas_supply import SkippedSlot, TemplateIn, TemplatePreview
from agenda.service.directory import managed_effector, pick_site
from agenda.service.recurrence import (
    WeeklyRule,
    absence_hours,
    absence_ranges,
    day_slots,
    format_ranges,
    holidays_between,
    horizon,
    in_ranges,
    occurrence_dates,
    overridden_days,
)
from agenda.service.skip_reasons import why_skipped
from snp.actor import Actor
from snp.db import utcnow
from snp.kit import PARIS

MAX_LISTED = 200  # skipped slots listed one by one (the count is always whole)


@dataclass(frozen=True, slots=True)
class _Taken:
    start_at: datetime
    end_at: datetime


def rule_of(data: TemplateIn, now: datetime) -> WeeklyRule:
    template = AvailabilityTemplate(
        weekdays=data.weekdays,
        start_time=data.start_time,
        end_time=data.end_time,
        slot_minutes=data.slot_minutes,
        valid_from=data.valid_from or now.astimezone(PARIS).date(),
        valid_until=data.valid_until,
        include_public_holidays=data.include_public_holidays,
        more_ranges=format_ranges((r.start_time, r.end_time) for r in data.more_ranges),
        every_weeks=data.every_weeks,
    )
    return WeeklyRule.of(template)


async def preview_template(
    session: AsyncSession,
    actor: Actor,
    data: TemplateIn,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> TemplatePreview:
    now = now or utcnow()
    effector = await managed_effector(session, actor, data.effector_id)
    pick_site(effector, site_id=data.site_id)
    rule = rule_of(data, now)
    first, last = horizon(now, horizon_days)
    insee = await session.scalar(select(Site.insee_code).where(Site.id == data.site_id))
    holidays = holidays_between(first, last, insee)
    whole_days = (await absence_ranges(session, [effector.id], first, last)).get(effector.id, [])
    hours = (await absence_hours(session, [effector.id], first, last)).get(effector.id, [])
    changed = (await overridden_days(session, [effector.id], first, last)).get(effector.id, [])
    # Every day of the rule, holidays and absences included: each skip is then told.
    every_day = dataclasses.replace(rule, include_public_holidays=True)
    candidates = [
        (day, start, end)
        for day in occurrence_dates(every_day, first, last)
        for start, end in day_slots(rule, day)
    ]
    taken: list[_Taken] = []
    if candidates:
        rows = await session.execute(
            select(Slot.start_at, Slot.end_at).where(
                Slot.effector_id == effector.id,
                Slot.start_at < max(c[2] for c in candidates),
                Slot.end_at > min(c[1] for c in candidates),
            )
        )
        taken = [_Taken(r.start_at, r.end_at) for r in rows]
    opened = 0
    skipped: list[SkippedSlot] = []
    for day, start, end in candidates:
        why = why_skipped(
            day,
            start,
            end,
            now=now,
            holidays=frozenset() if rule.include_public_holidays else holidays,
            whole_days=whole_days,
            hours=hours,
            taken=taken,
        )
        if why is None and in_ranges(day, changed):
            why = "collision", "Horaires modifiés ce jour-là."
        if why is None:
            opened += 1
        else:
            skipped.append(SkippedSlot(start_at=start, end_at=end, reason=why[0], detail=why[1]))
    return TemplatePreview(slots=opened, skipped_count=len(skipped), skipped=skipped[:MAX_LISTED])
