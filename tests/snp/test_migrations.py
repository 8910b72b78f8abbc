"""One Alembic history, on SQLite and PostgreSQL, that matches the models exactly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect

from snp import migrate
from snp.app import METADATA
from snp.db import make_engine
from tests.support.postgres import Cluster, create_database


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return create_database(cluster, "snp_migrations")


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, METADATA))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _inspect(url: str) -> tuple[list[object], set[str]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_diff), await connection.run_sync(_tables)
    finally:
        await engine.dispose()


def test_upgrade_downgrade_upgrade_and_models_match(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    migrate.downgrade(fresh_url, "base")
    migrate.upgrade(fresh_url)
    differences, tables = asyncio.run(_inspect(fresh_url))
    assert differences == []
    assert {t.name for t in METADATA.sorted_tables} <= tables
