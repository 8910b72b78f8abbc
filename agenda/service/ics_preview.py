"""What an ICS import would do with the chosen options, before anything is written: the slots it
would create, those already imported, the free ones gone from the calendar that would go, and
each slot or event it would skip with why (it collides with a slot of the agenda, falls in an
absence, is an all-day event left unconverted, or starts after the horizon). Reads only.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot, SlotStatus
from agenda.schemas_supply import IcsPlannedSlot, IcsPreview, IcsSkippedSlot
from agenda.service.directory import managed_effector, pick_site
from agenda.service.ics import (
    SOURCE_PREFIX,
    IcsOptions,
    ImportChoices,
    absence_windows,
    in_absence,
    read_offer,
)
from agenda.service.slot_rules import describe
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.kit import PARIS

MAX_LISTED = 200  # slots listed one by one (the counts are always whole)


async def preview_ics_upload(
    session: AsyncSession,
    actor: Actor,
    data: bytes,
    *,
    options: IcsOptions,
    choices: ImportChoices,
    effector_id: int | None = None,
    site_id: int | None = None,
    now: datetime | None = None,
) -> IcsPreview:
    now = now or utcnow()
    effector = await managed_effector(session, actor, effector_id)
    site = pick_site(effector, site_id=site_id)
    offer = await read_offer(data, options=options, choices=choices, now=now)
    windows = await absence_windows(session, effector.id, offer.slots, now)
    skipped: list[IcsSkippedSlot] = [
        IcsSkippedSlot(
            start_at=datetime.combine(day, time(), tzinfo=PARIS).astimezone(UTC),
            end_at=datetime.combine(day + timedelta(days=1), time(), tzinfo=PARIS).astimezone(UTC),
            reason="all_day",
            detail="Événement « journée entière » non converti.",
        )
        for day in offer.all_day_ignored
    ]
    skipped += [
        _skip(
            start,
            end,
            "beyond_horizon",
            f"Au-delà de l'horizon de {options.horizon_days} jours : non importé.",
        )
        for start, end in offer.beyond_horizon
    ]
    wanted_keys = {s.source_key for s in offer.slots if not in_absence(s, windows)}
    rows = (
        await session.execute(
            select(Slot.start_at, Slot.end_at, Slot.site_id, Slot.source_key, Slot.status).where(
                Slot.effector_id == effector.id, Slot.end_at > now
            )
        )
    ).all()
    existing_keys = {r.source_key for r in rows if (r.source_key or "").startswith(SOURCE_PREFIX)}

    def vanishes(row: Row[datetime, datetime, int, str | None, str]) -> bool:
        """A free slot imported at this site that the calendar no longer offers."""
        key = row.source_key or ""
        return (
            row.site_id == site.id
            and key.startswith(SOURCE_PREFIX)
            and key not in wanted_keys
            and row.status == SlotStatus.FREE.value
            and row.start_at > now
        )

    to_remove = sum(1 for r in rows if vanishes(r))
    taken = [(r.start_at, r.end_at) for r in rows if not vanishes(r)]
    created: list[IcsPlannedSlot] = []
    unchanged = 0
    for slot in sorted(offer.slots, key=lambda s: s.start_at):
        if slot.source_key in existing_keys:
            unchanged += 1
            continue
        if in_absence(slot, windows):
            skipped.append(_skip(slot.start_at, slot.end_at, "absence", "Pendant une absence."))
            continue
        clash = next((t for t in taken if slot.start_at < t[1] and slot.end_at > t[0]), None)
        if clash is not None:
            detail = f"Chevauche le créneau du {describe(clash[0], clash[1])}."
            skipped.append(_skip(slot.start_at, slot.end_at, "collision", detail))
            continue
        taken.append((slot.start_at, slot.end_at))
        created.append(IcsPlannedSlot(start_at=slot.start_at, end_at=slot.end_at))
    await audit.record(session, actor, "read", "slots", effector.id, "ics-preview")
    return IcsPreview(
        events=offer.events,
        slots=len(offer.slots),
        to_create=len(created),
        unchanged=unchanged,
        to_remove=to_remove,
        skipped_count=len(skipped),
        all_day_ignored=len(offer.all_day_ignored),
        all_day_converted=offer.all_day_converted,
        created=created[:MAX_LISTED],
        skipped=skipped[:MAX_LISTED],
    )


def _skip(start: datetime, end: datetime, reason: str, detail: str) -> IcsSkippedSlot:
    return IcsSkippedSlot.model_validate(
        {"start_at": start, "end_at": end, "reason": reason, "detail": detail}
    )
