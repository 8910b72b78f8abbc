"""What the SAS adapter needs from the agenda (INT_R04 search, INT_R03 reports).

`sas_free_slots` answers one national search in three queries whatever the number of slots:
the effectors by national id (unique index), their free slots shared with the SAS in the period
(index `(effector_id, start_at)`), then their sites. Results are frozen dataclasses of plain
values (no ORM entities), cheap to build by the thousand.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, Effector, Site, Slot, SlotStatus
from snp.db import utcnow
from snp.errors import NotFound


@dataclass(frozen=True, slots=True)
class SasEffector:
    id: int
    national_id: str  # unprefixed RPPS (11 digits) or ADELI (9 digits)
    national_id_kind: str  # RPPS or ADELI
    family_name: str
    given_name: str
    specialty_code: str
    specialty_text: str | None
    phone: str


@dataclass(frozen=True, slots=True)
class SasSite:
    id: int
    effector_id: int
    name: str
    address_line: str
    postal_code: str
    city: str
    structure_id: str | None  # prefixed as in FHIR (1+FINESS, 3+SIRET, ...)
    phone: str | None


@dataclass(frozen=True, slots=True)
class SasSlot:
    id: int
    effector_id: int
    site_id: int
    start_at: datetime
    end_at: datetime
    kind_amb: bool
    kind_hh: bool
    kind_vr: bool
    vis_snp: bool
    vis_cpts: bool
    vis_pro: bool
    vis_public: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class SasSupply:
    effectors: dict[int, SasEffector]
    sites: dict[int, SasSite]
    slots: list[SasSlot]  # by start, then id


@dataclass(frozen=True, slots=True)
class SasAppointmentFacts:
    """An appointment as the SAS platform is told about it (no patient data)."""

    id: str
    effector_id: int
    effector_national_id: str
    effector_national_id_kind: str
    request_id: int | None
    start_at: datetime
    end_at: datetime
    status: str
    origin: str
    booked_by_user_id: int | None
    created_at: datetime


async def sas_free_slots(
    session: AsyncSession,
    national_ids: Collection[str],
    start: datetime,
    end: datetime,
    *,
    now: datetime | None = None,
) -> SasSupply:
    """Free slots shared with the SAS starting in [start, end] (both inclusive, not yet
    started) of the active effectors whose RPPS or ADELI (unprefixed) is in `national_ids`."""
    connection = await session.connection()
    wanted = sorted(set(national_ids))
    effectors = {
        r.id: SasEffector(*r)
        for r in await connection.execute(
            select(*_EFFECTOR_COLUMNS).where(
                Effector.national_id.in_(wanted), Effector.active.is_(True)
            )
        )
    }
    if not effectors:
        return SasSupply({}, {}, [])
    now = now or utcnow()
    ids = sorted(effectors)
    rows = await connection.execute(
        select(
            Slot.id,
            Slot.effector_id,
            Slot.site_id,
            Slot.start_at,
            Slot.end_at,
            Slot.kind_amb,
            Slot.kind_hh,
            Slot.kind_vr,
            Slot.vis_snp,
            Slot.vis_cpts,
            Slot.vis_pro,
            Slot.vis_public,
            Slot.reason,
        )
        .where(
            Slot.effector_id.in_(ids),
            Slot.start_at >= max(start, now),
            Slot.start_at <= end,
            Slot.shared_with_sas.is_(True),
            or_(
                Slot.status == SlotStatus.FREE,
                and_(Slot.status == SlotStatus.HELD, Slot.hold_expires_at <= now),
            ),
        )
        .order_by(Slot.start_at, Slot.id)
    )
    slots = [SasSlot(*row) for row in rows.all()]  # type: ignore[call-arg]
    if not slots:
        return SasSupply(effectors, {}, [])
    site_ids = sorted({s.site_id for s in slots})
    sites = {
        r.id: SasSite(*r)
        for r in await connection.execute(
            select(
                Site.id,
                Site.effector_id,
                Site.name,
                Site.address_line,
                Site.postal_code,
                Site.city,
                Site.structure_id,
                Site.phone,
            ).where(Site.id.in_(site_ids))
        )
    }
    return SasSupply(effectors, sites, slots)


async def sas_appointment_facts(session: AsyncSession, appointment_id: str) -> SasAppointmentFacts:
    """One appointment with its effector's national id (404 when unknown)."""
    row = (
        await session.execute(
            select(
                Appointment.id,
                Appointment.effector_id,
                Effector.national_id,
                Effector.national_id_kind,
                Appointment.request_id,
                Appointment.start_at,
                Appointment.end_at,
                Appointment.status,
                Appointment.origin,
                Appointment.booked_by_user_id,
                Appointment.created_at,
            )
            .join(Effector, Effector.id == Appointment.effector_id)
            .where(Appointment.id == appointment_id)
        )
    ).first()
    if row is None:
        raise NotFound("Rendez-vous introuvable.", ("path", "appointment_id"))
    return SasAppointmentFacts(*row)


