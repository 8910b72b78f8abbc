"""Builders for matching and booking tests: effectors placed on the map, slots, triaged
requests written directly (deterministic deadlines and places). Plain async functions."""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda import EffectorData, NewSlot, SiteData
from regulation.models import (
    AssignedTo,
    Mobility,
    Orientation,
    Origin,
    Priority,
    RegulationRequest,
    RequestStatus,
)
from snp.db import utcnow
from snp.identifiers import rpps_with_check_digit
from snp.kit import EARTH_RADIUS_KM

PARIS = ZoneInfo("Europe/Paris")
REDON = (47.6514, -2.0843)
_serial = itertools.count(1)


def north_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    """A point `km` kilometres due north (exact great-circle distance along a meridian)."""
    return point[0] + math.degrees(km / EARTH_RADIUS_KM), point[1]


def daytime(now: datetime, *, after_hours: float = 1, hour: int = 10) -> datetime:
    """The first Europe/Paris `hour`:00 at least `after_hours` after `now`, not on a Sunday
    (so the rest of its week, Monday to Sunday, has days after it)."""
    day = (now + timedelta(hours=after_hours)).astimezone(PARIS).date()
    while True:
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
        if moment >= now + timedelta(hours=after_hours) and day.weekday() != 6:
            return moment.astimezone(UTC)
        day += timedelta(days=1)


def base_now() -> datetime:
    """A fixed "now" for a test: the next whole minute (slots built after it are in the
    future, and every delay computed from it is exact)."""
    return utcnow().replace(second=0, microsecond=0) + timedelta(minutes=1)


def same_day(moment: datetime, minutes: int = 30) -> datetime:
    """`moment` ± `minutes`, staying on the same Europe/Paris day."""
    later = moment + timedelta(minutes=minutes)
    if later.astimezone(PARIS).date() == moment.astimezone(PARIS).date():
        return later
    return moment - timedelta(minutes=minutes)


async def effector(
    session: AsyncSession,
    name: str,
    at: tuple[float, float] = REDON,
    *,
    rpps: str | None = None,
    home_visits: bool = False,
    home_visit_radius_km: float | None = None,
    teleconsultation: bool = False,
    min_patient_age_months: int | None = None,
    user_id: int | None = None,
) -> tuple[int, int]:
    """An active effector with one site at `at`; returns (effector id, site id)."""
    n = next(_serial)
    row = await agenda.upsert_effector(
        session,
        EffectorData(
            rpps=rpps or rpps_with_check_digit(f"2{n:09d}"),
            family_name=name,
            given_name="Anne",
            phone=f"+3361234{n:04d}",
            home_visits=home_visits,
            home_visit_radius_km=home_visit_radius_km,
            teleconsultation=teleconsultation,
            min_patient_age_months=min_patient_age_months,
            user_id=user_id,
            sites=[
                SiteData(
                    name=f"Cabinet {name}",
                    address_line="1 rue du Port",
                    postal_code="35600",
                    city="Redon",
                    insee_code="35236",
                    latitude=at[0],
                    longitude=at[1],
                )
            ],
        ),
    )
    await session.commit()
    return row.id, row.sites[0].id


async def slot(
    session: AsyncSession,
    effector_site: tuple[int, int],
    start_at: datetime,
    *,
    kinds: frozenset[str] = frozenset({"AMB"}),
    visibility: frozenset[str] = frozenset({"SNP", "CPTS"}),
    minutes: int = 20,
) -> int:
    """One free slot; returns its id."""
    effector_id, site_id = effector_site
    key = f"test:{next(_serial)}"
    new = NewSlot(
        start_at=start_at,
        end_at=start_at + timedelta(minutes=minutes),
        kinds=kinds,
        visibility=visibility,
        source_key=key,
    )
    assert await agenda.add_generated_slots(session, effector_id, site_id, [new]) == 1
    await session.commit()
    found = await agenda.search_free_slots(
        session,
        start=start_at,
        end=start_at + timedelta(minutes=1),
        effector_ids=[effector_id],
        limit=5,
    )
    await session.commit()
    return next(s.id for s in found if s.start_at == start_at)


async def booked(
    session: AsyncSession,
    effector_site: tuple[int, int],
    start_at: datetime,
    request_id: int = 999,
) -> str:
    """A slot of the effector already given to another patient; returns the appointment id."""
    slot_id = await slot(session, effector_site, start_at)
    await agenda.hold(session, slot_id, "test:other")
    appointment = await agenda.confirm(
        session, slot_id, "test:other", request_id=request_id, patient_label="X.Y. 50 ans"
    )
    await session.commit()
    return appointment.id


def born(years: int, now: datetime | None = None) -> date:
    today = (now or utcnow()).astimezone(PARIS).date()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


async def triaged_request(
    session: AsyncSession,
    *,
    now: datetime,
    deadline_hours: float = 24,
    orientation: Orientation = Orientation.AMB,
    mobility: Mobility = Mobility.CAN_TRAVEL,
    at: tuple[float, float] | None = REDON,
    commune_insee: str | None = None,
    age_years: int = 34,
    gp_rpps: str | None = None,
    status: RequestStatus = RequestStatus.WAITING,
    claimed_by: tuple[int, str] | None = None,
    **values: Any,
) -> int:
    """A triaged request (P2 by default) as if it came through intake and triage."""
    row = RegulationRequest(
        status=RequestStatus.CLAIMED if claimed_by else status,
        assigned_to=AssignedTo.OPERATOR,
        family_name=values.pop("family_name", "Dupont"),
        given_name=values.pop("given_name", "Jeanne"),
        birth_date=born(age_years, now),
        sex="female",
        phone="+33612345678",
        commune_insee=commune_insee,
        address_line="2 rue des Lilas" if at else None,
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        has_gp=gp_rpps is not None,
        gp_rpps=gp_rpps,
        mobility=mobility,
        sms_consent=True,
        motif="fever",
        origin=values.pop("origin", Origin.PATIENT_CALL),
        protocol_version=1,
        age_band="adult",
        priority=values.pop("priority", Priority.P2),
        deadline_at=now + timedelta(hours=deadline_hours),
        orientation=orientation,
        triage_rule="fever:default",
        received_at=now - timedelta(minutes=10),
        triaged_at=values.pop("triaged_at", now - timedelta(minutes=5)),
        updated_at=now,
        claimed_by_user_id=claimed_by[0] if claimed_by else None,
        claimed_by_name=claimed_by[1] if claimed_by else None,
        claim_started_at=now if claimed_by else None,
        claimed_heartbeat_at=now if claimed_by else None,
        **values,
    )
    session.add(row)
    await session.commit()
    return row.id
