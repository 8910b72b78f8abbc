"""What the indicators read model needs from the agenda: the facts of appointments (no patient
identity) and the supply of slots per effector, commune, Paris day and hour.

The read model follows the supply through `SlotsChanged` and the booking events; these counts
(`supply_by_hour`) serve its `rebuild` (repair) command.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, AppointmentStatus, Effector, Site, Slot, SlotStatus
from agenda.service.slot_rules import slot_source
from snp.kit import PARIS

# agenda's appointment statuses -> the consultation log's words
_STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.CANCELLED: "cancelled",
    AppointmentStatus.FULFILLED: "fulfilled",
    AppointmentStatus.NOSHOW: "noshow",
    AppointmentStatus.TO_REBOOK: "rescheduled",
}


@dataclass(frozen=True, slots=True)
class AppointmentFacts:
    appointment_id: str
    request_id: int | None
    effector_id: int
    effector_national_id: str
    site_commune: str | None
    start_at: datetime
    kind: str
    origin: str
    status: str  # booked, fulfilled, noshow, cancelled, rescheduled
    cancelled_by: str | None
    cancel_reason: str | None
    after_care: str | None


@dataclass(frozen=True, slots=True)
class SupplyCell:
    effector_id: int
    commune_insee: str
    day: date  # Europe/Paris
    hour: int  # Europe/Paris
    offered: int
    booked: int
    free: int
    recurring: int  # among the offered: from a weekly recurring availability
    imported: int  # from a calendar import


def _facts(row: Appointment, national_id: str, commune: str | None) -> AppointmentFacts:
    after_care = getattr(row, "after_care", None)  # the consultation log's column
    status = _STATUS.get(AppointmentStatus(row.status), row.status)
    recorded = row.outcome_recorded_at
    if status in ("fulfilled", "noshow") and recorded is not None and recorded < row.start_at:
        # Recorded before the appointment began (possible before that was refused): not a
        # fact, so no figure counts it.
        status, after_care = "booked", None
    return AppointmentFacts(
        appointment_id=row.id,
        request_id=row.request_id,
        effector_id=row.effector_id,
        effector_national_id=national_id,
        site_commune=commune,
        start_at=row.start_at,
        kind=row.kind,
        origin=row.origin,
        status=status,
        cancelled_by=row.cancelled_by,
        cancel_reason=row.cancel_reason,
        after_care=after_care if isinstance(after_care, str) else None,
    )


def _facts_query() -> Select[Appointment, str, str]:
    return (
        select(Appointment, Effector.national_id, Site.insee_code)
        .join(Effector, Effector.id == Appointment.effector_id)
        .outerjoin(Site, Site.id == Appointment.site_id)
    )


async def appointment_facts(
    session: AsyncSession, appointment_ids: Iterable[str]
) -> list[AppointmentFacts]:
    wanted = sorted(set(appointment_ids))
    if not wanted:
        return []
    rows = await session.execute(_facts_query().where(Appointment.id.in_(wanted)))
    return [_facts(a, n, c) for a, n, c in rows]


async def appointment_facts_page(
    session: AsyncSession, *, after_id: str = "", limit: int = 1000
) -> list[AppointmentFacts]:
    """Every appointment, by id, one page at a time (for rebuilding the read model)."""
    rows = await session.execute(
        _facts_query().where(Appointment.id > after_id).order_by(Appointment.id).limit(limit)
    )
    return [_facts(a, n, c) for a, n, c in rows]


async def supply_by_hour(session: AsyncSession, start: datetime, end: datetime) -> list[SupplyCell]:
    """Slots starting in [start, end) counted per effector, site commune, Paris day and hour:
    offered (all), booked, free (free or held), and among the offered those from a weekly
    recurring availability and from a calendar import."""
    rows = await session.execute(
        select(Slot.effector_id, Site.insee_code, Slot.start_at, Slot.status, Slot.source_key)
        .join(Site, Site.id == Slot.site_id)
        .where(Slot.start_at >= start, Slot.start_at < end)
    )
    cells: dict[tuple[int, str, date, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for effector_id, commune, start_at, status, source_key in rows:
        local = start_at.astimezone(PARIS)
        cell = cells[(effector_id, commune, local.date(), local.hour)]
        cell[0] += 1
        cell[1 if status == SlotStatus.BOOKED else 2] += 1
        source = slot_source(source_key)
        cell[3] += source == "template"
        cell[4] += source == "ics"
    return [SupplyCell(e, c, d, h, *counts) for (e, c, d, h), counts in sorted(cells.items())]


async def effector_names(session: AsyncSession, effector_ids: Iterable[int]) -> dict[int, str]:
    """Display names ("Dr Prénom Nom" style: given then family name) of these effectors."""
    wanted = sorted(set(effector_ids))
    names: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        rows = await session.execute(
            select(Effector.id, Effector.given_name, Effector.family_name).where(
                Effector.id.in_(wanted[start : start + 500])
            )
        )
        names.update((i, f"{g} {f}") for i, g, f in rows)
    return names
