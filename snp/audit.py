"""Append-only audit trail: who read or changed which record, when, from which address.

One line at each call site: `await audit.read(session, actor, "request", request_id)`.
The entry is written in the caller's transaction, so a rolled-back change leaves no trace of a
change that did not happen, and a read is traced as soon as its response is sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from snp.actor import Actor
from snp.db import Base, UTCDateTime, utcnow
from snp.kit import PageParams, count_rows


class AuditEntry(Base):
    __tablename__ = "audit_trail"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_email: Mapped[str] = mapped_column(String(254))
    actor_role: Mapped[str | None] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64))
    # Field names only (never values): what changed, without copying patient data here.
    detail: Mapped[str | None] = mapped_column(String(500))


def _entry(
    actor: Actor, action: str, entity: str, entity_id: object, detail: str | None
) -> AuditEntry:
    return AuditEntry(
        at=utcnow(),
        actor_user_id=actor.user_id,
        actor_email=actor.email,
        actor_role=actor.role.value if actor.role else None,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        ip=actor.ip,
        detail=detail,
    )


async def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    detail: str | None = None,
) -> None:
    session.add(_entry(actor, action, entity, entity_id, detail))


async def read(session: AsyncSession, actor: Actor, entity: str, entity_id: object) -> None:
    await record(session, actor, "read", entity, entity_id)


async def read_many(
    session: AsyncSession, actor: Actor, entity: str, entity_ids: list[object]
) -> None:
    """A list shown on screen is a read of every record in it."""
    session.add_all([_entry(actor, "read", entity, i, None) for i in entity_ids])


async def created(session: AsyncSession, actor: Actor, entity: str, entity_id: object) -> None:
    await record(session, actor, "create", entity, entity_id)


async def changed(
    session: AsyncSession, actor: Actor, entity: str, entity_id: object, fields: list[str]
) -> None:
    await record(session, actor, "update", entity, entity_id, ",".join(sorted(fields)) or None)


async def deleted(session: AsyncSession, actor: Actor, entity: str, entity_id: object) -> None:
    await record(session, actor, "delete", entity, entity_id)


async def list_entries(
    session: AsyncSession,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    actor_email: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: PageParams = PageParams(),
) -> tuple[list[AuditEntry], int]:
    """Entries, newest first, filtered by record, actor (e-mail, any case), action and time."""
    conditions = []
    if entity is not None:
        conditions.append(AuditEntry.entity == entity)
    if entity_id is not None:
        conditions.append(AuditEntry.entity_id == entity_id)
    if actor_email is not None:
        conditions.append(func.lower(AuditEntry.actor_email) == actor_email.strip().lower())
    if action is not None:
        conditions.append(AuditEntry.action == action)
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    query = select(AuditEntry).where(*conditions)
    rows = await session.scalars(
        page.apply(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    )
    return list(rows), await count_rows(session, query)


async def entries_about(
    session: AsyncSession, records: dict[str, list[str]], *, limit: int = 5000
) -> list[AuditEntry]:
    """Every entry about these records (entity -> ids), oldest first: who read or changed a
    person's records, for their right of access."""
    conditions = [
        (AuditEntry.entity == entity) & AuditEntry.entity_id.in_(sorted(set(ids)))
        for entity, ids in records.items()
        if ids
    ]
    if not conditions:
        return []
    rows = await session.scalars(
        select(AuditEntry)
        .where(or_(*conditions))
        .order_by(AuditEntry.at, AuditEntry.id)
        .limit(limit)
    )
    return list(rows)
