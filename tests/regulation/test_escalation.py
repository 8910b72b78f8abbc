"""The escalation ladder through the API: read it, start a step (its SMS broadcast is
notifications'), and only the claim holder may start one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from regulation import RequestEscalated
from regulation.models import RegulationRequest
from snp import events
from snp.auth.roles import Role
from snp.db import utcnow
from snp.identifiers import rpps_with_check_digit
from tests.regulation.builders import REDON, effector, north_of
from tests.regulation.conftest import birth_date_for, client_for, patient, staff
from tests.regulation.test_booking_journey import ANSWERS, url

pytestmark = pytest.mark.usefixtures("communes")

GP_RPPS = rpps_with_check_digit("1234567890")


@pytest.fixture
def published() -> Iterator[list[object]]:
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)


async def urgent_request(
    client: httpx.AsyncClient, session: AsyncSession, **overrides: Any
) -> dict[str, Any]:
    """A triaged request in hand whose deadline is in 10 minutes: no slot can fit it."""
    body = patient(birth_date=birth_date_for(years=34), answers=ANSWERS) | overrides
    created: dict[str, Any] = (await client.post("/api/regulation/requests", json=body)).json()
    await session.execute(
        update(RegulationRequest)
        .where(RegulationRequest.id == created["id"])
        .values(deadline_at=utcnow() + timedelta(minutes=10))
    )
    await session.commit()
    return created


async def test_the_ladder_then_a_started_step_with_its_broadcast(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    await staff(session, client, Role.OPERATOR)
    gp = await effector(session, "Traitant", north_of(REDON, 20), rpps=GP_RPPS)
    near = await effector(session, "Proche", north_of(REDON, 4))
    created = await urgent_request(client, session, gp_rpps=GP_RPPS)

    found = (await client.get(url(created["id"], "candidates"))).json()
    assert (found["fits_deadline"], found["items"]) == (False, [])
    assert found["escalation"]["place"] == "Redon"
    ladder = (await client.get(url(created["id"], "escalation"))).json()
    assert ladder == found["escalation"]
    assert [(s["step"], s["effector_ids"], s["started_at"]) for s in ladder["steps"]] == [
        ("gp", [gp[0]], None),
        ("nearby", [near[0]], None),
        ("cpts", [], None),
    ]
    assert ladder["steps"][2]["reason"] == "Aucun autre effecteur actif dans la CPTS."

    # The console starts the broadcast (notifications) with the step's data, then records it.
    step = ladder["steps"][0]
    broadcast = await client.post(
        "/api/notifications/broadcasts",
        json={
            "request_id": created["id"],
            "place": ladder["place"],
            "effector_ids": step["effector_ids"],
            "expires_minutes": step["timeout_minutes"],
        },
    )
    assert broadcast.status_code == 201, broadcast.text
    recorded = await client.post(
        url(created["id"], "escalations"),
        json={"step": "gp", "broadcast_id": broadcast.json()["id"]},
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["started_at"] is not None
    event = next(e for e in published if isinstance(e, RequestEscalated))
    assert (event.request_id, event.step, event.effector_ids, event.place) == (
        created["id"],
        "gp",
        (gp[0],),
        "Redon",
    )
    assert event.timeout_minutes == 15
    assert event.broadcast_id == broadcast.json()["id"]
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["timeline"][-1]["kind"] == "escalated"
    assert detail["timeline"][-1]["detail"]["step"] == "gp"
    again = (await client.get(url(created["id"], "escalation"))).json()
    assert again["steps"][0]["started_at"] == recorded.json()["started_at"]

    impossible = await client.post(url(created["id"], "escalations"), json={"step": "cpts"})
    assert impossible.status_code == 422
    assert impossible.json()["detail"][0]["msg"] == "Aucun autre effecteur actif dans la CPTS."


async def test_only_the_claim_holder_starts_a_step(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    await effector(session, "Proche", north_of(REDON, 4))
    created = await urgent_request(client, session)
    async with client_for(app) as paul:
        await staff(session, paul, Role.OPERATOR, name="Paul Opérateur")
        refused = await paul.post(url(created["id"], "escalations"), json={"step": "nearby"})
        assert refused.status_code == 403
        assert refused.json()["detail"][0]["msg"] == (
            "Prenez d'abord la demande en charge pour lancer l'escalade."
        )
        # Reading the ladder is open to the team.
        assert (await paul.get(url(created["id"], "escalation"))).status_code == 200
    unknown = await client.post(url(created["id"], "escalations"), json={"step": "everyone"})
    assert unknown.status_code == 422
