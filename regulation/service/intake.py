"""Requests coming in (operator phone intake, referrers' forms) and reading them back.

Every read of a request by a person is written to the audit trail, every change with the names
of the fields that changed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import RequestAppointment, request_appointments
from regulation.errors import (
    MissingValue,
    OutsideTerritory,
    RequestNotFound,
    RequestNotOpen,
    UnknownValue,
)
from regulation.events import RequestReceived, RequestUpdated
from regulation.models import (
    AssignedTo,
    Origin,
    Outcome,
    RegulationRequest,
    RequestStatus,
)
from regulation.schemas import (
    OUTCOME_LABELS,
    STATUS_LABELS,
    PatientIn,
    ReferralAppointmentOut,
    ReferralCreate,
    ReferralOut,
    ReferralPage,
    RequestCreate,
    RequestOut,
    RequestPage,
    RequestUpdate,
)
from regulation.service import queue, retriage, triage
from regulation.service.records import (
    ENTITY,
    display_name,
    ensure_not_held_by_other,
    ensure_open,
    get_row,
    log_step,
    to_detail,
    to_summary,
)
from regulation.service.versions import current_version
from snp import audit, events, territory
from snp.actor import Actor
from snp.db import utcnow
from snp.kit import PageParams, count_rows
from snp.settings import Settings, settings_of

LOCATION_MISSING = (
    "Indiquez la commune du territoire, ou l'adresse avec ses coordonnées (latitude, longitude)."
)


async def _check_location(
    session: AsyncSession,
    commune_insee: str | None,
    address_line: str | None,
    latitude: float | None,
    longitude: float | None,
) -> None:
    if commune_insee is not None:
        if commune_insee not in await territory.commune_codes(session):
            raise OutsideTerritory(
                "Cette commune n'appartient pas au territoire de la CPTS.",
                ("body", "commune_insee"),
            )
        return
    if address_line is None:
        raise MissingValue(LOCATION_MISSING, ("body", "commune_insee"))
    if latitude is None or longitude is None:
        missing = "latitude" if latitude is None else "longitude"
        raise MissingValue(
            "Coordonnées obligatoires quand la commune n'est pas indiquée.", ("body", missing)
        )


def _patient_values(data: PatientIn) -> dict[str, object]:
    return data.model_dump(include=set(PatientIn.model_fields))


async def _insert(
    session: AsyncSession,
    actor: Actor,
    data: PatientIn,
    *,
    settings: Settings,
    origin: Origin,
    referrer_user_id: int | None,
    referrer_structure: str | None,
    now: datetime,
) -> RegulationRequest:
    await _check_location(
        session, data.commune_insee, data.address_line, data.latitude, data.longitude
    )
    row = RegulationRequest(
        **_patient_values(data),
        status=RequestStatus.RECEIVED,
        assigned_to=AssignedTo.OPERATOR,
        origin=origin,
        referrer_user_id=referrer_user_id,
        referrer_structure=referrer_structure,
        created_by_user_id=actor.user_id,
        received_at=now,
        # Not triaged yet: someone must call the patient back within this delay.
        deadline_at=now + timedelta(minutes=settings.regulation_triage_within_minutes),
        updated_at=now,
    )
    session.add(row)
    await session.flush()
    await audit.created(session, actor, ENTITY, row.id)
    name = await display_name(session, actor)
    log_step(session, row.id, actor, name, "received", at=now, origin=origin.value)
    await events.emit(
        session, RequestReceived(row.id, row.status, row.origin, row.referrer_user_id)
    )
    return row


async def create_request(
    session: AsyncSession,
    actor: Actor,
    data: RequestCreate,
    *,
    settings: Settings,
    origin: Origin | None = None,
    now: datetime | None = None,
) -> RequestOut:
    """Operator intake (or another package such as the SAS adapter, with its `origin`).

    With `data.claim` the request stays in the caller's hands; with `data.answers` it is triaged
    at once (a red flag then ends it: redirected to the 15, never queued).
    """
    now = now or utcnow()
    row = await _insert(
        session,
        actor,
        data,
        settings=settings,
        origin=origin or data.origin,
        referrer_user_id=None,
        referrer_structure=data.referrer_structure,
        now=now,
    )
    if data.claim and actor.user_id is not None:
        await queue.claim_request(session, actor, row.id, now=now)
    if data.answers is not None:
        await triage.triage_request(
            session,
            actor,
            row.id,
            data.answers,
            motif=data.motif,
            callback_at=data.callback_at,
            now=now,
        )
    return await to_detail(session, await get_row(session, row.id), now)


async def create_referral(
    session: AsyncSession,
    actor: Actor,
    data: ReferralCreate,
    *,
    settings: Settings,
    now: datetime | None = None,
) -> ReferralOut:
    """A referrer's form; the red flags they answered "yes" send the patient to the 15 now."""
    now = now or utcnow()
    structure = data.structure or await display_name(session, actor)
    row = await _insert(
        session,
        actor,
        data,
        settings=settings,
        origin=Origin(data.origin),
        referrer_user_id=actor.user_id,
        referrer_structure=structure,
        now=now,
    )
    if data.red_flags:
        await triage.apply_red_flags(session, actor, row.id, data.red_flags, now=now)
    return _referral_out(await get_row(session, row.id))