async def sas_effector(session: AsyncSession, effector_id: int) -> SasEffector:
    """The effector a SAS regulator books with (404 when unknown or inactive)."""
    row = (
        await session.execute(
            select(*_EFFECTOR_COLUMNS).where(Effector.id == effector_id, Effector.active.is_(True))
        )
    ).first()
    if row is None:
        raise NotFound("Effecteur introuvable.", ("path", "effector_id"))
    return SasEffector(*row)


_EFFECTOR_COLUMNS = (  # in SasEffector's order
    Effector.id,
    Effector.national_id,
    Effector.national_id_kind,
    Effector.family_name,
    Effector.given_name,
    Effector.specialty_code,
    Effector.specialty_text,
    Effector.phone,
)

_SITE_COLUMNS = (
    Site.id,
    Site.effector_id,
    Site.name,
    Site.address_line,
    Site.postal_code,
    Site.city,
    Site.structure_id,
    Site.phone,
)


async def sas_slot(
    session: AsyncSession, slot_id: int, *, now: datetime | None = None
) -> SasSupply:
    """One slot as the SAS sees it (read `Slot/<id>`): its effector, site and the slot when it
    is free, shared with the SAS, not started and its effector active; else no slot."""
    national = await session.scalar(
        select(Effector.national_id)
        .join(Slot, Slot.effector_id == Effector.id)
        .where(Slot.id == slot_id)
    )
    if national is None:
        return SasSupply({}, {}, [])
    now = now or utcnow()
    supply = await sas_free_slots(session, [national], now, now + timedelta(days=3660), now=now)
    slots = [s for s in supply.slots if s.id == slot_id]
    return SasSupply(supply.effectors, supply.sites, slots)


async def sas_sites(session: AsyncSession, effector_id: int) -> list[SasSite]:
    """The consultation places of an active effector (one SAS Schedule each)."""
    rows = await session.execute(
        select(*_SITE_COLUMNS)
        .join(Effector, Effector.id == Site.effector_id)
        .where(Site.effector_id == effector_id, Effector.active.is_(True))
        .order_by(Site.id)
    )
    return [SasSite(*r) for r in rows]


async def sas_effectors_by_national_id(
    session: AsyncSession, national_ids: Collection[str]
) -> list[SasEffector]:
    """The active effectors having these unprefixed RPPS or ADELI."""
    supply = await sas_free_slots(session, national_ids, utcnow(), utcnow())
    return sorted(supply.effectors.values(), key=lambda e: e.id)


async def slot_shared_with_sas(session: AsyncSession, slot_id: int) -> bool | None:
    """Whether the slot is shared with the SAS (None when there is no such slot)."""
    row = (await session.execute(select(Slot.shared_with_sas).where(Slot.id == slot_id))).first()
    return None if row is None else bool(row[0])
