"""The health of the link to the SAS platform, for coordinators (« Lien SAS »): when the last
push succeeded, how many wait, which ones the platform refused and what it answered; replaying
refused pushes once the cause is fixed; the regulators' « mot de passe oublié » requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from sas.models import OutboxStatus, SasOutbox
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.settings import Settings

ENTITY = "sas_push"


@dataclass(frozen=True, slots=True)
class RefusedPush:
    id: int
    appointment: str  # the platform identifier
    method: str
    status: str  # the Appointment status it carried
    start: str | None
    attempts: int
    error: str | None
    answer: str | None
    refused_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LinkStatus:
    platform_url: str
    client_certificate: bool
    last_success_at: datetime | None
    queue_length: int
    waiting_since: datetime | None
    last_error: str | None
    refused: list[RefusedPush]


def _carried(payload: str) -> tuple[str, str | None]:
    try:
        resource = json.loads(payload)
    except ValueError:
        return "?", None
    return str(resource.get("status", "?")), resource.get("start")


async def link_status(session: AsyncSession, settings: Settings) -> LinkStatus:
    waiting = [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value]
    last_success = await session.scalar(select(func.max(SasOutbox.sent_at)))
    queue = int(
        await session.scalar(select(func.count()).where(SasOutbox.status.in_(waiting))) or 0
    )
    oldest = await session.scalar(
        select(func.min(SasOutbox.created_at)).where(SasOutbox.status.in_(waiting))
    )
    last_error = await session.scalar(
        select(SasOutbox.last_error)
        .where(SasOutbox.status.in_(waiting), SasOutbox.last_error.is_not(None))
        .order_by(SasOutbox.id.desc())
        .limit(1)
    )
    rows = await session.scalars(
        select(SasOutbox)
        .where(SasOutbox.status == OutboxStatus.REJECTED.value)
        .order_by(SasOutbox.id)
        .limit(500)
    )
    refused = []
    for row in rows:
        status, start = _carried(row.payload)
        refused.append(
            RefusedPush(
                id=row.id,
                appointment=row.identifier,
                method=row.method,
                status=status,
                start=start,
                attempts=row.attempts,
                error=row.last_error,
                answer=row.last_response,
                refused_at=row.rejected_at,
                created_at=row.created_at,
            )
        )
    return LinkStatus(
        platform_url=settings.sas_platform_url,
        client_certificate=settings.sas_client_cert_file is not None,
        last_success_at=last_success,
        queue_length=queue,
        waiting_since=oldest,
        last_error=last_error,
        refused=refused,
    )


async def replay(
    session: AsyncSession, actor: Actor, push_id: int | None = None, now: datetime | None = None
) -> int:
    """Put refused pushes (one, or all when `push_id` is None) back in the queue, due now;
    they go in their original order, before the later changes of the same appointment."""
    condition = SasOutbox.status == OutboxStatus.REJECTED.value
    if push_id is not None:
        condition = condition & (SasOutbox.id == push_id)
    ids = list(await session.scalars(select(SasOutbox.id).where(condition)))
    if push_id is not None and not ids:
        raise NotFound("Envoi refusé introuvable (déjà rejoué ?).", ("path", "push_id"))
    if ids:
        await session.execute(
            update(SasOutbox)
            .where(SasOutbox.id.in_(ids), SasOutbox.status == OutboxStatus.REJECTED.value)
            .values(status=OutboxStatus.PENDING.value, next_attempt_at=now or utcnow())
            .execution_options(synchronize_session=False)
        )
        for row_id in ids:
            await audit.record(session, actor, "replay", ENTITY, row_id)
    return len(ids)
