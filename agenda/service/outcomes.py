"""The consultation log: what became of each booked appointment.

An effector records in one click that the patient was seen (`fulfilled`, optionally sent on to
the emergency department or hospitalised) or did not come (`noshow`); operators and
coordinators may record it too, and anyone allowed may correct it later. Each change is traced
in the audit trail (who, when, old -> new) and emits `AppointmentOutcomeRecorded`, the source of
every consultation figure. Cancellations (by whom, why) go through `appointments.cancel`, and
a rebooking shows as `rescheduled_to` on the cancelled appointment.

The day after, appointments still `booked` are "to report" (`list_unreported`).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from agenda.errors import InvalidPage, InvalidPeriod, OutcomeRefused, UnknownValue
from agenda.events import AppointmentOutcomeRecorded
from agenda.models import AfterCare, Appointment, AppointmentStatus, Effector, Site
from agenda.schemas import SiteOut
from agenda.schemas_outcomes import ConsultationOut, ConsultationPage
from agenda.service.appointments import appointment_out
from agenda.service.slot_rules import MAX_WINDOW, as_utc, effector_of_user
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Conflict, Forbidden, NotFound
from snp.kit import PARIS, PageParams

OUTCOMES = frozenset({AppointmentStatus.FULFILLED.value, AppointmentStatus.NOSHOW.value})
AFTER_CARE = frozenset(a.value for a in AfterCare)
# An outcome may be recorded on a live appointment, or corrected on one already reported.
_REPORTABLE = (AppointmentStatus.BOOKED, AppointmentStatus.FULFILLED, AppointmentStatus.NOSHOW)
MAX_PAGE = 200


def start_of_day_paris(now: datetime) -> datetime:
    """Midnight (Europe/Paris) of `now`'s day, in UTC."""
    day = now.astimezone(PARIS).date()
    return datetime.combine(day, time(0), tzinfo=PARIS).astimezone(UTC)


async def _own_effector_id(session: AsyncSession, actor: Actor) -> int | None:
    """The effector an effector account stands for; None for everyone else (they see all)."""
    if not actor.has(Role.EFFECTOR):
        return None
    own = await effector_of_user(session, actor.user_id)
    if own is None:
        raise Forbidden("Votre compte n'est lié à aucun effecteur.")
    return own.id


