"""Several app instances on one PostgreSQL: live events cross them through LISTEN/NOTIFY."""

from __future__ import annotations

import asyncio
import json
import time

import asyncpg
import pytest

from composition import demo, migrate
from composition.app import create_app
from snp import live, territory
from snp.auth.roles import Role
from snp.db import Database
from tests.conftest import test_settings
from tests.regulation.conftest import (
    console,
    http,
    logged_in,
    next_message,
    nothing_for,
    patient,
    served,
)
from tests.support.postgres import Cluster, create_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    url = create_database(pg_cluster, "snp_live")
    migrate.upgrade(url)
    return url


async def test_a_claim_on_one_instance_is_seen_on_the_other_within_a_second(
    pg_url: str,
) -> None:
    first = create_app(test_settings(pg_url), start_scheduler=False)
    second = create_app(test_settings(pg_url), start_scheduler=False)
    database: Database = first.state.db
    async with database.sessionmaker() as session:
        await territory.upsert_communes(session, demo.COMMUNES)
        await session.commit()
        async with (
            served(first) as host_a,
            served(second) as host_b,
            http(host_a) as anne,
            http(host_b) as paul,
        ):
            assert first.state.live.uses_postgres
            assert first.state.live.listening.is_set()
            assert second.state.live.listening.is_set()
            await logged_in(session, anne, Role.OPERATOR, "anne@example.fr")
            paul_id = await logged_in(session, paul, Role.OPERATOR, "paul@example.fr")
            async with console(host_a, anne) as on_a, console(host_b, paul) as on_b:
                created = await paul.post("/api/regulation/requests", json=patient(claim=False))
                request_id = created.json()["id"]
                assert (await next_message(on_a, "request.received"))["request_id"] == request_id
                started = time.monotonic()
                claimed = await paul.post(f"/api/regulation/requests/{request_id}/claim")
                assert claimed.status_code == 200
                seen = await next_message(on_a, "request.claimed", within=1.0)
                assert time.monotonic() - started < 1.0
                assert (seen["request_id"], seen["claimed_by_user_id"]) == (request_id, paul_id)
                # The instance that did the work delivers to its own consoles exactly once.
                assert (await next_message(on_b, "request.claimed"))["request_id"] == request_id
                await nothing_for(on_b, 0.3)
                # And the other way round, a claim refused on A names Paul, who holds it.
                refused = await anne.post(f"/api/regulation/requests/{request_id}/claim")
                assert refused.status_code == 409
                assert refused.json()["detail"][0]["msg"].endswith("par Test operator.")
    await first.state.db.dispose()
    await second.state.db.dispose()


async def test_a_lost_listen_connection_reconnects_and_asks_consoles_to_resync(
    pg_url: str,
) -> None:
    app = create_app(test_settings(pg_url), start_scheduler=False)
    hub: live.LiveHub = app.state.live
    await hub.start()
    try:
        subscriber = live.Subscriber(1, Role.OPERATOR)
        hub._subscribers.add(subscriber)
        dsn = hub._dsn()
        admin = await asyncpg.connect(dsn)
        try:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
        text = await asyncio.wait_for(subscriber.queue.get(), 10)
        assert json.loads(text) == {"type": "resync"}
        await asyncio.wait_for(hub.listening.wait(), 10)
    finally:
        await hub.stop()
        await app.state.db.dispose()
