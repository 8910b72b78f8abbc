"""Idempotency keys for the calls a client must be able to retry safely (booking confirms).

A client that lost the answer to `POST .../confirm` sends it again with the same
`Idempotency-Key` header: the first answer (status and body) is returned, nothing is booked
twice. Keys are per user and per operation (method and path), kept a day
(`purge_idempotency_keys`, hourly); the stored answer is written in the same transaction as the
booking, so a key exists exactly when its booking does.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import Integer, String, Text, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from snp import scheduler
from snp.actor import Actor
from snp.db import Base, UTCDateTime, dialect_insert, utcnow

KEEP = timedelta(days=1)

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=100,
        pattern=r"^[A-Za-z0-9._:-]+$",
        description="Clé unique choisie par le client (UUID) : renvoyer la même requête avec "
        "la même clé rend la première réponse sans rien refaire.",
    ),
]


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    operation: Mapped[str] = mapped_column(String(200))
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


async def once(
    session: AsyncSession,
    request: Request,
    actor: Actor,
    key: str | None,
    status_code: int,
    produce: Callable[[], Awaitable[BaseModel]],
) -> JSONResponse:
    """The stored answer for (`actor`, `key`) on this operation, or `produce()`'s, stored."""
    operation = f"{request.method} {request.url.path}"
    if key is not None and actor.user_id is not None:
        stored = await session.get(IdempotencyKey, (actor.user_id, key))
        if stored is not None and stored.operation == operation:
            return JSONResponse(json.loads(stored.body), status_code=stored.status_code)
    result = await produce()
    payload = result.model_dump(mode="json")
    if key is not None and actor.user_id is not None:
        insert = dialect_insert(session)
        await session.execute(
            insert(IdempotencyKey)
            .values(
                user_id=actor.user_id,
                key=key,
                operation=operation,
                status_code=status_code,
                body=json.dumps(payload),
                created_at=utcnow(),
            )
            .on_conflict_do_nothing()
        )
    return JSONResponse(payload, status_code=status_code)


async def purge(session: AsyncSession, now: datetime | None = None) -> int:
    result = await session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at < (now or utcnow()) - KEEP)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@scheduler.register("snp.purge_idempotency_keys", timedelta(hours=1))
async def purge_idempotency_keys(session: AsyncSession) -> None:
    await purge(session)


__all__ = ["IdempotencyKey", "IdempotencyKeyHeader", "once", "purge"]
