"""A request's appointments as the front desk shows them: who, when, where, and what became
of each (booked, cancelled by whom and why, seen, absent, to rebook)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, Effector, Site
from agenda.schemas import AppointmentState, CancelledBy, Kind, SiteOut
from snp.identifiers import display_phone


class RequestAppointment(BaseModel):
    """One appointment of a request, with its practitioner and place."""

    id: str
    status: AppointmentState
    kind: Kind
    start_at: datetime
    end_at: datetime
    effector_id: int
    practitioner: str = Field(description="« Dr Prénom Nom » ou « Prénom Nom (profession) ».")
    profession: str
    practitioner_phone: str = Field(description="Le cabinet, en notation française.")
    site: SiteOut | None = Field(description="Où (aucun pour une téléconsultation sans lieu).")
    cancelled_by: CancelledBy | None
    cancel_reason: str | None


def _phone(value: str) -> str:
    try:
        return display_phone(value)
    except Exception:
        return value


def practitioner_label(effector: Effector) -> str:
    name = f"{effector.given_name} {effector.family_name}"
    return f"Dr {name}" if effector.profession == "Médecin" else f"{name} ({effector.profession})"


async def request_appointments(session: AsyncSession, request_id: int) -> list[RequestAppointment]:
    """Every appointment booked for the request, latest first (the current one on top)."""
    rows = (
        await session.execute(
            select(Appointment, Effector, Site)
            .join(Effector, Effector.id == Appointment.effector_id)
            .outerjoin(Site, Site.id == Appointment.site_id)
            .where(Appointment.request_id == request_id)
            .order_by(Appointment.start_at.desc(), Appointment.id)
        )
    ).all()
    return [
        RequestAppointment(
            id=appointment.id,
            status=appointment.status,
            kind=appointment.kind,
            start_at=appointment.start_at,
            end_at=appointment.end_at,
            effector_id=effector.id,
            practitioner=practitioner_label(effector),
            profession=effector.profession,
            practitioner_phone=_phone(effector.phone),
            site=SiteOut.model_validate(site) if site is not None else None,
            cancelled_by=appointment.cancelled_by,
            cancel_reason=appointment.cancel_reason,
        )
        for appointment, effector, site in rows
    ]
