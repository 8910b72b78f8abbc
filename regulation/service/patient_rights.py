"""A patient's rights (RGPD art. 15-17) for what regulation holds: find one person's requests,
read everything about them, correct their identity even once closed, erase them now.

Erasure is the retention job's own code path (`retention.pseudonymise_rows`), refused while the
platform still has a duty towards the patient: a request still open, or an appointment still
to come. Every action is audited with the reason the coordinator gave; the audit detail never
holds a value of the patient's (the caller checks the reason names nobody).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.errors import (
    ErasureRefused,
    RequestNotFound,
    RequestNotOpen,
    RequestPseudonymised,
)
from regulation.events import RequestUpdated
from regulation.models import (
    OPEN_STATUSES,
    CallbackAttempt,
    RegulationRequest,
    RequestLogEntry,
)
from regulation.schemas import CallbackAttemptOut, RequestUpdate, TimelineEntryOut
from regulation.schemas_rights import IdentityCorrection, RequestMatch, RequestRecord
from regulation.service.intake import update_request
from regulation.service.needs import patient_label
from regulation.service.records import ENTITY, columns, display_name, get_row, log_step
from regulation.service.retention import pseudonymise_rows
from regulation.service.retriage import TRIAGE_INPUTS
from snp import audit, events
from snp.actor import Actor
from snp.kit import PARIS

MAX_MATCHES = 200
NAME_FIELDS = frozenset({"family_name", "given_name", "birth_date"})


def comparable_name(value: str) -> str:
    """`  Élodie-Marie ` and `elodie marie` compare equal: case, accents, hyphens, spaces."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", value.casefold()) if not unicodedata.combining(c)
    )
    return " ".join(folded.replace("-", " ").replace("'", " ").split())


def audit_detail(reason: str, fields: Collection[str] = ()) -> str:
    """What the audit keeps of a rights action: the fields (names only) and the reason."""
    prefix = f"fields={','.join(sorted(fields))};" if fields else ""
    return f"{prefix}reason={reason}"[:500]


async def find_requests(
    session: AsyncSession,
    *,
    family_name: str | None = None,
    given_name: str | None = None,
    birth_date: date | None = None,
    phone: str | None = None,
    now: datetime,
) -> list[RequestMatch]:
    """Requests whose patient has this family name and birth date (and given name, when
    given), or this mobile number (E.164), newest first; pseudonymised requests hold nobody
    and are never found. Each says whether it may be erased now."""
    conditions = []
    if family_name and birth_date:
        conditions.append(RegulationRequest.birth_date == birth_date)
    if phone:
        conditions.append(RegulationRequest.phone == phone)
    if not conditions:
        return []
    rows = (
        await session.scalars(
            select(RegulationRequest)
            .where(RegulationRequest.pseudonymised_at.is_(None), or_(*conditions))
            .order_by(RegulationRequest.received_at.desc(), RegulationRequest.id.desc())
        )
    ).all()
    wanted_family = comparable_name(family_name) if family_name else None
    wanted_given = comparable_name(given_name) if given_name else None

    def matches(row: RegulationRequest) -> bool:
        if phone and row.phone == phone:
            return True
        if wanted_family is None or row.birth_date != birth_date:
            return False
        if comparable_name(row.family_name) != wanted_family:
            return False
        return wanted_given is None or comparable_name(row.given_name).startswith(wanted_given)

    found = [row for row in rows if matches(row)][:MAX_MATCHES]
    refusals = await erasure_refusals(session, found, now=now)
    return [_match(row, refusals.get(row.id)) for row in found]


def _match(row: RegulationRequest, refusal: str | None) -> RequestMatch:
    return RequestMatch.model_validate({**columns(row), "erase_refusal": refusal})


async def erasure_refusals(
    session: AsyncSession, rows: Sequence[RegulationRequest], *, now: datetime
) -> dict[int, str]:
    """Request id -> why it may not be erased now (French). The platform still owes the patient
    their care while a request is open or an appointment is still to come."""
    refusals: dict[int, str] = {}
    for row in rows:
        if row.pseudonymised_at is not None:
            refusals[row.id] = f"Demande n° {row.id} : déjà pseudonymisée."
        elif row.status in OPEN_STATUSES:
            refusals[row.id] = (
                f"Demande n° {row.id} encore en cours : la prise en charge doit se terminer "
                "(demande clôturée) avant l'effacement."
            )
    upcoming = await agenda.upcoming_appointments(
        session, [r.id for r in rows if r.id not in refusals], now=now
    )
    for request_id, start_at in upcoming.items():
        when = start_at.astimezone(PARIS).strftime("%d/%m/%Y à %Hh%M")
        refusals[request_id] = (
            f"Demande n° {request_id} : rendez-vous encore à venir le {when}. Il faut "
            "l'annuler ou attendre la consultation avant d'effacer."
        )
    return refusals


