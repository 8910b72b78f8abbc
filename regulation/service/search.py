"""Finding a patient's requests again: search (name, phone, birth date; open or closed), the
open requests a new call may duplicate, and a patient's earlier requests.

Every request listed is an audited read. Lookups use the indexes of migration 0025: the phone,
the birth date and the lower-cased family name (a prefix match; `text_pattern_ops` on
PostgreSQL so that `LIKE 'dup%'` walks the index whatever the database's collation).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import MissingValue, UnknownValue
from regulation.models import OPEN_STATUSES, RegulationRequest, RequestStatus
from regulation.schemas import RequestPage, RequestSummary
from regulation.service.records import ENTITY, get_row, to_summary
from snp import audit
from snp.actor import Actor
from snp.identifiers import parse_phone
from snp.kit import PageParams, count_rows

R = RegulationRequest
HISTORY_LIMIT = 20  # a patient's earlier requests shown on a request (newest first)
OPEN_MATCHES_LIMIT = 10


class Scope(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


def _name_prefix(value: str) -> str:
    """`dupont` -> `dupont%` with LIKE's own wildcards taken literally."""
    escaped = value.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _family_name_starts(value: str) -> ColumnElement[bool]:
    return func.lower(R.family_name).like(_name_prefix(value), escape="\\")


def phone_or_error(value: str, field: str = "phone") -> str:
    try:
        return parse_phone(value)
    except ValueError as error:
        raise UnknownValue(str(error), ("query", field)) from None


def _scope_filter(scope: Scope) -> ColumnElement[bool] | None:
    if scope == Scope.OPEN:
        return R.status.in_(OPEN_STATUSES)
    if scope == Scope.CLOSED:
        return R.status.not_in(OPEN_STATUSES)
    return None


async def _listed(
    session: AsyncSession, actor: Actor, query: Select[RegulationRequest]
) -> list[RequestSummary]:
    rows = list(await session.scalars(query))
    await audit.read_many(session, actor, ENTITY, [r.id for r in rows])
    return [to_summary(r) for r in rows]


async def search_requests(
    session: AsyncSession,
    actor: Actor,
    *,
    name: str | None = None,
    phone: str | None = None,
    birth_date: date | None = None,
    scope: Scope = Scope.ALL,
    status: RequestStatus | None = None,
    page: PageParams = PageParams(),
) -> RequestPage:
    """Requests matching every criterion given (name: start of the family name, any case),
    newest first. Without any criterion: the latest requests of the scope (the closed list)."""
    query = select(R)
    if name is not None and name.strip():
        query = query.where(_family_name_starts(name))
    if phone is not None and phone.strip():
        query = query.where(R.phone == phone_or_error(phone))
    if birth_date is not None:
        query = query.where(R.birth_date == birth_date)
    in_scope = _scope_filter(scope)
    if in_scope is not None:
        query = query.where(in_scope)
    if status is not None:
        query = query.where(R.status == status)
    ordered = query.order_by(R.received_at.desc(), R.id.desc())
    items = await _listed(session, actor, page.apply(ordered))
    return RequestPage(items=items, total=await count_rows(session, query))


def _same_patient(
    phone: str | None, family_name: str | None, birth_date: date | None
) -> ColumnElement[bool] | None:
    """The same number, or the same family name and birth date."""
    alike: list[ColumnElement[bool]] = []
    if phone:
        alike.append(R.phone == phone)
    if family_name and family_name.strip() and birth_date is not None:
        alike.append(
            and_(
                R.birth_date == birth_date,
                func.lower(R.family_name) == family_name.strip().lower(),
            )
        )
    return or_(*alike) if alike else None


async def open_matches(
    session: AsyncSession,
    actor: Actor,
    *,
    phone: str | None = None,
    family_name: str | None = None,
    birth_date: date | None = None,
    exclude_id: int | None = None,
) -> list[RequestSummary]:
    """Open requests of the same number or identity (family name and birth date): a new call
    may be the same patient calling back."""
    e164 = phone_or_error(phone) if phone and phone.strip() else None
    same = _same_patient(e164, family_name, birth_date)
    if same is None:
        raise MissingValue(
            "Indiquez le téléphone, ou le nom et la date de naissance.", ("query", "phone")
        )
    query = select(R).where(same, R.status.in_(OPEN_STATUSES))
    if exclude_id is not None:
        query = query.where(R.id != exclude_id)
    ordered = query.order_by(R.received_at.desc(), R.id.desc()).limit(OPEN_MATCHES_LIMIT)
    return await _listed(session, actor, ordered)


async def patient_history(
    session: AsyncSession, actor: Actor, request_id: int
) -> list[RequestSummary]:
    """The patient's other requests (same number, or same family name and birth date), newest
    first; none once the request's identity was pseudonymised."""
    row = await get_row(session, request_id)
    await audit.read(session, actor, ENTITY, row.id)
    if row.pseudonymised_at is not None:
        return []
    same = _same_patient(row.phone, row.family_name, row.birth_date)
    if same is None:
        return []
    query = (
        select(R)
        .where(same, R.id != row.id, R.pseudonymised_at.is_(None))
        .order_by(R.received_at.desc(), R.id.desc())
        .limit(HISTORY_LIMIT)
    )
    return await _listed(session, actor, query)
