"""The SMS the agenda's events cause: to the effector and to the patient, in their transaction.

Idempotency keys are `<event>:<appointment>:<audience>:<number>`, so a handler run twice (or a
patient's ANNULER racing the agenda's own event) enqueues each message once.

Which messages are essential (sent even after STOP): booking confirmations (the patient asked
for the appointment on the phone and consented to SMS), cancellations and rebookings (the patient
must not travel for nothing) and every message to effectors about their patients. Reminders are
not essential.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentCancelled, AppointmentMoved, AppointmentNeedsRebooking, SlotBooked
from notifications.models import Audience
from notifications.service import outbox, sources, timing
from notifications.service.outbox import About
from notifications.service.sources import EffectorContact, PatientContact
from notifications.service.templates import VARIABLES
from snp import patient_info
from snp.db import utcnow
from snp.identifiers import display_phone
from snp.settings import Settings, settings_of

log = logging.getLogger(__name__)

KIND_LABELS = {"AMB": "au cabinet", "HH": "visite à domicile", "VR": "téléconsultation"}
CONFIRMATION_TEMPLATES = {
    "AMB": "patient_rdv_cabinet",
    "HH": "patient_rdv_domicile",
    "VR": "patient_rdv_teleconsultation",
}
REMINDER = "patient_rappel"
UNKNOWN_PHONE = "sur la plateforme"


def _when(start_at: datetime) -> dict[str, str]:
    return {"date": timing.paris_date(start_at), "heure": timing.paris_time(start_at)}


def _place(kind: str, effector: EffectorContact | None, site_id: int | None) -> str:
    if kind == "HH":
        return "à votre domicile"
    if kind == "VR":
        return "en téléconsultation"
    return effector.address(site_id) if effector else "adresse communiquée par la plateforme"


def _practitioner(effector: EffectorContact | None) -> str:
    return effector.name if effector else "le médecin"


def notice_link(settings: Settings) -> str:
    """The information notice's short link for the confirmation SMS; left out (with its line)
    when the public address is not set or would make the link longer than its room."""
    link = patient_info.notice_link(settings.public_base_url)
    return link if len(link) <= VARIABLES["lien_infos"] else ""


async def patient_phone(
    session: AsyncSession, contact: PatientContact | None, appointment_id: str
) -> str | None:
    """Where the patient's messages about this appointment go: their contact's mobile when they
    consented; with no contact known, the number we already told about this appointment."""
    if contact is not None:
        return contact.phone if contact.sms_consent and contact.phone else None
    return await outbox.patient_phone_of(session, appointment_id)


async def on_slot_booked(
    session: AsyncSession, event: SlotBooked, settings: Settings | None = None
) -> None:
    settings = settings or settings_of(session)
    now = utcnow()
    effector = await sources.effector_contact(session, event.effector_id)
    contact = await sources.patient_contact(session, event.request_id)
    about = About(
        appointment_id=event.appointment_id,
        appointment_start_at=event.start_at,
        request_id=event.request_id,
        effector_id=event.effector_id,
    )
    when = _when(event.start_at)
    if effector is not None:
        await outbox.enqueue(
            session,
            key=f"SlotBooked:{event.appointment_id}:effector:{effector.phone}",
            to=effector.phone,
            template="effecteur_rdv",
            audience=Audience.EFFECTOR,
            values={
                **when,
                "patient": sources.patient_label(contact),
                "telephone_patient": (
                    display_phone(contact.phone) if contact and contact.phone else UNKNOWN_PHONE
                ),
                "type": KIND_LABELS.get(event.kind, event.kind),
            },
            send_at=timing.effector_send_at(
                now, event.start_at, settings.sms_quiet_hours_start, settings.sms_quiet_hours_end
            ),
            about=about,
        )
    phone = await patient_phone(session, contact, event.appointment_id)
    if phone is None:
        log.info("no patient SMS for appointment %s: no contact or consent", event.appointment_id)
        return
    details = {
        **when,
        "praticien": _practitioner(effector),
        "adresse": _place(event.kind, effector, event.site_id),
        "lien_infos": notice_link(settings),
    }
    await outbox.enqueue(
        session,
        key=f"SlotBooked:{event.appointment_id}:patient:{phone}",
        to=phone,
        template=CONFIRMATION_TEMPLATES.get(event.kind, "patient_rdv_cabinet"),
        audience=Audience.PATIENT,
        values=details,
        about=about,
    )
    await _remind(
        session,
        settings,
        f"{event.appointment_id}:patient:{phone}",
        phone,
        event.start_at,
        details,
        about,
        now,
    )


async def _remind(
    session: AsyncSession,
    settings: Settings,
    key: str,
    phone: str,
    start_at: datetime,
    details: dict[str, str],
    about: About,
    now: datetime,
) -> None:
    """The patient's reminder before the appointment, unless it is already too close; it expires
    when the appointment starts."""
    remind_at = timing.reminder_at(start_at, settings.sms_reminder_minutes_before, now)
    if remind_at is None:
        return
    await outbox.enqueue(
        session,
        key=f"reminder:{key}",
        to=phone,
        template=REMINDER,
        audience=Audience.PATIENT,
        values=details,
        essential=False,
        send_at=remind_at,
        expires_at=start_at,
        about=about,
    )


async def _tell_both(
    session: AsyncSession,
    *,
    event_name: str,
    appointment_id: str,
    request_id: int | None,
    effector_id: int,
    start_at: datetime,
    effector_template: str | None,
    patient_template: str,
    settings: Settings,
) -> None:
    await outbox.suppress_pending(session, appointment_id, [REMINDER], "cancelled")
    now = utcnow()
    if start_at <= now:
        return  # nobody needs news of a past appointment
    effector = await sources.effector_contact(session, effector_id)
    contact = await sources.patient_contact(session, request_id)
    about = About(
        appointment_id=appointment_id,
        appointment_start_at=start_at,
        request_id=request_id,
        effector_id=effector_id,
    )
    when = _when(start_at)
    if effector is not None and effector_template is not None:
        await outbox.enqueue(
            session,
            key=f"{event_name}:{appointment_id}:effector:{effector.phone}",
            to=effector.phone,
            template=effector_template,
            audience=Audience.EFFECTOR,
            values={**when, "patient": sources.patient_label(contact)},
            send_at=timing.effector_send_at(
                now, start_at, settings.sms_quiet_hours_start, settings.sms_quiet_hours_end
            ),
            about=about,
        )
    phone = await patient_phone(session, contact, appointment_id)
    if phone is not None:
        await tell_patient(
            session,
            event_name=event_name,
            appointment_id=appointment_id,
            phone=phone,
            template=patient_template,
            start_at=start_at,
            effector=effector,
            about=about,
        )


async def tell_patient(
    session: AsyncSession,
    *,
    event_name: str,
    appointment_id: str,
    phone: str,
    template: str,
    start_at: datetime,
    effector: EffectorContact | None,
    about: About,
) -> bool:
    return await outbox.enqueue(
        session,
        key=f"{event_name}:{appointment_id}:patient:{phone}",
        to=phone,
        template=template,
        audience=Audience.PATIENT,
        values={**_when(start_at), "praticien": _practitioner(effector)},
        about=about,
    )


async def on_appointment_cancelled(
    session: AsyncSession, event: AppointmentCancelled, settings: Settings | None = None
) -> None:
    await _tell_both(
        session,
        event_name="AppointmentCancelled",
        appointment_id=event.appointment_id,
        request_id=event.request_id,
        effector_id=event.effector_id,
        start_at=event.start_at,
        # The effector who cancelled knows it already.
        effector_template=None if event.by == "effector" else "effecteur_annulation",
        patient_template=(
            "patient_annulation_confirmee" if event.by == "patient" else "patient_annulation"
        ),
        settings=settings or settings_of(session),
    )


async def on_needs_rebooking(
    session: AsyncSession, event: AppointmentNeedsRebooking, settings: Settings | None = None
) -> None:
    await _tell_both(
        session,
        event_name="AppointmentNeedsRebooking",
        appointment_id=event.appointment_id,
        request_id=event.request_id,
        effector_id=event.effector_id,
        start_at=event.start_at,
        effector_template="effecteur_a_reprogrammer",
        patient_template="patient_a_reprogrammer",
        settings=settings or settings_of(session),
    )


async def on_appointment_moved(
    session: AsyncSession, event: AppointmentMoved, settings: Settings | None = None
) -> None:
    """The patient gets the new time and place (and a new reminder); the GP both slots, unless
    they moved it themselves. Keys carry the new slot: a second move is news again."""
    settings = settings or settings_of(session)
    await outbox.suppress_pending(session, event.appointment_id, [REMINDER], "moved")
    now = utcnow()
    effector = await sources.effector_contact(session, event.effector_id)
    contact = await sources.patient_contact(session, event.request_id)
    about = About(
        appointment_id=event.appointment_id,
        appointment_start_at=event.to_start_at,
        request_id=event.request_id,
        effector_id=event.effector_id,
    )
    move = f"{event.appointment_id}:{event.to_slot_id}"
    when = _when(event.to_start_at)
    if effector is not None and event.by != "effector":
        before = _when(event.from_start_at)
        await outbox.enqueue(
            session,
            key=f"AppointmentMoved:{move}:effector:{effector.phone}",
            to=effector.phone,
            template="effecteur_rdv_deplace",
            audience=Audience.EFFECTOR,
            values={
                **when,
                "ancienne_date": before["date"],
                "ancienne_heure": before["heure"],
                "patient": sources.patient_label(contact),
            },
            send_at=timing.effector_send_at(
                now,
                min(event.from_start_at, event.to_start_at),
                settings.sms_quiet_hours_start,
                settings.sms_quiet_hours_end,
            ),
            about=about,
        )
    phone = await patient_phone(session, contact, event.appointment_id)
    if phone is None:
        log.info("no patient SMS for moved appointment %s: no contact", event.appointment_id)
        return
    details = {
        **when,
        "praticien": _practitioner(effector),
        "adresse": _place(event.kind, effector, event.to_site_id),
    }
    await outbox.enqueue(
        session,
        key=f"AppointmentMoved:{move}:patient:{phone}",
        to=phone,
        template="patient_rdv_deplace",
        audience=Audience.PATIENT,
        values=details,
        about=about,
    )
    await _remind(
        session, settings, f"{move}:patient:{phone}", phone, event.to_start_at, details, about, now
    )