async def _rows(
    session: AsyncSession, request_ids: Collection[int], *, for_update: bool = False
) -> list[RegulationRequest]:
    ids = sorted(set(request_ids))
    query = select(RegulationRequest).where(RegulationRequest.id.in_(ids))
    if for_update:
        query = query.with_for_update()
    rows = list((await session.scalars(query.execution_options(populate_existing=True))).all())
    if len(rows) != len(ids):
        raise RequestNotFound()
    return sorted(rows, key=lambda r: r.id)


async def request_records(
    session: AsyncSession, actor: Actor, request_ids: Collection[int], *, reason: str
) -> list[RequestRecord]:
    """Everything regulation holds on these requests (identity, triage answers, notes,
    call-backs, timeline), for a right-of-access export; each read is audited with the reason."""
    rows = await _rows(session, request_ids)
    ids = [row.id for row in rows]
    callbacks: dict[int, list[CallbackAttemptOut]] = {i: [] for i in ids}
    for attempt in await session.scalars(
        select(CallbackAttempt)
        .where(CallbackAttempt.request_id.in_(ids))
        .order_by(CallbackAttempt.at, CallbackAttempt.id)
    ):
        callbacks[attempt.request_id].append(CallbackAttemptOut.model_validate(attempt))
    timeline: dict[int, list[TimelineEntryOut]] = {i: [] for i in ids}
    for entry in await session.scalars(
        select(RequestLogEntry)
        .where(RequestLogEntry.request_id.in_(ids))
        .order_by(RequestLogEntry.at, RequestLogEntry.id)
    ):
        timeline[entry.request_id].append(TimelineEntryOut.model_validate(entry))
    records = []
    for row in rows:
        await audit.record(session, actor, "rights_export", ENTITY, row.id, audit_detail(reason))
        records.append(
            RequestRecord.model_validate(
                {**columns(row), "callbacks": callbacks[row.id], "timeline": timeline[row.id]}
            )
        )
    return records


async def audit_search(
    session: AsyncSession, actor: Actor, matches: Sequence[RequestMatch], *, reason: str
) -> None:
    """A search shows identities: a read of every request found, with the reason."""
    for match in matches:
        await audit.record(session, actor, "rights_search", ENTITY, match.id, audit_detail(reason))


async def rectify_identity(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    changes: IdentityCorrection,
    *,
    reason: str,
    now: datetime,
) -> RequestMatch:
    """Correct the patient's identity or contact, even after the request was closed.

    An open request goes through the ordinary correction (`update_request`): a new birth date
    or sex sends it back to triage, the same rules hold. A closed one is corrected as it
    stands (its triage is history). The appointments' labels follow the new name or age."""
    row = await get_row(session, request_id, for_update=True)
    if row.pseudonymised_at is not None:
        raise RequestPseudonymised()
    sent = changes.model_dump(include=changes.model_fields_set, exclude_none=True)
    changed = sorted(k for k, v in sent.items() if getattr(row, k) != v)
    if changed and row.status in OPEN_STATUSES:
        await update_request(
            session,
            actor,
            request_id,
            RequestUpdate.model_validate({k: sent[k] for k in changed}),
            now=now,
        )
        row = await get_row(session, request_id)
    elif changed:
        await _ensure_no_upcoming_appointment(session, row, changed, now=now)
        for key in changed:
            setattr(row, key, sent[key])
        await audit.changed(session, actor, ENTITY, row.id, changed)
        name = await display_name(session, actor)
        log_step(session, row.id, actor, name, "rectified", at=now, fields=changed)
        await events.emit(session, RequestUpdated(row.id, tuple(changed), row.referrer_user_id))
    if NAME_FIELDS & set(changed):
        await agenda.relabel_appointments(session, row.id, patient_label(row, now))
    await audit.record(session, actor, "rectify", ENTITY, row.id, audit_detail(reason, changed))
    await session.flush()
    refusals = await erasure_refusals(session, [row], now=now)
    return _match(row, refusals.get(row.id))


async def _ensure_no_upcoming_appointment(
    session: AsyncSession, row: RegulationRequest, changed: Collection[str], *, now: datetime
) -> None:
    """The triage that chose the appointment relied on the age and sex: with the appointment
    still to come, they change only through a cancellation (the request goes back to triage)."""
    if not TRIAGE_INPUTS & set(changed):
        return
    if await agenda.upcoming_appointments(session, [row.id], now=now):
        raise RequestNotOpen(
            "Rendez-vous encore à venir : annulez-le avant de corriger la date de naissance ou "
            "le sexe (la demande repassera alors au tri)."
        )


async def erase_requests(
    session: AsyncSession,
    actor: Actor,
    request_ids: Collection[int],
    *,
    reason: str,
    now: datetime,
) -> list[int]:
    """Erase (pseudonymise now, as the retention job does) these requests, all or none:
    `ErasureRefused` lists every request the platform must still keep, and why."""
    rows = await _rows(session, request_ids, for_update=True)
    refusals = await erasure_refusals(session, rows, now=now)
    if refusals:
        raise ErasureRefused([refusals[r.id] for r in rows if r.id in refusals])
    ids = await pseudonymise_rows(session, rows, now=now)
    for request_id in ids:
        await audit.record(session, actor, "erase", ENTITY, request_id, audit_detail(reason))
    await session.flush()
    return ids
