"""Directory of effectors and their sites."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from agenda.models import Effector, Site
from agenda.schemas import EffectorOut, EffectorPage
from snp.identifiers import parse_mobile_phone, parse_phone, parse_rpps


@dataclass(frozen=True, slots=True)
class SiteData:
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    latitude: float
    longitude: float
    structure_id: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class EffectorData:
    rpps: str
    family_name: str
    given_name: str
    phone: str
    email: str | None = None
    specialty_code: str = "SM54"
    specialty_text: str | None = "Médecine générale"
    home_visits: bool = False
    home_visit_radius_km: float | None = None
    teleconsultation: bool = False
    min_patient_age_months: int | None = None
    user_id: int | None = None
    sites: list[SiteData] = field(default_factory=list)


async def upsert_effector(session: AsyncSession, data: EffectorData) -> Effector:
    """Create or update an effector by RPPS, and its sites by name (idempotent)."""
    rpps = parse_rpps(data.rpps)
    effector = await session.scalar(
        select(Effector).options(selectinload(Effector.sites)).where(Effector.national_id == rpps)
    )
    values = {
        "family_name": data.family_name,
        "given_name": data.given_name,
        "phone": parse_mobile_phone(data.phone),
        "email": data.email,
        "specialty_code": data.specialty_code,
        "specialty_text": data.specialty_text,
        "home_visits": data.home_visits,
        "home_visit_radius_km": data.home_visit_radius_km,
        "teleconsultation": data.teleconsultation,
        "min_patient_age_months": data.min_patient_age_months,
        "user_id": data.user_id,
    }
    if effector is None:
        effector = Effector(national_id=rpps, national_id_kind="RPPS", sites=[], **values)
        session.add(effector)
    else:
        for key, value in values.items():
            if getattr(effector, key) != value:
                setattr(effector, key, value)
    by_name = {s.name: s for s in effector.sites}
    for site_data in data.sites:
        site_values = asdict(site_data)
        if site_values["phone"]:
            site_values["phone"] = parse_phone(str(site_values["phone"]))
        site = by_name.get(site_data.name)
        if site is None:
            effector.sites.append(Site(**site_values))
        else:
            for key, value in site_values.items():
                if getattr(site, key) != value:
                    setattr(site, key, value)
    await session.flush()
    return effector


async def list_effectors(
    session: AsyncSession, *, q: str | None = None, limit: int = 50, offset: int = 0
) -> EffectorPage:
    query = select(Effector)
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Effector.family_name).like(pattern),
                func.lower(Effector.given_name).like(pattern),
                Effector.national_id.like(pattern),
            )
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.options(selectinload(Effector.sites))
        .order_by(Effector.family_name, Effector.given_name, Effector.id)
        .limit(limit)
        .offset(offset)
    )
    return EffectorPage(items=[EffectorOut.model_validate(e) for e in rows], total=int(total or 0))


async def count_effectors(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Effector)) or 0)