async def get_request(
    session: AsyncSession, actor: Actor, request_id: int, now: datetime | None = None
) -> RequestOut:
    row = await get_row(session, request_id)
    await audit.read(session, actor, ENTITY, row.id)
    return await to_detail(session, row, now)


async def list_requests(
    session: AsyncSession,
    actor: Actor,
    *,
    status: RequestStatus | None = None,
    page: PageParams = PageParams(),
) -> RequestPage:
    """Every request, newest first (history, follow-up); each one listed is an audited read."""
    query = select(RegulationRequest)
    if status is not None:
        query = query.where(RegulationRequest.status == status)
    rows = list(
        await session.scalars(
            page.apply(
                query.order_by(RegulationRequest.received_at.desc(), RegulationRequest.id.desc())
            )
        )
    )
    await audit.read_many(session, actor, ENTITY, [r.id for r in rows])
    total = await count_rows(session, query)
    return RequestPage(items=[to_summary(r) for r in rows], total=total)


async def update_request(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    changes: RequestUpdate,
    *,
    settings: Settings | None = None,
    now: datetime | None = None,
) -> RequestOut:
    """Correct the patient's details; the audit trail gets the names of the changed fields.

    A change of birth date, sex or motif after triage sends the request back to triage
    (`retriage`): its priority, orientation and deadline no longer hold."""
    settings = settings or settings_of(session)
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    ensure_not_held_by_other(row, actor)
    sent = changes.model_dump(include=changes.model_fields_set)
    nullable = {"commune_insee", "address_line", "latitude", "longitude", "gp_name", "gp_rpps"}
    nullable |= {"has_gp", "notes"}
    for key, value in sent.items():
        if value is None and key not in nullable:
            raise MissingValue("Champ obligatoire.", ("body", key))
    changed = sorted(k for k, v in sent.items() if getattr(row, k) != v)
    if not changed:
        return await get_request(session, actor, request_id)
    retriage_needed = bool(retriage.TRIAGE_INPUTS & set(changed)) and row.triaged_at is not None
    if retriage_needed and row.status == RequestStatus.ORIENTED:
        raise RequestNotOpen(
            "Rendez-vous déjà pris : annulez-le avant de changer l'âge, le sexe ou le motif "
            "(la demande repassera alors au tri)."
        )
    if "motif" in changed:
        _, document = await current_version(session)
        if document.motif(str(sent["motif"])) is None:
            raise UnknownValue("Motif inconnu du protocole en vigueur.", ("body", "motif"))
    where = ("commune_insee", "address_line", "latitude", "longitude")
    if set(where) & set(changed):
        location = [sent.get(k, getattr(row, k)) for k in where]
        await _check_location(session, *location)
    for key in changed:
        setattr(row, key, sent[key])
    name = await display_name(session, actor)
    fields = list(changed)
    if retriage_needed:
        reason = retriage.changed_inputs_reason(changed)
        await retriage.send_back_to_triage(
            session,
            row,
            reason,
            triage_within_minutes=settings.regulation_triage_within_minutes,
            now=now,
        )
        fields = sorted(set(fields) | set(retriage.RESET_FIELDS))
    await audit.changed(session, actor, ENTITY, row.id, fields)
    log_step(session, row.id, actor, name, "updated", at=now, fields=changed)
    if retriage_needed:
        log_step(session, row.id, actor, name, "back_to_triage", at=now, fields=changed)
    await events.emit(session, RequestUpdated(row.id, tuple(changed), row.referrer_user_id))
    await session.flush()
    return await to_detail(session, row, now)


