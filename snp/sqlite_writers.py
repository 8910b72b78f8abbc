"""SQLite lets one transaction write at a time. A second writer that finds the lock taken waits in
SQLite's busy handler, which does not wake it when the lock is released: it sleeps 1, 2, 5, 10,
15, 20, 25, 25, 25, 50, 50, 100 ms between attempts, and a writer arriving later may take the lock
between two of those sleeps. Behind a 5 ms transaction a writer waited ~11 ms; behind 40 ms, ~60
ms; behind 85 ms, ~105 ms; under a burst of short transactions an unlucky one lost several rounds
(the phone line's webhook tail, see bench/RESULTS.md).

`WriterQueue` queues this process's writers instead: a transaction's first INSERT, UPDATE or
DELETE waits its turn on an `asyncio.Lock` (first come, first served), which it gives back the
moment its COMMIT or ROLLBACK returns, so the next writer starts at once. The lock is held exactly
when SQLite's is (from the first write to the end of the transaction): no new wait appears, and
SQLite's own busy handler still covers writers of other processes (the `snp` command). Reads are
never queued (WAL). A writer that waited `wait_seconds` (the busy timeout) goes ahead anyway and
meets SQLite's lock as before, so nothing waits forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import MissingGreenlet
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _raw(connection: Any) -> Any:
    """The DBAPI connection behind SQLAlchemy's pool proxy (hooks get one or the other)."""
    return getattr(connection, "dbapi_connection", None) or connection


def is_write(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(WRITES)


class WriterQueue:
    """One per engine: at most one of its connections writes at a time, in arrival order."""

    def __init__(self, wait_seconds: float) -> None:
        self.wait_seconds = wait_seconds
        self.holder: object | None = None  # the DBAPI connection whose transaction writes
        self.waiting = 0  # writers waiting for their turn
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _lock_of(self, loop: asyncio.AbstractEventLoop) -> asyncio.Lock:
        if self._lock is None or self._loop is not loop:  # an engine outliving its loop (tests)
            self._lock, self._loop, self.holder = asyncio.Lock(), loop, None
        return self._lock

    def enter(self, dbapi_connection: object) -> None:
        """Before a write: wait for the turn of `dbapi_connection` (kept until its transaction
        ends). Called from SQLAlchemy's synchronous hooks, inside its async bridge."""
        if self.holder is dbapi_connection:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not under asyncio: SQLite's busy handler alone
            return
        lock = self._lock_of(loop)
        try:
            acquired = await_only(self._acquire(lock))
        except MissingGreenlet:  # a synchronous use of the engine
            return
        if acquired:
            self.holder = dbapi_connection

    async def _acquire(self, lock: asyncio.Lock) -> bool:
        self.waiting += 1
        try:
            await asyncio.wait_for(lock.acquire(), self.wait_seconds)
        except TimeoutError:
            return False
        finally:
            self.waiting -= 1
        return True

    def leave(self, dbapi_connection: object) -> None:
        """The transaction of `dbapi_connection` ended (committed, rolled back or closed)."""
        if self.holder is dbapi_connection and self._lock is not None:
            self.holder = None
            self._lock.release()


_queues: weakref.WeakKeyDictionary[Engine, WriterQueue] = weakref.WeakKeyDictionary()


def queue_of(engine: AsyncEngine) -> WriterQueue | None:
    return _queues.get(engine.sync_engine)


def install(engine: AsyncEngine, wait_seconds: float) -> WriterQueue:
    """Queue the writers of `engine` (an aiosqlite engine) on a `WriterQueue`."""
    queue = WriterQueue(wait_seconds)
    sync_engine = engine.sync_engine
    _queues[sync_engine] = queue

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before_write(
        conn: Connection, _cursor: Any, statement: str, *_args: Any, **_kw: Any
    ) -> None:
        if is_write(statement):
            queue.enter(_raw(conn.connection))

    dialect: Any = sync_engine.dialect
    for name in ("do_commit", "do_rollback", "do_close"):
        original = getattr(dialect, name)

        def ended(dbapi_connection: Any, _original: Any = original) -> None:
            try:
                _original(dbapi_connection)
            finally:
                with contextlib.suppress(RuntimeError):  # a lock of a closed loop
                    queue.leave(_raw(dbapi_connection))

        setattr(dialect, name, ended)
    return queue
