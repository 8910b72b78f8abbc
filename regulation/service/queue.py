"""The live queue and its claims. The queue is the database: nothing lives in memory.

Order: priority (requests not triaged yet come right after P0/P1, before P2, since any of them
may hide a red flag), then those a freed slot is offered to (`rebooking`), then time left before
the deadline, then arrival. A claim is one conditional UPDATE (`status in (received,
waiting)`), so of two operators clicking together exactly one wins; the other is told who has
it. Consoles keep their claims alive with heartbeats; `release_stale_claims` frees the claims of
consoles gone silent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import AlreadyClaimed, RequestNotOpen
from regulation.events import RequestClaimed, RequestReleased, RequestTransferred
from regulation.models import (
    CLAIMABLE_STATUSES,
    QUEUE_STATUSES,
    AssignedTo,
    CallbackAttempt,
    CallbackResult,
    RegulationRequest,
    RequestLogEntry,
    RequestStatus,
)
from regulation.schemas import ClaimOut, QueueItem, QueueOut, Urgency
from regulation.service.free_text import scan_free_text
from regulation.service.gates import awaits_regulator
from regulation.service.records import (
    ENTITY,
    age_label,
    clear_claim,
    display_name,
    ensure_not_held_by_other,
    ensure_open,
    get_row,
    log_step,
    today_paris,
    unclaimed_status,
)
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Forbidden

SOON_SECONDS = 3600  # less than an hour left: the console shows it as "soon"...
SOON_SHARE = (
    3  # ... or, for a short deadline (a referral to triage within the hour), its last third
)

R = RegulationRequest
PRIORITY_RANK = case({"P0": 0, "P1": 1, "P2": 3, "P3": 4}, value=R.priority, else_=2)
# Releasing puts a request back where it was: waiting when triaged, received otherwise.
UNCLAIMED_STATUS = case(
    (R.triaged_at.is_(None), RequestStatus.RECEIVED.value), else_=RequestStatus.WAITING.value
)


def soon_seconds(received_at: datetime, deadline_at: datetime | None) -> int:
    """Time left under which a request shows as "soon": an hour, or the last third of a
    shorter window (so that a request to triage within the hour is not amber from arrival)."""
    if deadline_at is None:
        return SOON_SECONDS
    window = int((deadline_at - received_at).total_seconds())
    return max(0, min(SOON_SECONDS, window // SOON_SHARE))


def urgency(seconds_left: int | None, soon: int = SOON_SECONDS) -> Urgency:
    if seconds_left is None:
        return "ok"
    if seconds_left < 0:
        return "overdue"
    return "soon" if seconds_left < soon else "ok"


async def list_queue(
    session: AsyncSession,
    actor: Actor,
    *,
    assigned_to: AssignedTo | None = None,
    now: datetime | None = None,
) -> QueueOut:
    """Requests to handle, most urgent first, with waiting time and time left."""
    now = now or utcnow()
    failed = (
        select(CallbackAttempt.request_id, func.count().label("failed"))
        .where(CallbackAttempt.result != CallbackResult.REACHED)
        .group_by(CallbackAttempt.request_id)
        .subquery()
    )
    query = (
        select(R, func.coalesce(failed.c.failed, 0))
        .outerjoin(failed, failed.c.request_id == R.id)
        .where(R.status.in_(QUEUE_STATUSES))
        .order_by(
            PRIORITY_RANK,
            R.offered_slot_id.is_(None),  # a freed slot is offered to them first
            R.deadline_at.nulls_last(),
            R.received_at,
            R.id,
        )
    )
    if assigned_to is not None:
        query = query.where(R.assigned_to == assigned_to)
    rows = (await session.execute(query)).all()
    await audit.read_many(session, actor, ENTITY, [row.id for row, _ in rows])
    notes = await transfer_notes(
        session, [row.id for row, _ in rows if row.assigned_to == AssignedTo.REGULATOR]
    )
    on = today_paris(now)
    items = []
    for row, failed_count in rows:
        left = int((row.deadline_at - now).total_seconds()) if row.deadline_at else None
        soon = soon_seconds(row.received_at, row.deadline_at)
        items.append(
            QueueItem.model_validate(
                {
                    "id": row.id,
                    "status": row.status,
                    "assigned_to": row.assigned_to,
                    "priority": row.priority,
                    "motif": row.motif,
                    "origin": row.origin,
                    "referrer_structure": row.referrer_structure,
                    "family_name": row.family_name,
                    "given_name": row.given_name,
                    "age_label": age_label(row.birth_date, on),
                    "commune_insee": row.commune_insee,
                    "mobility": row.mobility,
                    "received_at": row.received_at,
                    "deadline_at": row.deadline_at,
                    "callback_at": row.callback_at,
                    "waiting_seconds": max(0, int((now - row.received_at).total_seconds())),
                    "seconds_left": left,
                    "urgency": urgency(left, soon),
                    "soon_seconds": soon,
                    "claimed_by_user_id": row.claimed_by_user_id,
                    "claimed_by_name": row.claimed_by_name,
                    "failed_callbacks": int(failed_count),
                    "rebook_reason": row.rebook_reason,
                    "offered_slot_id": row.offered_slot_id,
                    "retriage_reason": row.retriage_reason,
                    "awaiting_regulator": awaits_regulator(row),
                    "free_text_alert": bool(scan_free_text(row.notes)),
                    "transfer_note": notes.get(row.id),
                }
            )
        )
    return QueueOut(generated_at=now, items=items)


async def transfer_notes(session: AsyncSession, request_ids: list[int]) -> dict[int, str]:
    """The operator's message on the latest transfer to the regulators of each request (one
    query: the regulator's worklist shows why before the request is opened)."""
    if not request_ids:
        return {}
    L = RequestLogEntry
    latest = (
        select(func.max(L.id))
        .where(L.request_id.in_(request_ids), L.kind == "transferred")
        .group_by(L.request_id)
    )
    rows = (await session.execute(select(L.request_id, L.detail).where(L.id.in_(latest)))).all()
    notes: dict[int, str] = {}
    for request_id, detail in rows:
        note = (detail or {}).get("note")
        if isinstance(note, str) and note.strip():
            notes[request_id] = note.strip()
    return notes