async def record_outcome(
    session: AsyncSession,
    actor: Actor,
    appointment_id: str,
    outcome: str,
    after_care: str | None = None,
    *,
    now: datetime | None = None,
) -> ConsultationOut:
    """Record (or correct) the outcome of an appointment that has started (never before).

    `outcome`: `fulfilled` or `noshow`; `after_care` (only with `fulfilled`): `emergency` or
    `hospitalised`. An effector records only their own appointments. Recording the same outcome
    again changes nothing (no trace, no event)."""
    now = now or utcnow()
    if outcome not in OUTCOMES:
        raise UnknownValue(
            "Issue inconnue (valeurs possibles : fulfilled, noshow).", loc=["body", "outcome"]
        )
    if after_care is not None and after_care not in AFTER_CARE:
        raise UnknownValue(
            "Suite inconnue (valeurs possibles : emergency, hospitalised).",
            loc=["body", "after_care"],
        )
    if after_care is not None and outcome != AppointmentStatus.FULFILLED:
        raise OutcomeRefused(
            "Un patient absent ne peut pas être adressé aux urgences ni hospitalisé.",
            loc=["body", "after_care"],
        )
    appointment = await session.get(Appointment, appointment_id, populate_existing=True)
    if appointment is None:
        raise NotFound("Rendez-vous introuvable.", loc=["path", "appointment_id"])
    own = await _own_effector_id(session, actor)
    if own is not None and own != appointment.effector_id:
        raise Forbidden("Vous ne pouvez renseigner que vos propres consultations.")
    if appointment.status not in _REPORTABLE:
        raise Conflict(
            "Ce rendez-vous a été annulé ou est à replanifier : pas de consultation à renseigner.",
            loc=["path", "appointment_id"],
        )
    if now < appointment.start_at:
        # Only after the fact: an early "Vu" would send the survey, count in the indicators
        # and the SNP fee, and tell the SAS, for a consultation that has not taken place.
        starts = appointment.start_at.astimezone(PARIS)
        raise OutcomeRefused(
            f"Rendez-vous pas encore commencé : « Vu » ou « Absent » se renseigne à partir de "
            f"son heure de début ({starts:%d/%m/%Y} à {starts:%H:%M}).",
            loc=["path", "appointment_id"],
        )
    old_status, old_after_care = appointment.status, appointment.after_care
    if (old_status, old_after_care) != (outcome, after_care):
        # Conditional on the state just read: a concurrent change makes this one a 409, never
        # a silent overwrite.
        result = await session.execute(
            update(Appointment)
            .where(
                Appointment.id == appointment_id,
                Appointment.status == old_status,
                Appointment.after_care.is_(None)
                if old_after_care is None
                else Appointment.after_care == old_after_care,
            )
            .values(
                status=outcome,
                after_care=after_care,
                outcome_recorded_at=now,
                outcome_recorded_by_user_id=actor.user_id,
            )
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise Conflict("Ce rendez-vous vient d'être modifié : rechargez la page.")
        await session.refresh(appointment)
        await audit.record(
            session,
            actor,
            "update",
            "appointment",
            appointment.id,
            f"outcome:{old_status}->{outcome};after_care:{old_after_care or '-'}->"
            f"{after_care or '-'}",
        )
        await events.emit(
            session,
            AppointmentOutcomeRecorded(
                appointment_id=appointment.id,
                effector_id=appointment.effector_id,
                request_id=appointment.request_id,
                start_at=appointment.start_at,
                origin=appointment.origin,
                outcome=outcome,
                after_care=after_care,
                recorded_by_user_id=actor.user_id,
                recorded_at=now,
            ),
        )
    query = select_consultations().where(Appointment.id == appointment.id)
    return (await _consultations(session, query))[0]


def select_consultations() -> Select[Appointment, Site, str, str]:
    return (
        select(Appointment, Site, Effector.given_name, Effector.family_name)
        .join(Effector, Effector.id == Appointment.effector_id)
        .outerjoin(Site, Site.id == Appointment.site_id)
    )


async def _consultations(
    session: AsyncSession, query: Select[Appointment, Site, str, str]
) -> list[ConsultationOut]:
    rows = (await session.execute(query)).all()
    rebooked = [a.id for a, *_ in rows if a.status in ("cancelled", "to_rebook") and a.request_id]
    later: dict[str, str] = {}
    if rebooked:
        # A cancelled appointment was rescheduled when its request got a later appointment.
        other = aliased(Appointment)
        found = await session.execute(
            select(Appointment.id, other.id)
            .join(
                other,
                and_(
                    other.request_id == Appointment.request_id,
                    other.id != Appointment.id,
                    other.created_at > Appointment.created_at,
                ),
            )
            .where(Appointment.id.in_(rebooked))
            .order_by(other.created_at.desc())
        )
        for old_id, new_id in found.all():
            later.setdefault(old_id, new_id)
    return [
        ConsultationOut.model_validate(
            {
                **appointment_out(
                    appointment, SiteOut.model_validate(site) if site is not None else None
                ).model_dump(),
                "effector_name": f"{given} {family}",
                "after_care": appointment.after_care,
                "outcome_recorded_at": appointment.outcome_recorded_at,
                "outcome_recorded_by_user_id": appointment.outcome_recorded_by_user_id,
                "rescheduled_to": later.get(appointment.id),
            }
        )
        for appointment, site, given, family in rows
    ]


async def list_unreported(
    session: AsyncSession,
    actor: Actor,
    before: datetime | None = None,
    *,
    effector_id: int | None = None,
    page: PageParams = PageParams(),
    now: datetime | None = None,
) -> ConsultationPage:
    """Appointments still `booked` that started before `before` (by default: today's midnight,
    Europe/Paris, i.e. every appointment of previous days), oldest first. An effector sees only
    theirs; operators and coordinators everyone's (optionally one effector's)."""
    before = (
        start_of_day_paris(now or utcnow()) if before is None else as_utc(before, "before", "query")
    )
    if not 1 <= page.limit <= MAX_PAGE:
        raise InvalidPage(f"Entre 1 et {MAX_PAGE} par page.", loc=["query", "limit"])
    if page.offset < 0:
        raise InvalidPage("Doit être positif.", loc=["query", "offset"])
    own = await _own_effector_id(session, actor)
    if own is not None:
        if effector_id is not None and effector_id != own:
            raise Forbidden("Vous ne voyez que vos propres consultations.")
        effector_id = own
    conditions = [
        Appointment.status == AppointmentStatus.BOOKED.value,
        Appointment.start_at < before,
    ]
    if effector_id is not None:
        conditions.append(Appointment.effector_id == effector_id)
    total = int(
        await session.scalar(select(func.count()).select_from(Appointment).where(*conditions)) or 0
    )
    items = await _consultations(
        session,
        page.apply(
            select_consultations().where(*conditions).order_by(Appointment.start_at, Appointment.id)
        ),
    )
    await audit.read_many(session, actor, "appointment", [i.id for i in items])
    return ConsultationPage(items=items, total=total)


async def list_consultation_log(
    session: AsyncSession,
    actor: Actor,
    *,
    start: datetime,
    end: datetime,
    effector_id: int | None = None,
) -> list[ConsultationOut]:
    """Every appointment starting in [start, end) whatever its state (to report, seen, absent,
    cancelled by whom and why, rescheduled), as the consultation log shows it."""
    start, end = as_utc(start, "start", "query"), as_utc(end, "end", "query")
    if end <= start:
        raise InvalidPeriod("La fin doit être après le début.", loc=["query", "end"])
    if end - start > MAX_WINDOW:
        raise InvalidPeriod("Période trop longue (93 jours au plus).", loc=["query", "end"])
    own = await _own_effector_id(session, actor)
    if own is not None:
        if effector_id is not None and effector_id != own:
            raise Forbidden("Vous ne voyez que vos propres consultations.")
        effector_id = own
    query = (
        select_consultations()
        .where(Appointment.start_at >= start, Appointment.start_at < end)
        .order_by(Appointment.start_at, Appointment.id)
    )
    if effector_id is not None:
        query = query.where(Appointment.effector_id == effector_id)
    items = await _consultations(session, query)
    await audit.read_many(session, actor, "appointment", [i.id for i in items])
    return items
