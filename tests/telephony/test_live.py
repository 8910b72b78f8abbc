"""Waiting calls reach every console live, whichever app instance the call came in on
(PostgreSQL: LISTEN/NOTIFY between instances); messages never carry the number."""

from __future__ import annotations

import pytest

from composition import migrate
from composition.app import create_app
from snp.auth.roles import Role
from snp.db import Database
from tests.conftest import test_settings
from tests.regulation.conftest import console, http, logged_in, next_message, served
from tests.support.postgres import Cluster, create_database
from tests.telephony.conftest import ALWAYS_OPEN

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    url = create_database(pg_cluster, "snp_voice_live")
    migrate.upgrade(url)
    return url


async def test_a_call_ringing_on_one_instance_shows_on_consoles_of_both(pg_url: str) -> None:
    settings = test_settings(pg_url, **ALWAYS_OPEN)
    first = create_app(settings, start_scheduler=False)
    second = create_app(settings, start_scheduler=False)
    database: Database = first.state.db
    async with (
        database.sessionmaker() as session,
        served(first) as host_a,
        served(second) as host_b,
        http(host_a) as coordinator,
        http(host_b) as paul,
    ):
        await logged_in(session, coordinator, Role.COORDINATOR, "coord@example.fr")
        await logged_in(session, paul, Role.OPERATOR, "paul@example.fr")
        presence = {"state": "available", "phone": "+33622222222"}
        assert (await paul.put("/api/voice/presence", json=presence)).is_success
        async with console(host_a, coordinator) as on_a, console(host_b, paul) as on_b:
            rung = await coordinator.post("/api/voice/console/calls", json={"sender": "0612345678"})
            call_id = rung.json()["id"]
            seen_a = await next_message(on_a, "voice.call_waiting", within=2.0)
            seen_b = await next_message(on_b, "voice.call_waiting", within=2.0)
            assert seen_a["call_id"] == seen_b["call_id"] == call_id
            assert "0612345678" not in str(seen_b)
            assert "+33612345678" not in str(seen_b)
            taken = await paul.post(f"/api/voice/calls/{call_id}/take")
            assert taken.status_code == 200, taken.text
            assert (await next_message(on_a, "voice.call_taken", within=2.0))["call_id"] == (
                call_id
            )
    await first.state.db.dispose()
    await second.state.db.dispose()