def _claim_out(row: RegulationRequest) -> ClaimOut:
    return ClaimOut(
        request_id=row.id,
        status=RequestStatus(row.status),
        claimed_by_user_id=row.claimed_by_user_id,
        claimed_by_name=row.claimed_by_name,
        claim_started_at=row.claim_started_at,
    )


async def claim_request(
    session: AsyncSession, actor: Actor, request_id: int, *, now: datetime | None = None
) -> ClaimOut:
    """Take a request in hand; `AlreadyClaimed` (409) names whoever has it."""
    if actor.user_id is None:
        raise Forbidden("Seule une personne peut prendre une demande en charge.")
    now = now or utcnow()
    name = await display_name(session, actor)
    claimable: ColumnElement[bool] = R.status.in_(CLAIMABLE_STATUSES)
    if actor.role == Role.OPERATOR:  # a request transferred to the regulators stays theirs
        claimable = claimable & (R.assigned_to == AssignedTo.OPERATOR)
    result = await session.execute(
        update(R)
        .where(R.id == request_id, claimable)
        .values(
            status=RequestStatus.CLAIMED,
            claimed_by_user_id=actor.user_id,
            claimed_by_name=name,
            claim_started_at=now,
            claimed_heartbeat_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    row = await get_row(session, request_id)
    if not result.rowcount:  # type: ignore[attr-defined]
        if row.status == RequestStatus.CLAIMED:
            if row.claimed_by_user_id == actor.user_id:
                return _claim_out(row)  # clicking twice is not an error
            raise AlreadyClaimed(row.claimed_by_name)
        if row.status in CLAIMABLE_STATUSES:
            raise Forbidden("Demande transférée au médecin régulateur.", ("path", "request_id"))
        if row.status == RequestStatus.ORIENTED:
            raise RequestNotOpen("Demande déjà orientée.")
        raise RequestNotOpen()
    if row.claimed_at is None:
        row.claimed_at = now
    await audit.changed(session, actor, ENTITY, row.id, ["claimed_by_user_id", "status"])
    log_step(session, row.id, actor, name, "claimed", at=now)
    await events.emit(session, RequestClaimed(row.id, actor.user_id, name, row.referrer_user_id))
    await session.flush()
    return _claim_out(row)


async def release_request(
    session: AsyncSession, actor: Actor, request_id: int, *, now: datetime | None = None
) -> ClaimOut:
    """Put a claimed request back in the queue (its holder, or a coordinator)."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    if row.status != RequestStatus.CLAIMED:
        return _claim_out(row)
    ensure_not_held_by_other(row, actor)
    previous = row.claimed_by_user_id
    row.status = unclaimed_status(row)
    clear_claim(row)
    await audit.changed(session, actor, ENTITY, row.id, ["claimed_by_user_id", "status"])
    log_step(session, row.id, actor, await display_name(session, actor), "released", at=now)
    await events.emit(
        session, RequestReleased(row.id, row.status, "released", previous, row.referrer_user_id)
    )
    await session.flush()
    return _claim_out(row)


async def transfer_to_regulator(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    *,
    note: str | None = None,
    now: datetime | None = None,
) -> ClaimOut:
    """Hand the request to the medical regulators: back in the queue, assigned to them."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    if row.status == RequestStatus.ORIENTED:
        raise RequestNotOpen("Demande déjà orientée.")
    ensure_not_held_by_other(row, actor)
    previous = row.claimed_by_user_id
    row.assigned_to = AssignedTo.REGULATOR
    row.status = unclaimed_status(row)
    clear_claim(row)
    fields = ["assigned_to", "claimed_by_user_id", "status"]
    await audit.changed(session, actor, ENTITY, row.id, fields)
    name = await display_name(session, actor)
    log_step(session, row.id, actor, name, "transferred", at=now, to="regulator", note=note)
    await events.emit(
        session, RequestReleased(row.id, row.status, "transferred", previous, row.referrer_user_id)
    )
    await events.emit(
        session, RequestTransferred(row.id, AssignedTo.REGULATOR, row.referrer_user_id)
    )
    await session.flush()
    return _claim_out(row)


async def refresh_heartbeat(
    session: AsyncSession, actor: Actor, *, now: datetime | None = None
) -> int:
    """Keep the caller's claims alive (their console is still there); returns how many."""
    if actor.user_id is None:
        return 0
    result = await session.execute(
        update(R)
        .where(R.status == RequestStatus.CLAIMED, R.claimed_by_user_id == actor.user_id)
        .values(claimed_heartbeat_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_stale_claims(
    session: AsyncSession, *, grace_seconds: float, now: datetime | None = None
) -> list[int]:
    """Release claims whose console sent no heartbeat for `grace_seconds`; returns their ids.

    Rows are locked with `SKIP LOCKED` on PostgreSQL and the UPDATE re-checks the staleness, so
    two instances running this together never release (or log) the same claim twice.
    """
    now = now or utcnow()
    cutoff = now - timedelta(seconds=grace_seconds)
    stale = (R.status == RequestStatus.CLAIMED) & (R.claimed_heartbeat_at < cutoff)
    candidates = (
        await session.execute(
            select(R.id, R.claimed_by_user_id, R.claimed_by_name, R.referrer_user_id)
            .where(stale)
            .order_by(R.id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not candidates:
        return []
    ids = [c.id for c in candidates]
    released = (
        await session.execute(
            update(R)
            .where(R.id.in_(ids), stale)
            .values(
                status=UNCLAIMED_STATUS,
                claimed_by_user_id=None,
                claimed_by_name=None,
                claim_started_at=None,
                claimed_heartbeat_at=None,
                updated_at=now,
            )
            .returning(R.id, R.status)
            .execution_options(synchronize_session=False)
        )
    ).all()
    status_of = {r.id: r.status for r in released}
    system = Actor.system("regulation.release_stale_claims")
    for candidate in candidates:
        if candidate.id not in status_of:
            continue
        await audit.changed(session, system, ENTITY, candidate.id, ["claimed_by_user_id", "status"])
        log_step(
            session,
            candidate.id,
            system,
            "Système",
            "released",
            at=now,
            reason="stale",
            previous=candidate.claimed_by_name,
        )
        await events.emit(
            session,
            RequestReleased(
                candidate.id,
                status_of[candidate.id],
                "stale",
                candidate.claimed_by_user_id,
                candidate.referrer_user_id,
            ),
        )
    return sorted(status_of)
