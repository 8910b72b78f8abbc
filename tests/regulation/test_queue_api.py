"""The live queue: order, claims under concurrency, release, transfer, heartbeats, restarts."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import create_app
from regulation.errors import AlreadyClaimed
from regulation.schemas import RequestCreate
from regulation.service import intake, queue
from regulation.service.protocol import default_protocol_text, parse_protocol
from snp import scheduler
from snp.auth.roles import Role
from snp.db import Database, utcnow
from tests.conftest import test_settings
from tests.factories import create_user
from tests.regulation.conftest import actor_of, client_for, patient, referral, staff

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
NO_FLAGS = {f.id: False for f in DEFAULT.red_flags_for("adult")} | {
    r.id: False for r in DEFAULT.risk_factors_for("adult")
}


async def _new(client: httpx.AsyncClient, motif: str, **answers: bool | str) -> int:
    """A request taken by phone, triaged, then released into the queue."""
    created = (await client.post("/api/regulation/requests", json=patient(motif=motif))).json()
    if answers:
        triaged = await client.post(
            f"/api/regulation/requests/{created['id']}/triage",
            json={"answers": NO_FLAGS | answers},
        )
        assert triaged.status_code == 200, triaged.text
    released = await client.post(f"/api/regulation/requests/{created['id']}/release")
    assert released.status_code == 200, released.text
    return int(created["id"])


async def test_the_queue_is_ordered_by_priority_then_time_left(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    p3 = await _new(client, "sore_throat", cannot_swallow_saliva=False, high_fever=False)
    p2_24h = await _new(
        client,
        "fever",
        fever_duration="under_48h",
        fever_tolerated=True,
        immunocompromised=False,
    )
    p2_6h = await _new(
        client, "urinary_burning", fever_or_back_pain=True, pregnant=False, man=False
    )
    untriaged = await _new(client, "rash")
    body = (await client.get("/api/regulation/queue")).json()
    items = body["items"]
    assert [i["id"] for i in items] == [untriaged, p2_6h, p2_24h, p3]
    assert [i["priority"] for i in items] == [None, "P2", "P2", "P3"]
    assert [i["status"] for i in items] == ["received", "waiting", "waiting", "waiting"]
    first, second = items[0], items[1]
    assert 0 <= first["waiting_seconds"] < 60
    assert 3500 < first["seconds_left"] <= 3600
    # A request to triage within the hour is not "soon" from its first second: its last third is.
    assert (first["urgency"], first["soon_seconds"]) == ("ok", 1200)
    assert 6 * 3600 - 60 < second["seconds_left"] <= 6 * 3600
    assert second["urgency"] == "ok"
    assert first["family_name"] == "Dupont"
    assert first["age_label"].endswith(" ans")


async def test_a_request_to_triage_within_the_hour_turns_soon_for_its_last_third(
    database: Database, session: AsyncSession
) -> None:
    user = await create_user(session, Role.OPERATOR)
    actor = actor_of(user)
    settings = test_settings(database.url)
    arrived = utcnow() - timedelta(minutes=30)
    async with database.transaction() as s:
        data = RequestCreate.model_validate(patient(claim=False))
        await intake.create_request(s, actor, data, settings=settings, now=arrived)
    async with database.transaction() as s:
        half_way = (await queue.list_queue(s, actor, now=arrived + timedelta(minutes=30))).items[0]
        late = (await queue.list_queue(s, actor, now=arrived + timedelta(minutes=45))).items[0]
    assert half_way.urgency == "ok"
    assert late.urgency == "soon"


async def test_overdue_requests_are_flagged(database: Database, session: AsyncSession) -> None:

    user = await create_user(session, Role.OPERATOR)
    actor = actor_of(user)
    settings = test_settings(database.url)
    long_ago = utcnow() - timedelta(hours=3)
    async with database.transaction() as s:
        data = RequestCreate.model_validate(patient(claim=False))
        created = await intake.create_request(s, actor, data, settings=settings, now=long_ago)
    async with database.transaction() as s:
        listed = await queue.list_queue(s, actor)
    item = listed.items[0]
    assert item.id == created.id
    assert item.urgency == "overdue"
    assert item.seconds_left is not None
    assert -2 * 3600 - 60 < item.seconds_left < -2 * 3600 + 60
    assert item.waiting_seconds >= 3 * 3600


async def test_two_operators_clicking_together_one_wins_the_other_is_told_who(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    request_id = (await client.post("/api/regulation/referrals", json=referral())).json()["id"]
    async with client_for(app) as anne, client_for(app) as paul:
        await staff(session, anne, Role.OPERATOR, name="Anne Opératrice")
        await staff(session, paul, Role.OPERATOR, name="Paul Opérateur")
        for _ in range(3):
            responses = await asyncio.gather(
                anne.post(f"/api/regulation/requests/{request_id}/claim"),
                paul.post(f"/api/regulation/requests/{request_id}/claim"),
            )
            codes = sorted(r.status_code for r in responses)
            assert codes == [200, 409], [r.text for r in responses]
            winner = next(r for r in responses if r.status_code == 200).json()
            loser = next(r for r in responses if r.status_code == 409).json()
            assert loser["detail"][0]["msg"] == (
                f"Demande déjà prise en charge par {winner['claimed_by_name']}."
            )
            holder = anne if winner["claimed_by_name"] == "Anne Opératrice" else paul
            # Clicking again is harmless; releasing puts it back for the next round.
            assert (await holder.post(f"/api/regulation/requests/{request_id}/claim")).is_success
            assert (await holder.post(f"/api/regulation/requests/{request_id}/release")).is_success
        queue_now = (await anne.get("/api/regulation/queue")).json()["items"]
        assert queue_now[0]["status"] == "received"
        assert queue_now[0]["claimed_by_user_id"] is None


async def test_many_instances_racing_for_one_claim_give_it_to_exactly_one(
    db_url: str, database: Database, session: AsyncSession
) -> None:

    users = [await create_user(session, Role.OPERATOR, email=f"op{i}@example.fr") for i in range(6)]
    settings = test_settings(db_url)
    async with database.transaction() as s:
        data = RequestCreate.model_validate(patient(claim=False))
        created = await intake.create_request(s, actor_of(users[0]), data, settings=settings)
    other = Database(db_url)

    async def attempt(index: int) -> str:
        db = database if index % 2 else other
        try:
            async with db.transaction() as s:
                await queue.claim_request(s, actor_of(users[index]), created.id)
        except AlreadyClaimed as exc:
            return f"lost to {exc.claimed_by}"
        return "won"

    try:
        results = await asyncio.gather(*[attempt(i) for i in range(6)])
    finally:
        await other.dispose()
    assert results.count("won") == 1
    assert set(results) - {"won"} == {"lost to Test operator"}


async def test_only_the_holder_or_a_coordinator_releases(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    async with client_for(app) as paul, client_for(app) as sophie:
        await staff(session, paul, Role.OPERATOR, name="Paul Opérateur")
        await staff(session, sophie, Role.COORDINATOR, name="Sophie Coordinatrice")
        refused = await paul.post(f"/api/regulation/requests/{created['id']}/release")
        assert refused.status_code == 409
        assert refused.json()["detail"][0]["msg"] == (
            "Demande déjà prise en charge par Anne Opératrice."
        )
        edit = await paul.patch(
            f"/api/regulation/requests/{created['id']}", json={"notes": "Appel"}
        )
        assert edit.status_code == 409
        released = await sophie.post(f"/api/regulation/requests/{created['id']}/release")
        assert released.json()["status"] == "received"
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert [e["kind"] for e in detail["timeline"]] == ["received", "claimed", "released"]
    assert detail["timeline"][-1]["actor_name"] == "Sophie Coordinatrice"


async def test_a_transfer_hands_the_request_to_the_regulators(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    moved = await client.post(
        f"/api/regulation/requests/{created['id']}/transfer", json={"note": "Avis médical"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "received"
    retake = await client.post(f"/api/regulation/requests/{created['id']}/claim")
    assert retake.status_code == 403
    assert retake.json()["detail"][0]["msg"] == "Demande transférée au médecin régulateur."
    async with client_for(app) as doctor:
        await staff(session, doctor, Role.REGULATOR, name="Dr Jean Régulateur")
        mine = (
            await doctor.get("/api/regulation/queue", params={"assigned_to": "regulator"})
        ).json()["items"]
        assert [(i["id"], i["assigned_to"]) for i in mine] == [(created["id"], "regulator")]
        claimed = await doctor.post(f"/api/regulation/requests/{created['id']}/claim")
        assert claimed.json()["claimed_by_name"] == "Dr Jean Régulateur"
    others = await client.get("/api/regulation/queue", params={"assigned_to": "operator"})
    assert others.json()["items"] == []


async def test_the_regulators_worklist_shows_why_each_request_was_transferred(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    explained = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    silent = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    kept = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    reason = "Douleur thoracique atypique\nPatient anxieux, rappeler vite"
    await client.post(f"/api/regulation/requests/{explained}/transfer", json={"note": reason})
    await client.post(f"/api/regulation/requests/{silent}/transfer", json={})
    async with client_for(app) as doctor:
        await staff(session, doctor, Role.REGULATOR, name="Dr Jean Régulateur")
        mine = (
            await doctor.get("/api/regulation/queue", params={"assigned_to": "regulator"})
        ).json()["items"]
    notes = {item["id"]: item["transfer_note"] for item in mine}
    assert notes == {explained: reason, silent: None}
    everyone = (await client.get("/api/regulation/queue")).json()["items"]
    assert {i["id"]: i["transfer_note"] for i in everyone}[kept] is None


async def test_claims_of_silent_consoles_are_released_after_the_grace_period(
    db_url: str, database: Database, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    first = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    second = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    beat = await client.post("/api/regulation/claims/heartbeat")
    assert beat.json() == {"refreshed": 2}
    now = utcnow()
    async with database.transaction() as s:
        within = now + timedelta(seconds=60)
        assert await queue.release_stale_claims(s, grace_seconds=120, now=within) == []

    # Two instances run the job together past the grace period: each claim is released once.
    other = Database(db_url)
    later = now + timedelta(seconds=181)

    async def run(db: Database) -> list[int]:
        async with db.transaction() as s:
            return await queue.release_stale_claims(s, grace_seconds=120, now=later)

    try:
        results = await asyncio.gather(run(database), run(other))
    finally:
        await other.dispose()
    assert sorted(results[0] + results[1]) == [first, second]
    detail = (await client.get(f"/api/regulation/requests/{first}")).json()
    assert detail["status"] == "received"
    assert detail["claimed_by_user_id"] is None
    assert detail["claimed_at"] is not None  # the first claim stays in the history
    released = detail["timeline"][-1]
    assert (released["kind"], released["actor_name"]) == ("released", "Système")
    assert released["detail"] == {"reason": "stale", "previous": "Test operator"}
    assert (await client.post("/api/regulation/claims/heartbeat")).json() == {"refreshed": 0}


def test_the_stale_claims_job_is_registered() -> None:
    job = scheduler.registered_jobs()["regulation.release_stale_claims"]
    assert job.interval <= timedelta(seconds=60)


async def test_a_restart_loses_nothing(
    app: FastAPI, db_url: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    await _new(client, "rash")
    await _new(client, "fever")
    claimed = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    before = (await client.get("/api/regulation/queue")).json()["items"]
    await app.state.db.dispose()
    restarted = create_app(test_settings(db_url), start_scheduler=False)
    try:
        async with client_for(restarted) as again:
            again.cookies.update(client.cookies)
            after = (await again.get("/api/regulation/queue")).json()["items"]
    finally:
        await restarted.state.db.dispose()
    assert len(after) == 3
    assert [(i["id"], i["status"]) for i in after] == [(i["id"], i["status"]) for i in before]
    assert next(i for i in after if i["id"] == claimed)["claimed_by_name"] == "Test operator"
