"""The queue's health for the coordinator: three aggregate queries, whatever the queue's size.

Counts only, plus who holds which request (by number, without the patient's identity): nothing
here reads patient data, so nothing is audited.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import QUEUE_STATUSES, AssignedTo, RegulationRequest, RequestStatus
from regulation.schemas_supervision import ClaimLine, PriorityLoad, SupervisionOut, TodayFigures
from regulation.service.records import today_paris
from snp.db import utcnow
from snp.kit import PARIS

R = RegulationRequest
DUE_SOON = timedelta(minutes=30)
PRIORITY_ORDER = {"P0": 0, "P1": 1, None: 2, "P2": 3, "P3": 4}


async def supervision(session: AsyncSession, *, now: datetime | None = None) -> SupervisionOut:
    now = now or utcnow()
    in_queue = R.status.in_(QUEUE_STATUSES)
    loads = (
        await session.execute(
            select(
                R.priority,
                func.count(),
                func.min(R.received_at),
                func.count().filter(R.deadline_at < now),
                func.count().filter(and_(R.deadline_at >= now, R.deadline_at < now + DUE_SOON)),
                func.count().filter(
                    and_(R.assigned_to == AssignedTo.REGULATOR, R.status != RequestStatus.CLAIMED)
                ),
            )
            .where(in_queue)
            .group_by(R.priority)
        )
    ).all()
    by_priority = sorted(
        (
            PriorityLoad(
                priority=priority,
                waiting=count,
                oldest_wait_seconds=max(0, int((now - oldest).total_seconds())),
            )
            for priority, count, oldest, *_ in loads
        ),
        key=lambda load: PRIORITY_ORDER.get(load.priority, 2),
    )
    claims = (
        await session.execute(
            select(R.id, R.priority, R.assigned_to, R.claimed_by_name, R.claim_started_at)
            .where(R.status == RequestStatus.CLAIMED)
            .order_by(R.claim_started_at, R.id)
        )
    ).all()
    start = datetime.combine(today_paris(now), time(), tzinfo=PARIS)
    today = (
        await session.execute(
            select(
                func.count().filter(R.received_at >= start),
                func.count().filter(R.triaged_at >= start),
                func.count().filter(R.oriented_at >= start),
                func.count().filter(
                    and_(R.status == RequestStatus.REDIRECTED_15, R.updated_at >= start)
                ),
                func.count().filter(and_(R.status == RequestStatus.CLOSED, R.closed_at >= start)),
            ).where(
                or_(
                    R.received_at >= start,
                    R.triaged_at >= start,
                    R.oriented_at >= start,
                    R.closed_at >= start,
                    R.updated_at >= start,
                )
            )
        )
    ).one()
    oldest_overall = [load.oldest_wait_seconds for load in by_priority]
    return SupervisionOut(
        generated_at=now,
        waiting=sum(load.waiting for load in by_priority),
        oldest_wait_seconds=max(oldest_overall) if oldest_overall else None,
        by_priority=by_priority,
        overdue=sum(row[3] for row in loads),
        due_within_30_min=sum(row[4] for row in loads),
        awaiting_regulator=sum(row[5] for row in loads),
        claims=[
            ClaimLine(
                request_id=request_id,
                priority=priority,
                assigned_to=assigned_to,
                claimed_by_name=name,
                claimed_for_seconds=max(0, int((now - started).total_seconds())) if started else 0,
            )
            for request_id, priority, assigned_to, name, started in claims
        ],
        today=TodayFigures(
            received=today[0],
            triaged=today[1],
            booked=today[2],
            redirected_15=today[3],
            closed=today[4],
        ),
    )
