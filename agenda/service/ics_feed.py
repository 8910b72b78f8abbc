"""The booked-appointments feed: a per-effector ICS calendar of their SNP appointments (patient
label and kind, site address: no phone, no clinical text) with a Europe/Paris VTIMEZONE, at a
secret URL for their calendar app. Appointments that took place or were missed stay in it with
their outcome (« vu », « absent »): a recorded outcome never removes an event from the GP's
phone calendar. Regenerating or revoking the token kills the
old URL at once. Each fetch is traced in the audit trail.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

import icalendar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment, AppointmentStatus, Effector, Site
from agenda.service.directory import feed_path, managed_effector
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.kit import PARIS

FEED_PAST_DAYS = 30  # appointments this old still show in the feed
# What the feed shows: live appointments and those whose outcome was recorded.
_IN_FEED = (AppointmentStatus.BOOKED, AppointmentStatus.FULFILLED, AppointmentStatus.NOSHOW)
_OUTCOME_LABELS = {
    AppointmentStatus.FULFILLED.value: "vu",
    AppointmentStatus.NOSHOW.value: "absent",
}
_AFTER_CARE_LABELS = {"emergency": "adressé aux urgences", "hospitalised": "hospitalisé"}
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
_KIND_LABELS = {"AMB": "au cabinet", "HH": "visite à domicile", "VR": "téléconsultation"}


async def regenerate_feed_token(
    session: AsyncSession, actor: Actor, effector_id: int | None = None
) -> str:
    """Create or replace the effector's secret feed token; returns the feed's path.
    The previous URL stops working at once."""
    effector = await managed_effector(session, actor, effector_id)
    effector.ics_feed_token = secrets.token_urlsafe(32)
    await session.flush()
    await audit.changed(session, actor, "effector", effector.id, ["ics_feed_token"])
    return feed_path(effector.ics_feed_token)


async def revoke_feed_token(
    session: AsyncSession, actor: Actor, effector_id: int | None = None
) -> None:
    effector = await managed_effector(session, actor, effector_id)
    if effector.ics_feed_token is not None:
        effector.ics_feed_token = None
        await session.flush()
        await audit.changed(session, actor, "effector", effector.id, ["ics_feed_token"])


def paris_vtimezone() -> icalendar.Timezone:
    """Europe/Paris with the EU rules (last Sundays of March and October), valid for any year."""
    timezone = icalendar.Timezone()
    timezone.add("TZID", "Europe/Paris")
    summer = icalendar.TimezoneDaylight()
    summer.add("TZNAME", "CEST")
    summer.add("TZOFFSETFROM", timedelta(hours=1))
    summer.add("TZOFFSETTO", timedelta(hours=2))
    summer.add("DTSTART", datetime(1981, 3, 29, 2, 0))  # noqa: DTZ001 - local by definition
    summer.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    winter = icalendar.TimezoneStandard()
    winter.add("TZNAME", "CET")
    winter.add("TZOFFSETFROM", timedelta(hours=2))
    winter.add("TZOFFSETTO", timedelta(hours=1))
    winter.add("DTSTART", datetime(1996, 10, 27, 3, 0))  # noqa: DTZ001 - local by definition
    winter.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    timezone.add_component(summer)
    timezone.add_component(winter)
    return timezone


def _address(site: Site | None) -> str | None:
    if site is None:
        return None
    return f"{site.name}, {site.address_line}, {site.postal_code} {site.city}"


def appointment_event(
    appointment: Appointment, site: Site | None, stamp: datetime
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("UID", f"{appointment.id}@snp")
    event.add("DTSTAMP", stamp)
    event.add("DTSTART", appointment.start_at.astimezone(PARIS))
    event.add("DTEND", appointment.end_at.astimezone(PARIS))
    label = appointment.patient_label or "Patient"
    kind = _KIND_LABELS.get(appointment.kind, appointment.kind)
    outcome = _OUTCOME_LABELS.get(appointment.status)
    if outcome is not None:
        after = _AFTER_CARE_LABELS.get(appointment.after_care or "")
        outcome = f"{outcome}, {after}" if after else outcome
        event.add("SUMMARY", f"SNP : {label} ({kind}) – {outcome}")
    else:
        event.add("SUMMARY", f"SNP : {label} ({kind})")
    address = _address(site)
    if address:
        event.add("LOCATION", address)
    event.add("DESCRIPTION", "Rendez-vous de soins non programmés (plateforme SNP de la CPTS).")
    event.add("CATEGORIES", ["SNP"])
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "OPAQUE")
    return event


async def appointments_feed(
    session: AsyncSession, token: str, *, ip: str | None = None, now: datetime | None = None
) -> bytes:
    """The effector's booked appointments as an ICS calendar; 404 for an unknown token."""
    now = now or utcnow()
    effector = None
    if _TOKEN.fullmatch(token):
        effector = await session.scalar(select(Effector).where(Effector.ics_feed_token == token))
    if effector is None:
        raise NotFound("Calendrier introuvable : ce lien a été révoqué ou n'existe pas.")
    appointments = list(
        await session.scalars(
            select(Appointment)
            .where(
                Appointment.effector_id == effector.id,
                Appointment.status.in_([s.value for s in _IN_FEED]),
                Appointment.start_at >= now - timedelta(days=FEED_PAST_DAYS),
            )
            .order_by(Appointment.start_at)
        )
    )
    site_ids = {a.site_id for a in appointments if a.site_id is not None}
    sites = {
        s.id: s for s in await session.scalars(select(Site).where(Site.id.in_(list(site_ids))))
    }
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//CPTS//Plateforme SNP//FR")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", "Rendez-vous SNP")
    calendar.add("X-WR-TIMEZONE", "Europe/Paris")
    calendar.add("REFRESH-INTERVAL", timedelta(minutes=15), parameters={"VALUE": "DURATION"})
    calendar.add_component(paris_vtimezone())
    for appointment in appointments:
        site = sites.get(appointment.site_id) if appointment.site_id is not None else None
        calendar.add_component(appointment_event(appointment, site, now))
    reader = Actor(user_id=None, email="ics-feed", role=None, ip=ip)
    await audit.read(session, reader, "ics_feed", effector.id)
    return bytes(calendar.to_ical())