# -- referrers see their own referrals, and nothing else -------------------------------------


def _referral_out(row: RegulationRequest) -> ReferralOut:
    status = RequestStatus(row.status)
    outcome = OUTCOME_LABELS[Outcome(row.outcome)] if row.outcome else None
    call_15 = status == RequestStatus.REDIRECTED_15
    message = None
    if call_15 and row.red_flag_text:
        message = (
            f"Signe d'alerte ({row.red_flag_text}) : le patient doit appeler le 15 immédiatement."
        )
    elif call_15:
        message = "Le patient a été réorienté vers le 15 (SAMU)."
    return ReferralOut.model_validate(
        {
            "id": row.id,
            "family_name": row.family_name,
            "given_name": row.given_name,
            "birth_date": row.birth_date,
            "motif": row.motif,
            "origin": row.origin,
            "status": status,
            "status_label": STATUS_LABELS[status],
            "outcome": row.outcome,
            "outcome_label": outcome,
            "orientation": row.orientation,
            "received_at": row.received_at,
            "closed_at": row.closed_at,
            "consultation_at": row.consultation_at,
            "call_15": call_15,
            "message": message,
        }
    )


async def list_my_referrals(
    session: AsyncSession, actor: Actor, *, page: PageParams = PageParams()
) -> ReferralPage:
    mine = select(RegulationRequest).where(RegulationRequest.referrer_user_id == actor.user_id)
    rows = list(
        await session.scalars(
            page.apply(
                mine.order_by(RegulationRequest.received_at.desc(), RegulationRequest.id.desc())
            )
        )
    )
    total = await count_rows(session, mine)
    await audit.read_many(session, actor, ENTITY, [r.id for r in rows])
    return ReferralPage(items=[_referral_out(r) for r in rows], total=total)


_APPOINTMENT_LABELS = {
    "booked": "Rendez-vous pris",
    "cancelled": "Rendez-vous annulé",
    "fulfilled": "Patient vu",
    "noshow": "Patient absent",
    "to_rebook": "Rendez-vous à replanifier",
}


def _referral_appointment(found: RequestAppointment) -> ReferralAppointmentOut:
    site = found.site
    return ReferralAppointmentOut(
        status=found.status,
        status_label=_APPOINTMENT_LABELS.get(found.status, found.status),
        kind=found.kind,
        start_at=found.start_at,
        end_at=found.end_at,
        practitioner=found.practitioner,
        practitioner_phone=found.practitioner_phone,
        site_name=site.name if site else None,
        address_line=site.address_line if site else None,
        postal_code=site.postal_code if site else None,
        city=site.city if site else None,
    )


async def get_my_referral(session: AsyncSession, actor: Actor, request_id: int) -> ReferralOut:
    """A referrer's own referral, with the doctor and the place once booked; anybody else's
    answers 404, as if it did not exist. Every read is audited."""
    row = await session.get(RegulationRequest, request_id)
    if row is None or actor.user_id is None or row.referrer_user_id != actor.user_id:
        raise RequestNotFound()
    await audit.read(session, actor, ENTITY, row.id)
    out = _referral_out(row)
    appointments = await request_appointments(session, row.id)
    if appointments:  # latest first: the current one
        out.appointment = _referral_appointment(appointments[0])
    return out
