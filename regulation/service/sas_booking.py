"""A SAS regulator books a slot for their patient (the national SAS platform sent them here).

The regulator is a physician who has already regulated the call: there is no queue and no
protocol triage (the age band is still recorded, from the birth date). In one transaction:
the request is created with origin `sas` (claimed by the regulator, marked triaged by them with
the chosen consultation kind), the slot is held then
confirmed through the usual journey (`booking.hold_slot`, `booking.confirm_booking`), so the
request ends closed with outcome `slot_booked` and the usual events are emitted (`SlotBooked`
with origin `sas` — the SAS adapter pushes it to the platform —, `RequestBooked`, ...).
Any refusal rolls everything back: no half-written request.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import Origin, Sex
from regulation.schemas import (
    BirthDate,
    InseeCode,
    Latitude,
    Longitude,
    MobilePhone,
    Name,
    RequestCreate,
    ShortText,
    _In,
)
from regulation.schemas_booking import BookingOut
from regulation.service import booking, intake
from regulation.service.needs import ConsultationKind
from regulation.service.records import age_months, display_name, get_row, log_step, today_paris
from regulation.service.versions import current_version
from snp.actor import Actor
from snp.db import utcnow
from snp.settings import Settings

SAS_DEADLINE = timedelta(hours=48)  # the SAS's own target for an appointment


class SasPatientIn(_In):
    """The minimum the effector and the notifications need (no clinical detail)."""

    family_name: Name
    given_name: Name
    birth_date: BirthDate
    sex: Sex = Sex.UNDETERMINED
    phone: MobilePhone = Field(description="Mobile number, any notation; stored in E.164.")
    commune_insee: InseeCode | None = Field(default=None, description="INSEE code of the commune.")
    address_line: ShortText | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    sms_consent: bool = Field(default=True, description="The patient agrees to SMS reminders.")


async def book_for_sas(
    session: AsyncSession,
    actor: Actor,
    slot_id: int,
    patient: SasPatientIn,
    *,
    kind: ConsultationKind = "AMB",
    settings: Settings,
    now: datetime | None = None,
) -> BookingOut:
    """Create the SAS request and book `slot_id` for it; 409 when the slot was just taken."""
    now = now or utcnow()
    data = RequestCreate(
        family_name=patient.family_name,
        given_name=patient.given_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        phone=patient.phone,
        commune_insee=patient.commune_insee,
        address_line=patient.address_line,
        latitude=patient.latitude,
        longitude=patient.longitude,
        sms_consent=patient.sms_consent,
        origin=Origin.SAS,
        claim=True,
    )
    created = await intake.create_request(
        session, actor, data, settings=settings, origin=Origin.SAS, now=now
    )
    row = await get_row(session, created.id, for_update=True)
    # Regulated by the SAS regulator themself: triaged with the kind they chose. The age band
    # comes from the birth date the form asks for, in the current protocol's bands, so that
    # the indicators' age-band figures count SAS bookings like the others.
    _, document = await current_version(session)
    row.age_band = document.band_for(age_months(row.birth_date, today_paris(now))).id
    row.triaged_at = now
    row.orientation = kind
    row.triage_rule = "sas_regulator"
    row.deadline_at = now + SAS_DEADLINE
    log_step(
        session,
        row.id,
        actor,
        await display_name(session, actor),
        "triaged",
        at=now,
        rule="sas_regulator",
        orientation=kind,
    )
    await session.flush()
    await booking.hold_slot(session, actor, row.id, slot_id, kind=kind, settings=settings, now=now)
    return await booking.confirm_booking(
        session, actor, row.id, slot_id, kind=kind, settings=settings, now=now
    )
