"""On SQLite one transaction writes at a time: the app's writers queue for their turn in arrival
order and start the moment the previous writer's transaction ends, instead of polling in SQLite's
busy handler (whose growing sleeps made the phone line's webhook tail)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from snp import sqlite_writers
from snp.db import Database
from snp.sqlite_writers import WriterQueue


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}")
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE marks (writer TEXT NOT NULL)"))
    yield database
    await database.dispose()


def queue(database: Database) -> WriterQueue:
    found = sqlite_writers.queue_of(database.engine)
    assert found is not None, "every SQLite engine of the app queues its writers"
    return found


async def until(condition: Callable[[], bool]) -> None:
    """Let the other tasks run until `condition` holds (no timing involved)."""
    for _ in range(100_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


def waiting_count(writers: WriterQueue, count: int) -> Callable[[], bool]:
    return lambda: writers.waiting == count


async def marks(database: Database) -> list[str]:
    async with database.transaction() as session:
        return list((await session.scalars(text("SELECT writer FROM marks ORDER BY rowid"))).all())


async def test_writers_wait_their_turn_in_arrival_order(database: Database) -> None:
    writers = queue(database)
    release = asyncio.Event()

    async def first() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO marks VALUES ('first')"))
            await release.wait()

    async def next_writer(name: str) -> None:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))  # connected before queueing
            await session.execute(text("INSERT INTO marks VALUES (:name)"), {"name": name})

    holder = asyncio.create_task(first())
    await until(lambda: writers.holder is not None)
    waiting = []
    for n, name in enumerate(["second", "third", "fourth"], start=1):
        waiting.append(asyncio.create_task(next_writer(name)))
        await until(waiting_count(writers, n))
    assert not any(task.done() for task in waiting), "nobody writes while the first does"

    release.set()
    await asyncio.gather(holder, *waiting)

    assert await marks(database) == ["first", "second", "third", "fourth"]
    assert writers.holder is None
    assert writers.waiting == 0


async def test_a_rolled_back_writer_hands_over_too(database: Database) -> None:
    writers = queue(database)
    release = asyncio.Event()

    async def failing() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO marks VALUES ('undone')"))
            await release.wait()
            raise RuntimeError("the unit of work fails")

    async def next_writer() -> None:
        async with database.transaction() as session:
            await session.execute(text("SELECT 1"))
            await session.execute(text("INSERT INTO marks VALUES ('kept')"))

    holder = asyncio.create_task(failing())
    await until(lambda: writers.holder is not None)
    waiting = asyncio.create_task(next_writer())
    await until(lambda: writers.waiting == 1)
    release.set()

    with pytest.raises(RuntimeError):
        await holder
    await waiting
    assert await marks(database) == ["kept"]
    assert writers.holder is None


async def test_reads_are_never_queued_behind_a_writer(database: Database) -> None:
    writers = queue(database)
    release = asyncio.Event()

    async def writer() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO marks VALUES ('pending')"))
            await release.wait()

    holder = asyncio.create_task(writer())
    await until(lambda: writers.holder is not None)
    async with database.transaction() as session:  # WAL: the last committed state, at once
        assert (await session.scalar(text("SELECT count(*) FROM marks"))) == 0
    release.set()
    await holder
    assert await marks(database) == ["pending"]


def test_only_writing_statements_queue() -> None:
    assert sqlite_writers.is_write("INSERT INTO marks VALUES (1)")
    assert sqlite_writers.is_write("  update marks SET writer = 'x'")
    assert sqlite_writers.is_write("DELETE FROM marks")
    assert not sqlite_writers.is_write("SELECT * FROM marks")
    assert not sqlite_writers.is_write("PRAGMA busy_timeout=10000")
