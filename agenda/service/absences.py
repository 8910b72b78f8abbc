"""Absences: date ranges (inclusive, Europe/Paris days) an effector is away.

Declaring one removes the FREE slots it covers, whatever their origin (manual, template, ICS);
held and booked slots are kept and counted so the effector can see them. Templates and ICS
calendars do not open slots inside an absence. Shortening or deleting an absence materialises
the templates again over the days it gave back.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import InvalidPeriod, MissingValue
from agenda.models import Absence, Slot, SlotStatus
from agenda.schemas_supply import AbsenceIn, AbsenceOut, AbsencePatch, AbsenceSaved
from agenda.service.directory import managed_effector
from agenda.service.recurrence import materialise_effector, paris_midnight_utc
from agenda.service.supply_events import delete_slots
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound


def absence_window(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in Europe/Paris, as UTC instants."""
    return paris_midnight_utc(start), paris_midnight_utc(end + timedelta(days=1))


async def remove_free_slots_between(
    session: AsyncSession,
    effector_id: int,
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
) -> int:
    """Delete the effector's free slots overlapping [start, end) and still to come."""
    return await delete_slots(
        session,
        Slot.effector_id == effector_id,
        Slot.status == SlotStatus.FREE.value,
        Slot.start_at < end,
        Slot.end_at > start,
        Slot.start_at > (now or utcnow()),
    )


async def _kept_between(
    session: AsyncSession, effector_id: int, start: datetime, end: datetime
) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Slot)
        .where(
            Slot.effector_id == effector_id,
            Slot.status != SlotStatus.FREE.value,
            Slot.start_at < end,
            Slot.end_at > start,
        )
    )
    return int(count or 0)


async def _apply_absence(
    session: AsyncSession,
    absence: Absence,
    *,
    horizon_days: int,
    now: datetime | None,
    rematerialise: bool,
) -> AbsenceSaved:
    start, end = absence_window(absence.start_date, absence.end_date)
    removed = await remove_free_slots_between(session, absence.effector_id, start, end, now=now)
    created = 0
    if rematerialise:
        created = await materialise_effector(
            session, absence.effector_id, horizon_days=horizon_days, now=now
        )
    kept = await _kept_between(session, absence.effector_id, start, end)
    return AbsenceSaved(
        **AbsenceOut.model_validate(absence).model_dump(),
        slots_removed=removed,
        slots_created=created,
        booked_kept=kept,
    )


async def _managed_absence(session: AsyncSession, actor: Actor, absence_id: int) -> Absence:
    absence = await session.get(Absence, absence_id)
    if absence is None:
        raise NotFound("Absence introuvable.", loc=["path", "absence_id"])
    await managed_effector(session, actor, absence.effector_id)
    return absence


async def list_absences(
    session: AsyncSession, actor: Actor, effector_id: int | None = None
) -> list[AbsenceOut]:
    effector = await managed_effector(session, actor, effector_id, ("query", "effector_id"))
    rows = await session.scalars(
        select(Absence)
        .where(Absence.effector_id == effector.id)
        .order_by(Absence.start_date, Absence.id)
    )
    return [AbsenceOut.model_validate(a) for a in rows]


async def create_absence(
    session: AsyncSession,
    actor: Actor,
    data: AbsenceIn,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> AbsenceSaved:
    effector = await managed_effector(session, actor, data.effector_id)
    absence = Absence(
        effector_id=effector.id,
        start_date=data.start_date,
        end_date=data.end_date,
        reason=data.reason,
    )
    session.add(absence)
    await session.flush()
    await audit.created(session, actor, "absence", absence.id)
    return await _apply_absence(
        session, absence, horizon_days=horizon_days, now=now, rematerialise=False
    )


async def update_absence(
    session: AsyncSession,
    actor: Actor,
    absence_id: int,
    patch: AbsencePatch,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> AbsenceSaved:
    absence = await _managed_absence(session, actor, absence_id)
    sent = {name: getattr(patch, name) for name in patch.model_fields_set}
    for name in ("start_date", "end_date"):
        if name in sent and sent[name] is None:
            raise MissingValue("Ce champ ne peut pas être vide.", loc=["body", name])
    changed = [k for k, v in sent.items() if getattr(absence, k) != v]
    for key in changed:
        setattr(absence, key, sent[key])
    if absence.end_date < absence.start_date:
        raise InvalidPeriod(
            "La date de fin doit être égale ou postérieure à la date de début.",
            loc=["body", "end_date"],
        )
    if changed:
        await session.flush()
        await audit.changed(session, actor, "absence", absence.id, changed)
    # Days the absence no longer covers get their template slots back.
    return await _apply_absence(
        session,
        absence,
        horizon_days=horizon_days,
        now=now,
        rematerialise=bool({"start_date", "end_date"} & set(changed)),
    )


async def delete_absence(
    session: AsyncSession,
    actor: Actor,
    absence_id: int,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> int:
    """Delete an absence; the templates open their slots on those days again (returned count)."""
    absence = await _managed_absence(session, actor, absence_id)
    effector_id = absence.effector_id
    await session.delete(absence)
    await session.flush()
    await audit.deleted(session, actor, "absence", absence_id)
    return await materialise_effector(session, effector_id, horizon_days=horizon_days, now=now)
