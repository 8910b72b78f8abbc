"""The SAS regulator's pages in our UI (`/api/sas/...`).

`Slot.comment` of INT_R04 sends the regulator to `/sas/effecteurs/<id>/creneaux/<slot>?origin=sas`;
that page lists the effector's free slots shared with the SAS over the whole window the search
exposes (31 days), opened on the chosen slot, and booking one goes through
`regulation.book_for_sas` (request with origin `sas`, closed `slot_booked`, usual events, so the
effector is notified and the platform receives the Appointment through the outbox).

Enforced here, on the server: only SAS regulators use these routes (coordinators and operators
book through the regulation queue), only after accepting the current terms of use
(`sas.terms`), only with an account linked to the platform (INT_R02: the pushed Appointment must
name them), only slots shared with the SAS, and they list and cancel only the appointments they
booked themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

import agenda
import regulation
from sas import terms
from sas.errors import SlotNotOfEffector
from sas.models import SasAppointment
from sas.practitioners import operator_of_user
from snp import audit
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.errors import BusinessRuleError, Forbidden, NotFound

router = APIRouter(prefix="/api/sas", tags=["sas"])

SasRegulator = Annotated[Actor, Depends(require_roles(Role.SAS_REGULATOR))]
MAX_DAYS = 31  # the window the INT_R04 search exposes


async def _ready_regulator(session: SessionDep, actor: SasRegulator) -> Actor:
    """Policy: a SAS regulator who accepted the current terms of use."""
    await terms.require_accepted(session, actor)
    return actor


Regulator = Annotated[Actor, Depends(_ready_regulator)]


class SasTermsOut(BaseModel):
    version: str
    title: str
    text: str
    accepted: bool


class SasTermsAcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(min_length=1, max_length=20)


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
    remark: str | None = Field(description="The effector's remark on the slot (reason, access).")
    site: SasSiteOut


class SasEffectorOut(BaseModel):
    id: int
    family_name: str
    given_name: str
    specialty_code: str
    specialty_text: str | None


class SasAgendaOut(BaseModel):
    effector: SasEffectorOut
    days: int
    slots: list[SasSlotOut]


class SasBookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    slot_id: int = Field(ge=1, le=2**31 - 1)
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


class SasMyBookingOut(BaseModel):
    appointment_id: str
    status: Literal["booked", "fulfilled", "noshow", "cancelled"]
    start_at: datetime
    end_at: datetime
    booked_at: datetime
    awaiting_rebooking: bool
    effector: SasEffectorOut | None


class SasCancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=200, description="Motif (sans donnée de santé).")


def _effector_out(effector: agenda.SasEffector) -> SasEffectorOut:
    return SasEffectorOut(
        id=effector.id,
        family_name=effector.family_name,
        given_name=effector.given_name,
        specialty_code=effector.specialty_code,
        specialty_text=effector.specialty_text,
    )


@router.get("/terms")
async def get_terms(session: SessionDep, actor: SasRegulator) -> SasTermsOut:
    """The current terms of use, and whether you accepted them."""
    assert actor.user_id is not None
    accepted = await terms.has_accepted(session, actor.user_id)
    return SasTermsOut(version=terms.VERSION, title=terms.TITLE, text=terms.TEXT, accepted=accepted)


@router.post("/terms/accept", status_code=status.HTTP_204_NO_CONTENT)
async def accept_terms(body: SasTermsAcceptIn, session: SessionDep, actor: SasRegulator) -> None:
    """Accept the current version (recorded, audited)."""
    await terms.accept(session, actor, body.version)


@router.get("/effectors/{effector_id}/slots")
async def sas_effector_slots(
    effector_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    actor: Regulator,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS)] = MAX_DAYS,
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
        limit=2000,
    )
    await audit.read(session, actor, "effector", effector_id)
    return SasAgendaOut(
        effector=_effector_out(effector),
        days=days,
        slots=[
            SasSlotOut(
                id=s.id,
                start_at=s.start_at,
                end_at=s.end_at,
                kinds=list(s.kinds),
                remark=s.reason,
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
    effector_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: SasBookingIn,
    session: SessionDep,
    settings: SettingsDep,
    actor: Regulator,
) -> SasBookingOut:
    """Book one of the effector's slots shared with the SAS for the regulator's patient."""
    effector = await agenda.sas_effector(session, effector_id)
    if await operator_of_user(session, actor.user_id) is None:
        raise Forbidden(
            "Votre compte n'est pas relié à un compte régulateur de la plateforme SAS : la prise "
            "de rendez-vous SAS est impossible. Contactez la coordination de la CPTS."
        )
    shared = await agenda.slot_shared_with_sas(session, body.slot_id)
    if shared is None:
        raise NotFound("Créneau introuvable.", ("body", "slot_id"))
    if not shared:
        raise BusinessRuleError(
            "Ce créneau n'est pas partagé avec le SAS : il ne peut pas être réservé ici.",
            ("body", "slot_id"),
        )
    booked = await regulation.book_for_sas(
        session, actor, body.slot_id, body.patient, kind=body.kind, settings=settings
    )
    appointment = booked.appointment
    if appointment.effector_id != effector_id:  # rolled back with the whole request
        raise SlotNotOfEffector("Ce créneau n'est pas celui de cet effecteur.", ("body", "slot_id"))
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


async def _own_rows(session: SessionDep, actor: Actor) -> list[SasAppointment]:
    """The latest row of each platform appointment the regulator booked, newest first."""
    rows = list(
        await session.scalars(
            select(SasAppointment)
            .where(SasAppointment.booked_by_user_id == actor.user_id)
            .order_by(SasAppointment.start_at.desc())
        )
    )

    # A rescheduled appointment has several rows (one per slot, same identifier): the current
    # one is the row still live, else the one waiting for a new slot, else any cancelled one.
    def rank(row: SasAppointment) -> int:
        return 2 if row.status != "cancelled" else 1 if row.awaiting_rebooking else 0

    latest: dict[str, SasAppointment] = {}
    for row in rows:
        kept = latest.get(row.identifier)
        if kept is None or rank(row) > rank(kept):
            latest[row.identifier] = row
    return sorted(latest.values(), key=lambda r: r.start_at, reverse=True)


@router.get("/bookings")
async def my_bookings(session: SessionDep, actor: Regulator) -> list[SasMyBookingOut]:
    """The appointments you booked through the SAS (latest state of each), newest first."""
    out: list[SasMyBookingOut] = []
    effectors: dict[int, SasEffectorOut | None] = {}
    for row in (await _own_rows(session, actor))[:200]:
        facts = await agenda.sas_appointment_facts(session, row.appointment_id)
        if facts.effector_id not in effectors:
            try:
                effectors[facts.effector_id] = _effector_out(
                    await agenda.sas_effector(session, facts.effector_id)
                )
            except NotFound:
                effectors[facts.effector_id] = None
        out.append(
            SasMyBookingOut(
                appointment_id=row.appointment_id,
                status=row.status,
                start_at=row.start_at,
                end_at=row.end_at,
                booked_at=row.booked_at,
                awaiting_rebooking=row.awaiting_rebooking,
                effector=effectors[facts.effector_id],
            )
        )
    await audit.record(session, actor, "list", "sas_appointment", actor.user_id)
    return out


@router.post("/bookings/{appointment_id}/cancel")
async def cancel_my_booking(
    appointment_id: Annotated[str, Path(max_length=36)],
    body: SasCancelIn,
    session: SessionDep,
    actor: Regulator,
) -> SasMyBookingOut:
    """Cancel an appointment you booked (the platform is told: PUT cancelled)."""
    row = await session.get(SasAppointment, appointment_id)
    if row is None or row.booked_by_user_id != actor.user_id:
        raise NotFound(
            "Rendez-vous introuvable parmi ceux que vous avez pris.", ("path", "appointment_id")
        )
    if row.status != "booked":
        raise BusinessRuleError("Ce rendez-vous n'est plus à venir : il ne peut pas être annulé.")
    await agenda.cancel(session, appointment_id, by="sas", reason=body.reason, actor=actor)
    await session.refresh(row)
    return SasMyBookingOut(
        appointment_id=row.appointment_id,
        status=row.status,
        start_at=row.start_at,
        end_at=row.end_at,
        booked_at=row.booked_at,
        awaiting_rebooking=row.awaiting_rebooking,
        effector=None,
    )
