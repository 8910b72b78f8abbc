"""The non-identifying facts of requests, for the indicators read model (and its rebuild), and
the identity of requests for the one export a coordinator may ask with identity (traced by the
caller).

`RequestFacts` carries no name, phone, address or birth date: codes, bands and times only, plus
the patient's declared GP's RPPS so the indicators can tell whether the effector who saw the
patient is their own médecin traitant (the SNP fee rule); the read model keeps only that boolean.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import (
    CallbackAttempt,
    Origin,
    Outcome,
    Redirect15,
    RegulationRequest,
    RequestStatus,
)

WOULD_GO_TO_ED = "would_go_to_ed"  # the triage question's id in the protocol


@dataclass(frozen=True, slots=True)
class RequestFacts:
    request_id: int
    received_at: datetime
    origin: str
    channel: str  # "phone", "form" (a referrer's form) or "sas"
    commune_insee: str | None
    age_band: str | None
    priority: str | None
    orientation: str | None
    status: str
    outcome: str | None
    protocol_version: int | None
    triaged_at: datetime | None
    claimed_at: datetime | None
    oriented_at: datetime | None
    closed_at: datetime | None
    first_callback_at: datetime | None
    would_go_to_ed: bool | None
    appointment_id: str | None
    consultation_at: datetime | None
    gp_rpps: str | None


@dataclass(frozen=True, slots=True)
class RequestIdentity:
    request_id: int
    family_name: str
    given_name: str
    birth_date: date
    phone: str


def _channel(row: RegulationRequest) -> str:
    if row.origin == Origin.SAS:
        return "sas"
    if row.referrer_user_id is not None:
        return "form"
    return "phone"


def _would_go_to_ed(answers: dict[str, object] | None) -> bool | None:
    value = (answers or {}).get(WOULD_GO_TO_ED)
    return value if isinstance(value, bool) else None


def _facts(row: RegulationRequest, first_callback_at: datetime | None) -> RequestFacts:
    return RequestFacts(
        request_id=row.id,
        received_at=row.received_at,
        origin=row.origin,
        channel=_channel(row),
        commune_insee=row.commune_insee,
        age_band=row.age_band,
        priority=row.priority,
        orientation=row.orientation,
        status=row.status,
        outcome=row.outcome,
        protocol_version=row.protocol_version,
        triaged_at=row.triaged_at,
        claimed_at=row.claimed_at,
        oriented_at=row.oriented_at,
        closed_at=row.closed_at,
        first_callback_at=first_callback_at,
        would_go_to_ed=_would_go_to_ed(row.triage_answers),
        appointment_id=row.appointment_id,
        consultation_at=row.consultation_at,
        gp_rpps=row.gp_rpps,
    )


async def _first_callbacks(session: AsyncSession, ids: Iterable[int]) -> dict[int, datetime]:
    wanted = list(ids)
    if not wanted:
        return {}
    rows = await session.execute(
        select(CallbackAttempt.request_id, func.min(CallbackAttempt.at))
        .where(CallbackAttempt.request_id.in_(wanted))
        .group_by(CallbackAttempt.request_id)
    )
    return {int(request_id): at for request_id, at in rows if at is not None}


def _redirect_facts(row: Redirect15) -> RequestFacts:
    """A redirect recorded with only what is known counts as a request redirected to the 15,
    keyed by minus its id (request ids are positive)."""
    return RequestFacts(
        request_id=-row.id,
        received_at=row.recorded_at,
        origin=row.origin,
        channel="phone" if row.origin == Origin.PATIENT_CALL else "form",
        commune_insee=None,
        age_band=None,
        priority=row.priority,
        orientation=None,
        status=RequestStatus.REDIRECTED_15.value,
        outcome=Outcome.REDIRECTED_15.value,
        protocol_version=row.protocol_version,
        triaged_at=row.recorded_at,
        claimed_at=None,
        oriented_at=None,
        closed_at=row.recorded_at,
        first_callback_at=None,
        would_go_to_ed=None,
        appointment_id=None,
        consultation_at=None,
        gp_rpps=None,
    )


async def request_facts(session: AsyncSession, request_id: int) -> RequestFacts | None:
    """The facts of one request (None when it does not exist); a negative id names a redirect
    to the 15 recorded with only what is known."""
    if request_id < 0:
        redirect = await session.get(Redirect15, -request_id)
        return None if redirect is None else _redirect_facts(redirect)
    row = await session.get(RegulationRequest, request_id)
    if row is None:
        return None
    callbacks = await _first_callbacks(session, [row.id])
    return _facts(row, callbacks.get(row.id))


async def request_facts_page(
    session: AsyncSession, *, after_id: int = 0, limit: int = 1000
) -> list[RequestFacts]:
    """Facts of every request, by id, one page at a time (`after_id` = last id of the previous
    page): for rebuilding the read model."""
    rows = list(
        (
            await session.scalars(
                select(RegulationRequest)
                .where(RegulationRequest.id > after_id)
                .order_by(RegulationRequest.id)
                .limit(limit)
            )
        ).all()
    )
    callbacks = await _first_callbacks(session, [r.id for r in rows])
    return [_facts(r, callbacks.get(r.id)) for r in rows]


async def redirect_15_facts_page(
    session: AsyncSession, *, after_id: int = 0, limit: int = 1000
) -> list[RequestFacts]:
    """Facts of the redirects to the 15 recorded with only what is known, by id (`after_id` =
    the last redirect id of the previous page, i.e. minus its facts' `request_id`)."""
    rows = (
        await session.scalars(
            select(Redirect15).where(Redirect15.id > after_id).order_by(Redirect15.id).limit(limit)
        )
    ).all()
    return [_redirect_facts(r) for r in rows]


async def request_identities(
    session: AsyncSession, request_ids: Iterable[int]
) -> dict[int, RequestIdentity]:
    """Identity of these requests (for an export a coordinator explicitly asked for: the caller
    traces it in the audit trail). Pseudonymised requests return what is left of them."""
    wanted = sorted(set(request_ids))
    found: dict[int, RequestIdentity] = {}
    for start in range(0, len(wanted), 500):
        rows = await session.scalars(
            select(RegulationRequest).where(RegulationRequest.id.in_(wanted[start : start + 500]))
        )
        for row in rows:
            found[row.id] = RequestIdentity(
                row.id, row.family_name, row.given_name, row.birth_date, row.phone
            )
    return found
