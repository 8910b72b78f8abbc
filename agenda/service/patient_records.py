"""A patient's rights (access, rectification, erasure): what the agenda holds on the patients of
some regulation requests — their appointments — read, relabelled after a correction, and the
upcoming ones that forbid an erasure. (Erasure itself reuses `retention`.)"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, AppointmentStatus, Effector, Site
from agenda.service.retention import PSEUDONYMISED_LABEL


@dataclass(frozen=True, slots=True)
class PatientAppointment:
    """One appointment of a patient, as their right-of-access export shows it."""

    id: str
    request_id: int
    start_at: datetime
    end_at: datetime
    kind: str
    status: str
    origin: str
    effector_name: str
    place: str | None
    patient_label: str | None
    cancelled_by: str | None
    cancel_reason: str | None
    after_care: str | None
    created_at: datetime


async def appointments_of_requests(
    session: AsyncSession, request_ids: Collection[int]
) -> list[PatientAppointment]:
    """Every appointment booked for these requests (any status), oldest first."""
    ids = sorted(set(request_ids))
    if not ids:
        return []
    rows = await session.execute(
        select(Appointment, Effector.given_name, Effector.family_name, Site)
        .join(Effector, Effector.id == Appointment.effector_id)
        .outerjoin(Site, Site.id == Appointment.site_id)
        .where(Appointment.request_id.in_(ids))
        .order_by(Appointment.start_at, Appointment.id)
    )
    found = []
    for appointment, given, family, site in rows:
        place = f"{site.address_line}, {site.postal_code} {site.city}" if site else None
        found.append(
            PatientAppointment(
                id=appointment.id,
                request_id=appointment.request_id or 0,
                start_at=appointment.start_at,
                end_at=appointment.end_at,
                kind=appointment.kind,
                status=appointment.status,
                origin=appointment.origin,
                effector_name=f"{given} {family}",
                place=place,
                patient_label=appointment.patient_label,
                cancelled_by=appointment.cancelled_by,
                cancel_reason=appointment.cancel_reason,
                after_care=appointment.after_care,
                created_at=appointment.created_at,
            )
        )
    return found


async def upcoming_appointments(
    session: AsyncSession, request_ids: Collection[int], *, now: datetime
) -> dict[int, datetime]:
    """Request id -> start of its earliest appointment still booked and still to come."""
    ids = sorted(set(request_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(Appointment.request_id, Appointment.start_at)
        .where(
            Appointment.request_id.in_(ids),
            Appointment.status == AppointmentStatus.BOOKED.value,
            Appointment.end_at > now,
        )
        .order_by(Appointment.start_at)
    )
    upcoming: dict[int, datetime] = {}
    for request_id, start_at in rows:
        if request_id is not None:
            upcoming.setdefault(request_id, start_at)
    return upcoming


async def relabel_appointments(session: AsyncSession, request_id: int, label: str) -> int:
    """After a rectification of the patient's name or birth date: the label (initials and age)
    of the request's appointments follows; returns how many changed. Pseudonymised labels
    stay as they are."""
    result = await session.execute(
        update(Appointment)
        .where(
            Appointment.request_id == request_id,
            Appointment.patient_label.is_not(None),
            Appointment.patient_label != PSEUDONYMISED_LABEL,
            Appointment.patient_label != label,
        )
        .values(patient_label=label)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
