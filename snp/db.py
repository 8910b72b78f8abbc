"""Database plumbing: async engine, session factory, declarative base, UTC datetimes.

One `Database` per app instance (held on `app.state.db`), so tests can run the same app against
SQLite and PostgreSQL side by side.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from snp import sqlite_writers

if TYPE_CHECKING:  # snp.settings imports this module for SETTINGS_KEY
    from snp.settings import Settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetime stored in UTC on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    _common_pragmas(cursor)


def _sqlite_migration_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Batch migrations rebuild tables (copy, drop, rename): with foreign keys on, dropping the
    # old table would cascade-delete every child row.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=OFF")
    _common_pragmas(cursor)


BUSY_TIMEOUT_SECONDS = 10


def _common_pragmas(cursor: Any) -> None:
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, pool_size: int = 10, *, for_migrations: bool = False) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, hide_parameters=True, echo=False
        )
        pragmas = _sqlite_migration_pragmas if for_migrations else _sqlite_pragmas
        event.listen(engine.sync_engine, "connect", pragmas)
        if not for_migrations:  # one write at a time, in arrival order (see sqlite_writers)
            sqlite_writers.install(engine, BUSY_TIMEOUT_SECONDS)
        return engine
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        # Never patient data in a log or an error message: no SQL parameters, no echo.
        hide_parameters=True,
        echo=False,
    )


SETTINGS_KEY = "snp.settings"


class Database:
    """The application's database. Built by the composition root with the application's
    settings, which ride on every session it opens (`snp.settings.settings_of(session)`): event
    handlers and jobs find them there."""

    def __init__(self, url: str, pool_size: int = 10, settings: Settings | None = None) -> None:
        self.url = url
        self.settings = settings
        self.engine = make_engine(url, pool_size)
        self.sessionmaker = async_sessionmaker(
            self.engine,
            expire_on_commit=False,
            info={SETTINGS_KEY: settings} if settings is not None else None,
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One transaction per unit of work: commit on success, roll back on any error."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def dispose(self) -> None:
        await self.engine.dispose()


def dialect_insert(session: AsyncSession) -> Any:
    """`INSERT ... ON CONFLICT` builder for the session's backend (SQLite and PostgreSQL both
    support it, through their own dialect constructs)."""
    bind = session.get_bind()
    return postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
