"""The coordinator's supervision page: the queue's health in one aggregated answer."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import RegulationRequest
from regulation.service import supervision
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.conftest import client_for, patient, staff

pytestmark = pytest.mark.usefixtures("communes")


async def test_the_supervisor_sees_waiting_by_priority_deadlines_claims_and_today(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Léa Opératrice")
    held = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    late = (await client.post("/api/regulation/requests", json=patient(claim=False))).json()["id"]
    close = (await client.post("/api/regulation/requests", json=patient(claim=False))).json()["id"]
    sent = (await client.post("/api/regulation/requests", json=patient(claim=False))).json()["id"]
    moved = await client.post(f"/api/regulation/requests/{sent}/transfer", json={"note": "Avis"})
    assert moved.status_code == 200, moved.text
    now = utcnow()
    for request_id, deadline in (
        (late, now - timedelta(minutes=5)),
        (close, now + timedelta(minutes=20)),
    ):
        await session.execute(
            update(RegulationRequest)
            .where(RegulationRequest.id == request_id)
            .values(deadline_at=deadline, received_at=now - timedelta(minutes=40))
        )
    await session.commit()

    async with client_for(app) as coordinator:
        await staff(session, coordinator, Role.COORDINATOR)
        answer = await coordinator.get("/api/regulation/supervision")
    assert answer.status_code == 200, answer.text
    health = answer.json()
    assert health["waiting"] == 4
    assert [(p["priority"], p["waiting"]) for p in health["by_priority"]] == [(None, 4)]
    assert health["oldest_wait_seconds"] >= 40 * 60
    assert (health["overdue"], health["due_within_30_min"]) == (1, 1)
    assert health["awaiting_regulator"] == 1
    assert [(c["request_id"], c["claimed_by_name"]) for c in health["claims"]] == [
        (held, "Léa Opératrice")
    ]
    assert health["today"]["received"] == 4
    assert "Dupont" not in answer.text  # no patient identity on the supervisor's page


async def test_an_empty_queue_answers_zeros(session: AsyncSession) -> None:
    health = await supervision.supervision(session)
    assert (health.waiting, health.oldest_wait_seconds, health.claims) == (0, None, [])
    assert health.today.received == 0


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REFERRER])
async def test_only_coordinators_and_regulators_supervise(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await staff(session, client, role)
    assert (await client.get("/api/regulation/supervision")).status_code == 403
