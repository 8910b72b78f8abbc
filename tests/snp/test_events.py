"""Events run their handlers in the caller's transaction and are published only after commit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit, events
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.db import Database


@dataclass(frozen=True)
class SomethingHappened:
    thing_id: int


@events.on(SomethingHappened)
async def _trace(session: AsyncSession, event: SomethingHappened) -> None:
    await audit.record(session, Actor.system("handler"), "noticed", "thing", event.thing_id)


@pytest.fixture
def published() -> Iterator[list[object]]:
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)


async def test_a_committed_event_has_its_handler_rows_and_is_published(
    database: Database, published: list[object]
) -> None:
    async with database.transaction() as session:
        await events.emit(session, SomethingHappened(1))
        assert published == []  # not before the commit
    assert published == [SomethingHappened(1)]
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 1


async def test_a_rolled_back_event_leaves_nothing_and_is_never_published(
    database: Database, published: list[object]
) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as session:
            await events.emit(session, SomethingHappened(2))
            raise RuntimeError("booking failed")
    assert published == []
    async with database.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 0
