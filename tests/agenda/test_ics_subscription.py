"""Subscribed ICS calendars: fetched by the scheduler, a failing one never stops the others."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import jobs
from agenda.models import Effector
from agenda.service.ics import IcsOptions
from agenda.service.ics_subscriptions import RefreshReport, refresh_subscriptions
from snp.db import SETTINGS_KEY, utcnow
from snp.settings import settings_of
from tests.agenda.ics_helpers import calendar, event
from tests.agenda.slot_factories import create_effector, create_effector_with_account, in_days
from tests.agenda.supply_helpers import slots_of
from tests.factories import login
from tests.support.postgres import free_port

# The test server listens on loopback, which production refuses (see the last tests).
OPTIONS = IcsOptions(fetch_timeout_seconds=0.5, allow_private_hosts=True)


class CalendarServer:
    """A calendar server on 127.0.0.1: `/calendar.ics` serves `self.body`; `/error` fails,
    `/slow` answers too late, `/garbage` is not a calendar."""

    def __init__(self) -> None:
        self.body = calendar(event("avail", in_days(1, 14), in_days(1, 15), "SNP"))
        self.requests = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests += 1
                if self.path == "/error":
                    self.send_error(500)
                    return
                if self.path == "/slow":
                    time.sleep(1.5)
                body = b"<html>Bonjour</html>" if self.path == "/garbage" else server.body
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/calendar")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (`/slow`)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[CalendarServer]:
    running = CalendarServer()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


async def subscribed(session: AsyncSession, url: str) -> Effector:
    effector = await create_effector(session)
    effector.ics_subscription_url = url
    await session.commit()
    return effector


async def reloaded(session: AsyncSession, effector_id: int) -> Effector:
    found = await session.scalar(
        select(Effector).where(Effector.id == effector_id).execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def test_a_calendar_subscribed_by_its_effector_is_imported_then_refreshed_when_due(
    client: httpx.AsyncClient, session: AsyncSession, server: CalendarServer
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    await login(client, user.email)
    response = await client.patch(
        f"/api/agenda/effectors/{effector.id}",
        json={"ics_subscription_url": server.url("/calendar.ics")},
    )
    assert response.status_code == 200, response.text

    assert await refresh_subscriptions(session, options=OPTIONS) == RefreshReport(1, 0)
    await session.commit()
    assert len(await slots_of(session, effector.id)) == 3
    fetched = await reloaded(session, effector.id)
    assert fetched.ics_last_fetched_at is not None
    assert fetched.ics_last_error is None

    # Not due again before `refresh_minutes`.
    assert await refresh_subscriptions(session, options=OPTIONS) == RefreshReport(0, 0)
    assert server.requests == 1

    server.body = calendar(event("avail", in_days(1, 14), in_days(1, 14, 40), "SNP"))
    later = utcnow() + timedelta(minutes=OPTIONS.refresh_minutes + 1)
    assert await refresh_subscriptions(session, options=OPTIONS, now=later) == RefreshReport(1, 0)
    await session.commit()
    assert len(await slots_of(session, effector.id)) == 2  # the vanished free slot is gone


async def test_a_failing_calendar_keeps_its_reason_and_never_stops_the_others(
    session: AsyncSession, server: CalendarServer
) -> None:
    failing = {
        server.url("/error"): "Le serveur du calendrier a répondu par une erreur HTTP 500.",
        f"http://127.0.0.1:{free_port()}/closed.ics": (
            "Calendrier injoignable : vérifiez son adresse."
        ),
        server.url("/slow"): "Le serveur du calendrier n'a pas répondu à temps.",
        server.url("/garbage"): (
            "Fichier ICS illisible : un calendrier au format iCalendar (.ics) est attendu."
        ),
    }
    broken = {(await subscribed(session, url)).id: reason for url, reason in failing.items()}
    working = await subscribed(session, server.url("/calendar.ics"))

    report = await refresh_subscriptions(session, options=OPTIONS)
    await session.commit()

    assert report == RefreshReport(refreshed=1, failed=4)
    for effector_id, reason in broken.items():
        effector = await reloaded(session, effector_id)
        assert effector.ics_last_error == reason
        assert effector.ics_last_fetched_at is not None
        assert await slots_of(session, effector_id) == []
    assert len(await slots_of(session, working.id)) == 3


async def test_the_scheduler_job_refreshes_the_subscriptions(
    session: AsyncSession, server: CalendarServer
) -> None:
    # A job reads the settings of the app whose database opened its session.
    allowing = settings_of(session).model_copy(update={"ics_allow_private_hosts": True})
    session.info[SETTINGS_KEY] = allowing
    effector = await subscribed(session, server.url("/calendar.ics"))
    await jobs.refresh_ics_subscriptions(session)
    await session.commit()
    assert len(await slots_of(session, effector.id)) == 3


async def test_a_calendar_on_an_internal_address_is_refused_by_default(
    session: AsyncSession, server: CalendarServer
) -> None:
    effector = await subscribed(session, server.url("/calendar.ics"))
    report = await refresh_subscriptions(session, options=IcsOptions(fetch_timeout_seconds=0.5))
    await session.commit()
    assert report == RefreshReport(0, 1)
    assert server.requests == 0  # refused before any connection
    await session.refresh(effector)
    assert effector.ics_last_error is not None
    assert "réseau interne" in effector.ics_last_error
    assert await slots_of(session, effector.id) == []
