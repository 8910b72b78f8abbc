"""Live events over `/ws`: consoles see requests, claims and outcomes without reloading.

Real uvicorn servers and the `websockets` client, as a browser would connect (one instance
here; several instances on one PostgreSQL in `test_live_instances.py`).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from regulation.models import RegulationRequest
from regulation.service import queue
from snp import live
from snp.auth.roles import Role
from snp.db import Database, utcnow
from tests.regulation.conftest import (
    console,
    http,
    logged_in,
    next_message,
    nothing_for,
    patient,
    referral,
    served,
)
from tests.regulation.safety_helpers import mark_triaged

pytestmark = pytest.mark.usefixtures("communes")

IDENTITY_KEYS = {"family_name", "given_name", "birth_date", "phone", "commune_insee", "notes"}


async def test_two_operators_see_a_referral_arrive_and_its_claim_live(
    app: FastAPI, session: AsyncSession
) -> None:
    async with served(app) as host, http(host) as anne, http(host) as paul, http(host) as shop:
        anne_id = await logged_in(session, anne, Role.OPERATOR, "anne@example.fr")
        await logged_in(session, paul, Role.OPERATOR, "paul@example.fr")
        await logged_in(session, shop, Role.REFERRER, "pharmacie@example.fr")
        async with console(host, anne) as anne_ws, console(host, paul) as paul_ws:
            sent = await shop.post("/api/regulation/referrals", json=referral())
            assert sent.status_code == 201, sent.text
            request_id = sent.json()["id"]
            for ws in (anne_ws, paul_ws):
                received = await next_message(ws, "request.received")
                assert received == {
                    "type": "request.received",
                    "request_id": request_id,
                    "status": "received",
                    "origin": "pharmacist",
                }
            claimed = await anne.post(f"/api/regulation/requests/{request_id}/claim")
            assert claimed.status_code == 200
            seen = await next_message(paul_ws, "request.claimed")
            assert seen["request_id"] == request_id
            assert seen["claimed_by_user_id"] == anne_id
            assert seen["claimed_by_name"] == "Test operator"
            assert not IDENTITY_KEYS & set(seen)
            await mark_triaged(session, request_id, status="claimed")  # advice needs a triage
            closed = await anne.post(
                f"/api/regulation/requests/{request_id}/close", json={"outcome": "pharmacist"}
            )
            assert closed.status_code == 200
            done = await next_message(paul_ws, "request.closed")
            assert (done["status"], done["outcome"]) == ("closed", "pharmacist")


async def test_referrers_hear_only_about_their_own_referrals(
    app: FastAPI, session: AsyncSession
) -> None:
    async with served(app) as host, http(host) as shop, http(host) as nurse, http(host) as op:
        await logged_in(session, shop, Role.REFERRER, "pharmacie@example.fr")
        await logged_in(session, nurse, Role.REFERRER, "ide@example.fr")
        await logged_in(session, op, Role.OPERATOR, "anne@example.fr")
        async with console(host, shop) as shop_ws, console(host, nurse) as nurse_ws:
            sent = (await shop.post("/api/regulation/referrals", json=referral())).json()
            mine = await next_message(shop_ws, "request.received")
            assert mine["request_id"] == sent["id"]
            await op.post(f"/api/regulation/requests/{sent['id']}/claim")
            assert (await next_message(shop_ws, "request.claimed"))["request_id"] == sent["id"]
            # An operator's own intake is nobody's referral: referrers hear nothing of it.
            await op.post("/api/regulation/requests", json=patient())
            await nothing_for(nurse_ws)
            await nothing_for(shop_ws)


async def test_sockets_need_a_session_and_the_same_origin(
    app: FastAPI, session: AsyncSession
) -> None:
    async with served(app) as host, http(host) as anne:
        with pytest.raises(InvalidStatus) as anonymous:
            async with connect(f"ws://{host}/ws", open_timeout=5):
                pass
        assert anonymous.value.response.status_code == 403
        await logged_in(session, anne, Role.OPERATOR, "anne@example.fr")
        with pytest.raises(InvalidStatus) as foreign:
            async with console(host, anne, Origin="https://evil.example"):
                pass
        assert foreign.value.response.status_code == 403
        async with console(host, anne, Origin=f"http://{host}"):
            pass


async def test_pings_keep_claims_alive_and_a_logout_closes_the_socket(
    app: FastAPI, database: Database, session: AsyncSession
) -> None:
    hub: live.LiveHub = app.state.live
    hub.heartbeat_min_seconds = 0
    hub.revalidate_seconds = 0.2
    async with served(app) as host, http(host) as anne:
        await logged_in(session, anne, Role.OPERATOR, "anne@example.fr")
        request_id = (await anne.post("/api/regulation/requests", json=patient())).json()["id"]
        long_ago = utcnow() - timedelta(minutes=10)
        async with database.transaction() as s:
            await s.execute(
                update(RegulationRequest)
                .where(RegulationRequest.id == request_id)
                .values(claimed_heartbeat_at=long_ago)
            )
        async with console(host, anne) as ws:
            await ws.send(json.dumps({"type": "ping"}))
            assert (await next_message(ws, "pong"))["type"] == "pong"
            async with database.transaction() as s:
                assert await queue.release_stale_claims(s, grace_seconds=120) == []
            csrf = anne.headers["X-CSRF-Token"]
            await anne.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
            with pytest.raises(ConnectionClosed) as closed:
                await next_message(ws, "never", within=3)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 1008


async def test_a_stale_claim_released_by_the_job_reaches_the_consoles(
    app: FastAPI, database: Database, session: AsyncSession
) -> None:
    async with served(app) as host, http(host) as anne, http(host) as paul:
        await logged_in(session, anne, Role.OPERATOR, "anne@example.fr")
        await logged_in(session, paul, Role.OPERATOR, "paul@example.fr")
        request_id = (await anne.post("/api/regulation/requests", json=patient())).json()["id"]
        async with console(host, paul) as ws:
            later = utcnow() + timedelta(minutes=5)
            with live.bound(app.state.live):  # what the scheduler's run does in the app
                async with database.transaction() as s:
                    released = await queue.release_stale_claims(s, grace_seconds=120, now=later)
            assert released == [request_id]
            message = await next_message(ws, "request.released")
            assert (message["request_id"], message["reason"]) == (request_id, "stale")
