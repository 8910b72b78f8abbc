"""Data protection: identity fields of closed requests are pseudonymised after the retention
period (setting `retention_months`, 12 by default), by the job `regulation.pseudonymise`.

What goes: names, phone number, street address, GP's name, the referrer's mobile and
structure, free-text notes (request notes, closing note, call-back notes, rebooking reason), the
appointment's patient label and cancellation reason (agenda) and the rendered SMS texts and
patient numbers (notifications, through `RequestsPseudonymised`). What stays, so
every indicator is unchanged: origin, commune, age band at intake, sex, priority, motif,
structured triage answers, GP's RPPS (the SNP fee's "not the effector's own patient"), every
time and outcome. The birth date is coarsened to the 1st of January or July of its year and the
coordinates rounded to 0.01° (about 1 km).

Requests nobody closed (abandoned) are closed by `close_abandoned` after
`regulation_abandoned_after_days`, as of that day, so they reach the retention period too.

Batched (an indexed query on `closed_at` over the rows not pseudonymised yet), idempotent (a
pseudonymised row is never selected again), audited once per batch with its count, and never
touching an open request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from dateutil.relativedelta import relativedelta
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.events import RequestClosed
from regulation.models import (
    NOT_PSEUDONYMISED_SQL,
    OPEN_STATUSES,
    CallbackAttempt,
    Outcome,
    RegulationRequest,
    RequestStatus,
)
from regulation.service.records import ENTITY
from regulation.service.redirect_15 import pseudonymise_redirects_15
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow

JOB_NAME = "regulation.pseudonymise"
PSEUDONYMISED_FAMILY_NAME = "Patient pseudonymisé"
PSEUDONYMISED_GIVEN_NAME = ""
# Parses as a French number (read paths format it) but reaches nobody.
PSEUDONYMISED_PHONE = "+33000000000"
COORDINATE_DECIMALS = 2
DEFAULT_BATCH = 1000
_CLOSED = (RequestStatus.CLOSED.value, RequestStatus.REDIRECTED_15.value)


@dataclass(frozen=True, slots=True)
class RequestsPseudonymised:
    """These closed requests lost their identity fields: packages holding copies of them
    (notifications' SMS texts and numbers) do the same in this transaction."""

    request_ids: tuple[int, ...]
    appointment_ids: tuple[str, ...]


def coarse_birth_date(value: date) -> date:
    """The 1st of January or of July of the same year (the age stays right within 6 months)."""
    return date(value.year, 1 if value.month <= 6 else 7, 1)


def coarse_coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def retention_cutoff(now: datetime, retention_months: int) -> datetime:
    """Requests closed before this instant are past the retention period."""
    return now - relativedelta(months=retention_months)


class _Identity(Protocol):
    """What pseudonymising a request needs to know of it (a selected row or the row itself)."""

    @property
    def id(self) -> int: ...
    @property
    def birth_date(self) -> date: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...
    @property
    def appointment_id(self) -> str | None: ...


async def pseudonymise_rows(
    session: AsyncSession, rows: Sequence[_Identity], *, now: datetime
) -> list[int]:
    """The one code path that takes a request's identity away, for the retention job and for a
    patient's erasure request alike: the request's identity and free texts, its call-back
    notes, its appointments' labels (agenda) and, through `RequestsPseudonymised`, its SMS
    (notifications). Returns the ids, in the order given. The caller audits."""
    ids = [row.id for row in rows]
    if not ids:
        return ids
    await session.execute(
        update(RegulationRequest).execution_options(synchronize_session=False),
        [
            {
                "id": row.id,
                "family_name": PSEUDONYMISED_FAMILY_NAME,
                "given_name": PSEUDONYMISED_GIVEN_NAME,
                "birth_date": coarse_birth_date(row.birth_date),
                "phone": PSEUDONYMISED_PHONE,
                "address_line": None,
                "latitude": coarse_coordinate(row.latitude),
                "longitude": coarse_coordinate(row.longitude),
                "gp_name": None,
                "notes": None,
                "outcome_note": None,
                "referrer_phone": None,
                "referrer_structure": None,
                "rebook_reason": None,
                "pseudonymised_at": now,
            }
            for row in rows
        ],
    )
    await session.execute(
        update(CallbackAttempt)
        .where(CallbackAttempt.request_id.in_(ids), CallbackAttempt.note.is_not(None))
        .values(note=None)
        .execution_options(synchronize_session=False)
    )
    await agenda.pseudonymise_appointments(session, ids)
    appointment_ids = tuple(sorted({r.appointment_id for r in rows if r.appointment_id}))
    await events.emit(session, RequestsPseudonymised(tuple(ids), appointment_ids))
    return ids


async def pseudonymise_batch(
    session: AsyncSession,
    *,
    closed_before: datetime,
    batch_size: int = DEFAULT_BATCH,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> int:
    """Pseudonymise up to `batch_size` requests closed before `closed_before`, oldest first;
    returns how many (0 when none is left)."""
    now = now or utcnow()
    actor = actor or Actor.system(JOB_NAME)
    query = (
        select(
            RegulationRequest.id,
            RegulationRequest.birth_date,
            RegulationRequest.latitude,
            RegulationRequest.longitude,
            RegulationRequest.appointment_id,
        )
        # Repeated literally: SQLite uses the partial index only for its exact WHERE clause.
        .where(text(NOT_PSEUDONYMISED_SQL))
        .where(
            RegulationRequest.closed_at < closed_before,
            # `|| ''`: without statistics SQLite would pick the (status, deadline) index and
            # sort every closed request; this way it reads the oldest straight from the
            # partial index, in order.
            (RegulationRequest.status + "").in_(_CLOSED),
        )
        .order_by(RegulationRequest.closed_at, RegulationRequest.id)
        .limit(batch_size)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = (await session.execute(query)).all()
    if not rows:
        return 0
    ids = await pseudonymise_rows(session, rows, now=now)
    await audit.record(
        session,
        actor,
        "pseudonymise",
        ENTITY,
        f"{ids[0]}..{ids[-1]}"[:64],
        f"count={len(ids)};closed_before={closed_before.date().isoformat()}",
    )
    await session.flush()
    return len(ids)


async def pseudonymise_expired(
    session: AsyncSession,
    *,
    retention_months: int,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH,
    max_batches: int = 20,
    actor: Actor | None = None,
) -> int:
    """The job's work: batches of requests closed more than `retention_months` ago, at most
    `max_batches` per run (the next run carries on), then the redirects to the 15 recorded
    before the same cut-off; returns how many were pseudonymised."""
    now = now or utcnow()
    cutoff = retention_cutoff(now, retention_months)
    done = 0
    for _ in range(max_batches):
        count = await pseudonymise_batch(
            session, closed_before=cutoff, batch_size=batch_size, actor=actor, now=now
        )
        done += count
        if count < batch_size:
            break
    return done + await pseudonymise_redirects_15(session, recorded_before=cutoff, now=now)


ABANDONED_NOTE = "Clôturée automatiquement : demande restée sans suite (abandonnée)."


async def close_abandoned(
    session: AsyncSession,
    *,
    after_days: int,
    now: datetime | None = None,
    batch_size: int = DEFAULT_BATCH,
) -> int:
    """Close the requests still open `after_days` after they came in, as of that day (booked
    ones as `slot_booked`, the others as `no_slot_found`), with a note saying so; nobody is
    told (no SMS). Returns how many."""
    now = now or utcnow()
    rows = (
        await session.scalars(
            select(RegulationRequest)
            .where(
                RegulationRequest.status.in_([s.value for s in OPEN_STATUSES]),
                RegulationRequest.received_at < now - timedelta(days=after_days),
            )
            .order_by(RegulationRequest.id)
            .limit(batch_size)
        )
    ).all()
    actor = Actor.system("regulation.close_abandoned")
    for row in rows:
        booked = row.status == RequestStatus.ORIENTED.value
        outcome = Outcome.SLOT_BOOKED if booked else Outcome.NO_SLOT_FOUND
        row.status = RequestStatus.CLOSED.value
        row.outcome = outcome.value
        row.outcome_note = ABANDONED_NOTE
        row.closed_at = min(now, row.received_at + timedelta(days=after_days))
        row.claimed_by_user_id = None
        row.claimed_by_name = None
        await audit.changed(session, actor, ENTITY, row.id, ["closed_at", "outcome", "status"])
        await events.emit(
            session,
            RequestClosed(row.id, row.status, outcome.value, row.referrer_user_id, automatic=True),
        )
    await session.flush()
    return len(rows)
