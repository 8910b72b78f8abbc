"""Builders for slot, booking and search tests: plain async functions, no magic."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, Effector, Slot
from agenda.schemas import AppointmentOut
from agenda.service import booking
from agenda.service.directory import EffectorData, SiteData, upsert_effector
from agenda.service.slots import NewSlot, add_generated_slots
from snp.auth.models import User
from snp.auth.roles import Role
from snp.identifiers import rpps_with_check_digit
from tests.factories import create_user

PARIS = ZoneInfo("Europe/Paris")
_serial = itertools.count(1)

# Redon, in the demo territory.
REDON = (47.6514, -2.0843)


def paris(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Europe/Paris wall-clock time, timezone-aware."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def in_days(days: int, hour: int = 14, minute: int = 0) -> datetime:
    """Europe/Paris `hour:minute`, `days` days from today (always in the future for days >= 1)."""
    today = datetime.now(PARIS).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=PARIS)


async def create_effector(
    session: AsyncSession,
    *,
    family_name: str | None = None,
    user_id: int | None = None,
    specialty_code: str = "SM54",
    latitude: float = REDON[0],
    longitude: float = REDON[1],
    sites: int = 1,
) -> Effector:
    n = next(_serial)
    effector = await upsert_effector(
        session,
        EffectorData(
            rpps=rpps_with_check_digit(f"1{n:09d}"),
            family_name=family_name or f"Docteur{n}",
            given_name="Anne",
            phone="+33612345678",
            specialty_code=specialty_code,
            user_id=user_id,
            sites=[
                SiteData(
                    name=f"Cabinet {i + 1}",
                    address_line=f"{i + 1} rue du Port",
                    postal_code="35600",
                    city="Redon",
                    insee_code="35236",
                    latitude=latitude,
                    longitude=longitude,
                )
                for i in range(sites)
            ],
        ),
    )
    await session.commit()
    return effector


async def create_slot(
    session: AsyncSession,
    effector: Effector,
    start_at: datetime,
    minutes: int = 20,
    *,
    site_id: int | None = None,
    kinds: frozenset[str] = frozenset({"AMB"}),
    visibility: frozenset[str] = frozenset({"SNP", "CPTS"}),
    shared_with_sas: bool = True,
) -> Slot:
    """One free slot of `effector` (at its first site unless told), committed."""
    key = f"test:{next(_serial)}"
    new = NewSlot(
        start_at=start_at,
        end_at=start_at + timedelta(minutes=minutes),
        kinds=kinds,
        visibility=visibility,
        shared_with_sas=shared_with_sas,
        source_key=key,
    )
    inserted = await add_generated_slots(
        session, effector.id, site_id or effector.sites[0].id, [new]
    )
    assert inserted == 1
    await session.commit()
    slot = await session.scalar(
        select(Slot).where(Slot.effector_id == effector.id, Slot.source_key == key)
    )
    assert slot is not None
    return slot


async def create_effector_with_account(
    session: AsyncSession, email: str, **options: object
) -> tuple[User, Effector]:
    """An effector who can log in (role effector) and manage their own agenda."""
    user = await create_user(session, Role.EFFECTOR, email=email)
    effector = await create_effector(session, user_id=user.id, **options)  # type: ignore[arg-type]
    return user, effector


async def book(
    session: AsyncSession, slot: Slot, patient_label: str = "M. D., 54 ans", request_id: int = 1
) -> AppointmentOut:
    """Hold then confirm `slot` for an operator, committed."""
    await booking.hold(session, slot.id, "operator:test")
    appointment = await booking.confirm(
        session, slot.id, "operator:test", request_id=request_id, patient_label=patient_label
    )
    await session.commit()
    return appointment


async def book_then_move(
    session: AsyncSession,
    slot: Slot,
    start_at: datetime,
    patient_label: str = "M. D., 54 ans",
    request_id: int = 1,
) -> str:
    """An appointment booked on `slot` (a future one: booking takes only those), then moved to
    a 20-minute span at `start_at`, past or future, as if the time had gone by; committed. Its
    id."""
    appointment = await book(session, slot, patient_label=patient_label, request_id=request_id)
    await session.execute(
        update(Appointment)
        .where(Appointment.id == appointment.id)
        .values(start_at=start_at, end_at=start_at + timedelta(minutes=20))
    )
    await session.commit()
    return appointment.id
