"""The SAS regulator's booking journey in our UI (`/api/sas/...`).

`Slot.comment` of INT_R04 sends the regulator to `/sas/effecteurs/<id>?origin=sas`; that page
lists the effector's free slots shared with the SAS, and booking one goes through
`regulation.book_for_sas` (request with origin `sas`, closed `slot_booked`, usual events, so the
effector is notified and the platform receives the Appointment through the outbox).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict

import agenda
import regulation
from snp import audit
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.errors import BusinessRuleError

router = APIRouter(prefix="/api/sas", tags=["sas"])

Regulator = Annotated[Actor, Depends(require_roles(Role.SAS_REGULATOR, Role.COORDINATOR))]
MAX_DAYS = 14


class SasSiteOut(BaseModel):
    id: int
    name: str
    address_line: str
    postal_code: str
    city: str


class SasSlotOut(BaseModel):
    id: int
    start_at: datetime
    end_at: datetime
    kinds: list[Literal["AMB", "HH", "VR"]]
    site: SasSiteOut


class SasEffectorOut(BaseModel):
    id: int
    family_name: str
    given_name: str
    specialty_code: str
    specialty_text: str | None


class SasAgendaOut(BaseModel):
    effector: SasEffectorOut
    slots: list[SasSlotOut]


class SasBookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slot_id: int
    kind: Literal["AMB", "HH", "VR"] = "AMB"
    patient: regulation.SasPatientIn


class SasBookingOut(BaseModel):
    appointment_id: str
    request_id: int
    start_at: datetime
    end_at: datetime
    kind: str
    site: SasSiteOut | None
    effector: SasEffectorOut


def _effector_out(effector: agenda.SasEffector) -> SasEffectorOut:
    return SasEffectorOut(
        id=effector.id,
        family_name=effector.family_name,
        given_name=effector.given_name,
        specialty_code=effector.specialty_code,
        specialty_text=effector.specialty_text,
    )


@router.get("/effectors/{effector_id}/slots")
async def sas_effector_slots(
    effector_id: int,
    session: SessionDep,
    actor: Regulator,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = 7,
) -> SasAgendaOut:
    """The effector's free slots shared with the SAS over the next `days` days."""
    effector = await agenda.sas_effector(session, effector_id)
    now = utcnow()
    found = await agenda.search_free_slots(
        session,
        start=now,
        end=now + timedelta(days=days),
        effector_ids=[effector_id],
        shared_with_sas_only=True,
        limit=500,
    )
    await audit.read(session, actor, "effector", effector_id)
    return SasAgendaOut(
        effector=_effector_out(effector),
        slots=[
            SasSlotOut(
                id=s.id,
                start_at=s.start_at,
                end_at=s.end_at,
                kinds=list(s.kinds),
                site=SasSiteOut(
                    id=s.site.id,
                    name=s.site.name,
                    address_line=s.site.address_line,
                    postal_code=s.site.postal_code,
                    city=s.site.city,
                ),
            )
            for s in found
        ],
    )


@router.post("/effectors/{effector_id}/bookings", status_code=status.HTTP_201_CREATED)
async def sas_book(
    effector_id: int,
    body: SasBookingIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Regulator,
) -> SasBookingOut:
    """Book one of the effector's slots for the regulator's patient."""
    effector = await agenda.sas_effector(session, effector_id)
    booked = await regulation.book_for_sas(
        session, actor, body.slot_id, body.patient, kind=body.kind, settings=settings
    )
    appointment = booked.appointment
    if appointment.effector_id != effector_id:  # rolled back with the whole request
        raise BusinessRuleError("Ce créneau n'est pas celui de cet effecteur.", ("body", "slot_id"))
    site = appointment.site
    return SasBookingOut(
        appointment_id=appointment.id,
        request_id=booked.request.id,
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        kind=appointment.kind,
        site=SasSiteOut(
            id=site.id,
            name=site.name,
            address_line=site.address_line,
            postal_code=site.postal_code,
            city=site.city,
        )
        if site is not None
        else None,
        effector=_effector_out(effector),
    )
