"""One Alembic history, on SQLite and PostgreSQL, that matches the models exactly."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from composition import migrate
from composition.app import METADATA
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


async def _seed_foundation_rows(url: str) -> None:
    """Rows as revision 0001 knew them (raw SQL: the models are at head)."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO effectors (id, national_id, national_id_kind, family_name,"
                    " given_name, profession, specialty_code, phone, active, home_visits,"
                    " teleconsultation, created_at, updated_at) VALUES (1, '10000000009', 'RPPS',"
                    " 'Martin', 'Anne', 'Médecin', 'SM54', '+33612345678', true, false, false,"
                    " :now, :now)"
                ),
                {"now": datetime(2026, 1, 1, tzinfo=UTC)},
            )
            await connection.execute(
                text(
                    "INSERT INTO sites (id, effector_id, name, address_line, postal_code, city,"
                    " insee_code, latitude, longitude) VALUES (1, 1, 'Cabinet', '1 rue du Port',"
                    " '35600', 'Redon', '35236', 47.65, -2.08)"
                )
            )
    finally:
        await engine.dispose()


async def _count_sites(url: str) -> int:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text("SELECT count(*) FROM sites"))).scalar_one())
    finally:
        await engine.dispose()


def test_upgrading_keeps_existing_rows(fresh_url: str) -> None:
    """SQLite batch migrations rebuild tables: child rows must survive (no cascade on drop)."""
    migrate.upgrade(fresh_url, "0001")
    asyncio.run(_seed_foundation_rows(fresh_url))
    migrate.upgrade(fresh_url)
    assert asyncio.run(_count_sites(fresh_url)) == 1
