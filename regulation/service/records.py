"""Helpers shared by the service modules: loading a request, names, ages, timeline, shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import request_appointments
from regulation.errors import AlreadyClaimed, RequestNotFound, RequestNotOpen
from regulation.models import (
    OPEN_STATUSES,
    CallbackAttempt,
    CallbackResult,
    RegulationRequest,
    RequestLogEntry,
    RequestStatus,
)
from regulation.schemas import (
    CallbackAttemptOut,
    FreeTextFlagOut,
    RequestOut,
    RequestSummary,
    TimelineEntryOut,
)
from regulation.service.free_text import scan_free_text, warning_text
from regulation.service.gates import awaits_regulator
from snp.actor import Actor
from snp.auth import Role, find_account
from snp.db import utcnow
from snp.kit import PARIS

ENTITY = "regulation_request"  # the audit trail's name for a request
_NAMES = "regulation_actor_names"


def today_paris(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(PARIS).date()


def age_months(birth_date: date, on: date) -> int:
    delta = relativedelta(on, birth_date)
    return max(0, delta.years * 12 + delta.months)


def age_label(birth_date: date, on: date) -> str:
    """French age as a person says it: days for newborns, months before 2, then years."""
    months = age_months(birth_date, on)
    if months < 1:
        days = max(0, (on - birth_date).days)
        return f"{days} jour{'s' if days > 1 else ''}"
    if months < 24:
        return f"{months} mois"
    years = months // 12
    return f"{years} ans"


async def display_name(session: AsyncSession, actor: Actor) -> str:
    """The actor's full name (for "Demande déjà prise en charge par …" and the timeline)."""
    if actor.user_id is None:
        return "Système"
    cache: dict[str, str] = session.info.setdefault(_NAMES, {})
    if actor.email not in cache:
        account = await find_account(session, actor.email)
        cache[actor.email] = account.full_name if account else actor.email
    return cache[actor.email]


async def get_row(
    session: AsyncSession, request_id: int, *, for_update: bool = False
) -> RegulationRequest:
    query = select(RegulationRequest).where(RegulationRequest.id == request_id)
    if for_update:
        query = query.with_for_update()
    row = await session.scalar(query.execution_options(populate_existing=True))
    if row is None:
        raise RequestNotFound()
    return row


def ensure_open(row: RegulationRequest) -> None:
    if row.status not in OPEN_STATUSES:
        raise RequestNotOpen()


def ensure_not_held_by_other(row: RegulationRequest, actor: Actor) -> None:
    """Someone else's claim blocks changes; coordinators and the system may step in."""
    if row.status != RequestStatus.CLAIMED or row.claimed_by_user_id == actor.user_id:
        return
    if actor.user_id is None or actor.role == Role.COORDINATOR:
        return
    raise AlreadyClaimed(row.claimed_by_name)


def clear_claim(row: RegulationRequest) -> None:
    row.claimed_by_user_id = None
    row.claimed_by_name = None
    row.claim_started_at = None
    row.claimed_heartbeat_at = None


def unclaimed_status(row: RegulationRequest) -> RequestStatus:
    return RequestStatus.WAITING if row.triaged_at is not None else RequestStatus.RECEIVED


def log_step(
    session: AsyncSession,
    request_id: int,
    actor: Actor,
    actor_name: str,
    kind: str,
    at: datetime | None = None,
    **detail: Any,
) -> None:
    """Add a timeline entry (no patient identity in `detail`)."""
    session.add(
        RequestLogEntry(
            request_id=request_id,
            at=at or utcnow(),
            kind=kind,
            actor_user_id=actor.user_id,
            actor_name=actor_name,
            detail=detail or None,
        )
    )


async def failed_callbacks(session: AsyncSession, request_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(CallbackAttempt)
        .where(
            CallbackAttempt.request_id == request_id,
            CallbackAttempt.result != CallbackResult.REACHED,
        )
    )
    return int(count or 0)


async def to_detail(
    session: AsyncSession, row: RegulationRequest, now: datetime | None = None
) -> RequestOut:
    attempts = await session.scalars(
        select(CallbackAttempt)
        .where(CallbackAttempt.request_id == row.id)
        .order_by(CallbackAttempt.at, CallbackAttempt.id)
    )
    timeline = await session.scalars(
        select(RequestLogEntry)
        .where(RequestLogEntry.request_id == row.id)
        .order_by(RequestLogEntry.at, RequestLogEntry.id)
    )
    on = today_paris(now)
    flags = scan_free_text(row.notes)
    return RequestOut.model_validate(
        {
            **columns(row),
            "age_months": age_months(row.birth_date, on),
            "age_label": age_label(row.birth_date, on),
            "callback_attempts": [CallbackAttemptOut.model_validate(a) for a in attempts],
            "timeline": [TimelineEntryOut.model_validate(e) for e in timeline],
            "may_book": row.triaged_at is not None and not awaits_regulator(row),
            "awaiting_regulator": awaits_regulator(row),
            "free_text_flags": [
                FreeTextFlagOut(id=f.id, label=f.label, words=list(f.words)) for f in flags
            ],
            "free_text_warning": warning_text(flags) or None,
            "appointments": await request_appointments(session, row.id),
        }
    )


def columns(row: RegulationRequest) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in RegulationRequest.__table__.columns}


def to_summary(row: RegulationRequest, now: datetime | None = None) -> RequestSummary:
    label = age_label(row.birth_date, today_paris(now))
    return RequestSummary.model_validate({**columns(row), "age_label": label})
