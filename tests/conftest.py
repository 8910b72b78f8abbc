"""Shared fixtures: every database-touching test runs on SQLite and on PostgreSQL.

The databases are migrated once per session with the real Alembic history; each test gets a
fresh app on an emptied database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher, profiles
from fastapi import FastAPI, routing
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from composition import migrate
from composition.app import METADATA, create_app
from snp.auth import service as auth_service
from snp.db import Database
from snp.settings import Settings
from tests.support.postgres import Cluster, create_database, start_cluster

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2's own test profile in this process: production parameters cost 0.1 s per hash
    and per login check, a third of the suite's time. The browser journeys' servers (their own
    processes) keep the production parameters."""
    hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth_service, "_hasher", hasher)
        patch.setattr(auth_service, "_DUMMY_HASH", hasher.hash("not-an-account"))
        yield


@pytest.fixture(scope="session", autouse=True)
def routes_built_once() -> Iterator[None]:
    """FastAPI builds each included route's handler (its dependencies, parameters and response
    model) lazily, per app, at the app's first requests: 0.4 s per app, most of an API test's
    time, since every test makes a fresh app. The apps of a test session all come from
    `create_app`: the handlers of the module-level routes are built once and shared. The one
    per-app input of a handler, the app whose `dependency_overrides` it reads, is never used
    here (no test overrides a dependency); routes made inside a function (per app, like the
    UI's) are built for each app as usual."""
    original = routing._EffectiveRouteContext.from_api_route
    built: dict[tuple[object, ...], tuple[object, routing._EffectiveRouteContext]] = {}

    def shared(
        cls: type[routing._EffectiveRouteContext],
        *,
        original_route: routing.APIRoute,
        include_context: routing._RouterIncludeContext,
    ) -> routing._EffectiveRouteContext:
        if "<locals>" in getattr(original_route.endpoint, "__qualname__", "<locals>"):
            return original(original_route=original_route, include_context=include_context)
        key = (
            id(original_route),  # kept alive below: the id is never reused
            include_context.path_for(original_route),
            tuple(id(d.dependency) for d in include_context.dependencies),
            tuple(include_context.tags),
        )
        if key not in built:
            context = original(original_route=original_route, include_context=include_context)
            built[key] = (original_route, context)
        return built[key][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routing._EffectiveRouteContext, "from_api_route", classmethod(shared))
        yield


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    yield cluster
    cluster.stop()


def _migrated_url(backend: str, tmp_root: Path, request: pytest.FixtureRequest, name: str) -> str:
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_root / f'{name}.db'}"
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        url = create_database(cluster, name)
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database URL; parametrized so each test runs on both backends."""
    return _migrated_url(request.param, tmp_path_factory.mktemp("db"), request, "snp_test")


def test_settings(db_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": db_url,
        "scheduler_enabled": False,
        "login_slowdown_seconds": 0.0,
        "log_level": "WARNING",
        "cookie_secure": False,  # plain-HTTP test clients
        # Password alone unless a test turns the second factor on (tests/snp/test_mfa*.py).
        "mfa_required": False,
        "caldav_key": "test-caldav-key",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


test_settings.__test__ = False  # type: ignore[attr-defined]


async def empty_database(database: Database) -> None:
    tables = [t.name for t in reversed(METADATA.sorted_tables)]
    async with database.engine.begin() as connection:
        if database.dialect == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608


@pytest.fixture
async def app(db_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(test_settings(db_url), start_scheduler=False)
    database: Database = application.state.db
    await empty_database(database)
    yield application
    await database.dispose()


@pytest.fixture
def database(app: FastAPI) -> Database:
    db: Database = app.state.db
    return db


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    """A session for arranging data and checking results; commit explicitly to share it."""
    async with database.sessionmaker() as s:
        yield s


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c
