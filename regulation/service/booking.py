"""The booking journey: select a candidate -> hold -> confirm with the patient on the phone ->
booked (appointment linked to the request) -> request closed with outcome `slot_booked`.

Only the person holding the request's claim may hold, confirm or release its slot (403 for
anyone else). The slot is held in `agenda` for `request:<id>:user:<uid>` (so a hold never
survives a change of hands) and remembered on the request; confirming is `agenda.confirm` (one
conditional UPDATE: of two operators confirming the same slot, exactly one wins, the other gets a
409) then `closing.mark_oriented` and `closing.close_request(slot_booked)`, all in the caller's
transaction. `agenda` emits `SlotBooked`, regulation `RequestOriented`, `RequestClosed` and
`RequestBooked`; none carries the patient's identity (notifications reads it with
`get_contact`). A hold is given back when the request is released, transferred or closed
otherwise (`handlers`), and in any case expires after `hold_ttl_seconds`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.errors import SlotNotSuitable
from regulation.events import RequestBooked
from regulation.models import Orientation, Origin, Outcome, RegulationRequest, RequestStatus
from regulation.schemas_booking import BookingOut, ReleaseHoldOut, RequestHoldOut
from regulation.service import closing
from regulation.service.gates import ensure_bookable
from regulation.service.needs import (
    KIND_LABELS,
    ConsultationKind,
    compatible_kinds,
    initials,
    patient_label,
    patient_place,
)
from regulation.service.records import (
    ENTITY,
    age_label,
    age_months,
    display_name,
    ensure_open,
    get_row,
    log_step,
    today_paris,
)
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import DomainError, Forbidden
from snp.kit import distance_km
from snp.settings import Settings, settings_of

# The appointment's `origin` (16 characters in agenda) from the request's origin.
APPOINTMENT_ORIGIN: dict[str, str] = {
    Origin.PATIENT_CALL: "patient_call",
    Origin.PHARMACIST: "pharmacist",
    Origin.NURSE: "nurse",
    Origin.EMERGENCY_DEPARTMENT: "emergency",
    Origin.SAS: "sas",
    Origin.OTHER: "other",
}


def holder_of(request_id: int, actor: Actor) -> str:
    return f"request:{request_id}:user:{actor.user_id}"


def ensure_claim_holder(row: RegulationRequest, actor: Actor, what: str = "réserver") -> None:
    """403 unless `actor` holds the request's claim (booking is the claim holder's job)."""
    if (
        row.status == RequestStatus.CLAIMED
        and actor.user_id is not None
        and row.claimed_by_user_id == actor.user_id
    ):
        return
    if row.status == RequestStatus.CLAIMED:
        who = row.claimed_by_name or "un autre membre de l'équipe"
        raise Forbidden(
            f"Demande prise en charge par {who} : seule cette personne peut {what}.",
            ("path", "request_id"),
        )
    raise Forbidden(
        f"Prenez d'abord la demande en charge pour {what} un créneau.", ("path", "request_id")
    )


def clear_hold(row: RegulationRequest) -> None:
    row.hold_slot_id = None
    row.hold_holder = None
    row.hold_kind = None
    row.hold_expires_at = None


async def _check_fit(
    session: AsyncSession,
    actor: Actor,
    row: RegulationRequest,
    held: agenda.HoldOut,
    kind: ConsultationKind | None,
    now: datetime,
    settings: Settings,
) -> ConsultationKind:
    """The kind to book, once checked that the held slot suits the patient (else a 422; the
    transaction, hold included, is then rolled back)."""
    wanted = compatible_kinds(row.orientation, row.mobility, kind)
    chosen = next((k for k in wanted if k in held.kinds), None)
    if chosen is None:
        offered = ", ".join(KIND_LABELS[k] for k in held.kinds)
        raise SlotNotSuitable(
            f"Ce créneau ne propose pas de consultation adaptée à la demande (proposé : "
            f"{offered}).",
            ("body", "slot_id"),
        )
    profile = await agenda.get_effector_profile(session, actor, held.effector_id)
    minimum = profile.min_patient_age_months
    if minimum is not None and age_months(row.birth_date, today_paris(now)) < minimum:
        limit = f"{minimum // 12} ans" if minimum % 12 == 0 else f"{minimum} mois"
        raise SlotNotSuitable(
            f"Cet effecteur ne reçoit pas les patients de moins de {limit}.", ("body", "slot_id")
        )
    if chosen == "HH":
        place = await patient_place(session, row)
        site = next((s for s in profile.sites if s.id == held.site_id), None)
        radius = profile.home_visit_radius_km or settings.regulation_home_visit_default_radius_km
        if place is None or site is None:
            raise SlotNotSuitable(
                "Position du patient inconnue : la visite à domicile ne peut être vérifiée.",
                ("body", "slot_id"),
            )
        if (
            not profile.home_visits
            or distance_km(place.point, (site.latitude, site.longitude)) > radius
        ):
            raise SlotNotSuitable(
                f"Le patient habite hors du rayon de visites à domicile de cet effecteur "
                f"({radius:g} km).",
                ("body", "slot_id"),
            )
    return chosen


async def hold_slot(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    slot_id: int,
    *,
    kind: ConsultationKind | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> RequestHoldOut:
    """Hold a candidate slot while the operator confirms with the patient on the phone.

    409 when someone else just took the slot; holding another slot gives the previous one back.
    """
    settings = settings or settings_of(session)
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_claim_holder(row, actor)
    ensure_bookable(row)
    holder = holder_of(row.id, actor)
    if row.hold_slot_id is not None and row.hold_slot_id != slot_id and row.hold_holder:
        await agenda.release(session, row.hold_slot_id, row.hold_holder)
    held = await agenda.hold(session, slot_id, holder, timedelta(seconds=settings.hold_ttl_seconds))
    try:
        chosen = await _check_fit(session, actor, row, held, kind, now, settings)
    except DomainError:
        await agenda.release(session, slot_id, holder)
        raise
    row.hold_slot_id = slot_id
    row.hold_holder = holder
    row.hold_kind = chosen
    row.hold_expires_at = held.hold_expires_at
    await audit.changed(session, actor, ENTITY, row.id, ["hold_slot_id"])
    log_step(
        session,
        row.id,
        actor,
        await display_name(session, actor),
        "slot_held",
        at=now,
        slot_id=slot_id,
        consultation=chosen,
    )
    await session.flush()
    return RequestHoldOut(
        request_id=row.id,
        slot_id=slot_id,
        kind=chosen,
        hold_expires_at=held.hold_expires_at,
        start_at=held.start_at,
        end_at=held.end_at,
        effector_id=held.effector_id,
        site_id=held.site_id,
        patient_label=patient_label(row, now),
    )


async def confirm_booking(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    slot_id: int,
    *,
    kind: ConsultationKind | None = None,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> BookingOut:
    """The patient agreed: book the held slot and close the request (`slot_booked`).

    409 (`agenda.HoldExpired`) when the hold ran out or was not taken for this request, 409
    (`agenda.SlotUnavailable`) when someone else got the slot."""
    settings = settings or settings_of(session)
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_claim_holder(row, actor)
    ensure_bookable(row)
    holder = holder_of(row.id, actor)
    if row.hold_slot_id != slot_id or row.hold_holder != holder:
        raise agenda.HoldExpired(
            "Ce créneau n'est pas réservé pour cette demande : reprenez-le s'il est encore libre.",
            ("body", "slot_id"),
        )
    chosen = row.hold_kind or "AMB"
    if kind is not None and kind != chosen:
        raise SlotNotSuitable(
            f"Ce créneau est tenu pour une {KIND_LABELS[chosen]} : reprenez-le pour changer "
            "de type de consultation.",
            ("body", "kind"),
        )
    appointment = await agenda.confirm(
        session,
        slot_id,
        holder,
        request_id=row.id,
        patient_label=patient_label(row, now),
        kind=chosen,
        origin=APPOINTMENT_ORIGIN.get(row.origin, "other"),
        booked_by_user_id=actor.user_id,
        actor=actor,
    )
    clear_hold(row)
    row.rebook_reason = None
    row.rebook_at = None
    row.offered_slot_id = None
    await closing.mark_oriented(
        session,
        actor,
        row.id,
        orientation=Orientation(appointment.kind),
        consultation_at=appointment.start_at,
        appointment_id=appointment.id,
        now=now,
    )
    request = await closing.close_request(
        session, actor, row.id, Outcome.SLOT_BOOKED, settings=settings, now=now
    )
    await events.emit(
        session,
        RequestBooked(
            request_id=row.id,
            appointment_id=appointment.id,
            slot_id=slot_id,
            effector_id=appointment.effector_id,
            start_at=appointment.start_at,
            kind=appointment.kind,
            referrer_user_id=row.referrer_user_id,
        ),
    )
    return BookingOut(request=request, appointment=appointment)


async def release_hold(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    slot_id: int,
    *,
    now: datetime | None = None,
) -> ReleaseHoldOut:
    """The patient declined (or the operator changes their mind): give the slot back."""
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_claim_holder(row, actor, "libérer")
    if row.hold_slot_id != slot_id or row.hold_holder is None:
        return ReleaseHoldOut(request_id=row.id, slot_id=slot_id, released=False)
    released = await agenda.release(session, slot_id, row.hold_holder)
    clear_hold(row)
    await audit.changed(session, actor, ENTITY, row.id, ["hold_slot_id"])
    log_step(
        session,
        row.id,
        actor,
        await display_name(session, actor),
        "hold_released",
        at=now or utcnow(),
        slot_id=slot_id,
    )
    await session.flush()
    return ReleaseHoldOut(request_id=row.id, slot_id=slot_id, released=released)


async def give_back_hold(session: AsyncSession, request_id: int) -> bool:
    """Release the slot a request still holds (the request was released, transferred or closed
    otherwise). Returns whether a hold was given back."""
    row = await get_row(session, request_id)
    if row.hold_slot_id is None or row.hold_holder is None:
        return False
    released = await agenda.release(session, row.hold_slot_id, row.hold_holder)
    clear_hold(row)
    await session.flush()
    return released


# -- the patient's contact, for notifications ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """What notifications needs to text a request's patient (no name, no clinical detail).

    Matches `notifications.PatientContact`. Opt-outs (STOP) are notifications' own records."""

    request_id: int
    phone: str | None  # E.164 mobile
    initials: str  # "J.D."
    age_label: str  # "34 ans", "8 mois"
    sms_consent: bool


async def get_contact(
    session: AsyncSession, request_id: int, *, reader: Actor | None = None
) -> Contact | None:
    """The patient's contact for SMS (None when the request is unknown). The read is traced
    in the audit trail as `reader` (by default the system `notifications`)."""
    row = await session.get(RegulationRequest, request_id)
    if row is None:
        return None
    await audit.read(session, reader or Actor.system("notifications"), ENTITY, row.id)
    return Contact(
        request_id=row.id,
        phone=row.phone or None,
        initials=initials(row.given_name, row.family_name),
        age_label=age_label(row.birth_date, today_paris()),
        sms_consent=bool(row.sms_consent),
    )
