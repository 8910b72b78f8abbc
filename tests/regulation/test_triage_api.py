"""Triage through the API: red flags end at the 15 and never queue; versions are recorded."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.service.protocol import default_protocol_text, parse_protocol
from snp.auth.roles import Role
from tests.regulation.conftest import (
    birth_date_for,
    client_for,
    no_red_flags,
    patient,
    referral,
    staff,
)

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}


async def _protocol(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/api/regulation/protocols/current")
    assert response.status_code == 200, response.text
    current: dict[str, Any] = response.json()
    return current


async def test_the_default_protocol_is_version_1_and_drives_the_triage_form(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    current = await _protocol(client)
    assert current["number"] == 1
    document = current["document"]
    assert document["notice"].startswith("Protocole par défaut : à relire et valider")
    assert document["red_flags"][0]["id"] == "chest_pain"
    fever = next(m for m in document["motifs"] if m["id"] == "fever")
    # Immunosuppression is now asked once for every motif, as a risk factor.
    assert [q["id"] for q in fever["questions"]] == [
        "fever_duration",
        "fever_tolerated",
        "would_go_to_ed",
    ]
    assert "immunocompromised" in {r["id"] for r in document["risk_factors"]}


async def test_a_triaged_request_waits_in_the_queue_with_its_priority_and_version(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    created = (await client.post("/api/regulation/requests", json=patient(claim=False))).json()
    assert created["status"] == "received"
    response = await client.post(
        f"/api/regulation/requests/{created['id']}/triage",
        json={"answers": no_red_flags(document, "adult") | FEVER_OK},
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["call_15"] is False
    assert (result["priority"], result["orientation"], result["status"]) == ("P2", "AMB", "waiting")
    assert result["protocol_version"] == 1
    assert result["age_band"] == "adult"
    assert result["rule"] == "fever:default"
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["protocol_version"] == 1
    assert detail["triaged_at"] is not None
    assert detail["triage_answers"]["fever_duration"] == "under_48h"
    queue = (await client.get("/api/regulation/queue")).json()["items"]
    assert [(q["id"], q["priority"]) for q in queue] == [(created["id"], "P2")]


async def test_triage_keeps_the_claim_of_the_operator_on_the_phone(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    result = (
        await client.post(
            f"/api/regulation/requests/{created['id']}/triage",
            json={"answers": no_red_flags(document, "adult") | FEVER_OK},
        )
    ).json()
    assert result["status"] == "claimed"


@pytest.mark.parametrize("flag", DEFAULT.red_flags, ids=lambda f: f.id)
async def test_every_red_flag_redirects_to_the_15_and_never_queues(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession, flag: Any
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    age = {"birth_date": birth_date_for(months=1)} if flag.age_bands else {}
    created = (await client.post("/api/regulation/requests", json=patient(**age))).json()
    answers = no_red_flags(document) | FEVER_OK | {flag.id: True}
    response = await client.post(
        f"/api/regulation/requests/{created['id']}/triage", json={"answers": answers}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["call_15"] is True
    assert result["status"] == "redirected_15"
    assert result["priority"] in ("P0", "P1")
    assert result["red_flag"] == {"id": flag.id, "reason": flag.reason, "question": flag.question}
    assert "Appelez le 15 immédiatement" in result["message"]

    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["status"] == "redirected_15"
    assert detail["outcome"] == "redirected_15"
    assert detail["closed_at"] is not None
    assert detail["claimed_by_user_id"] is None
    assert (detail["red_flag_id"], detail["red_flag_text"]) == (flag.id, flag.reason)
    logged = next(e for e in detail["timeline"] if e["kind"] == "red_flag")
    assert logged["detail"]["flag_id"] == flag.id
    assert logged["detail"]["flag_text"] == flag.reason
    assert logged["detail"]["protocol_version"] == 1
    # Never in the queue, and nobody can take it there.
    assert (await client.get("/api/regulation/queue")).json()["items"] == []
    async with client_for(app) as other:
        await staff(session, other, Role.REGULATOR)
        claim = await other.post(f"/api/regulation/requests/{created['id']}/claim")
        assert claim.status_code == 409
        assert claim.json()["detail"][0]["msg"] == "Demande déjà clôturée."
    again = await client.post(
        f"/api/regulation/requests/{created['id']}/triage",
        json={"answers": no_red_flags(document) | FEVER_OK},
    )
    assert again.status_code == 409


async def test_fever_in_a_two_month_old_goes_to_the_15(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    created = (
        await client.post(
            "/api/regulation/requests", json=patient(birth_date=birth_date_for(months=2))
        )
    ).json()
    result = (
        await client.post(
            f"/api/regulation/requests/{created['id']}/triage",
            json={"answers": no_red_flags(document, "newborn") | FEVER_OK},
        )
    ).json()
    assert result["call_15"] is True
    assert result["age_band"] == "newborn"
    assert result["red_flag"]["id"] == "fever_newborn"


async def test_intake_with_answers_triages_at_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    body = patient(answers=no_red_flags(document) | FEVER_OK | {"chest_pain": True})
    created = (await client.post("/api/regulation/requests", json=body)).json()
    assert created["status"] == "redirected_15"
    assert [e["kind"] for e in created["timeline"]] == ["received", "claimed", "red_flag", "closed"]
    assert (await client.get("/api/regulation/queue")).json()["items"] == []


async def test_incomplete_answers_are_refused_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (await client.post("/api/regulation/requests", json=patient())).json()
    response = await client.post(
        f"/api/regulation/requests/{created['id']}/triage",
        json={"answers": {"fever_tolerated": True}},
    )
    assert response.status_code == 422
    locs = [e["loc"] for e in response.json()["detail"]]
    assert ["body", "answers", "chest_pain"] in locs
    assert ["body", "answers", "fever_duration"] in locs
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["triaged_at"] is None
    no_motif = await client.post("/api/regulation/requests", json=patient(motif=None, claim=False))
    missing = await client.post(
        f"/api/regulation/requests/{no_motif.json()['id']}/triage", json={"answers": {}}
    )
    assert missing.json()["detail"][0]["loc"] == ["body", "motif"]


async def test_a_referrer_answering_a_red_flag_is_told_to_call_the_15(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    document = (await _protocol(client))["document"]
    flags = {f["id"]: False for f in document["red_flags"]} | {"breathing_difficulty": True}
    response = await client.post("/api/regulation/referrals", json=referral(red_flags=flags))
    assert response.status_code == 201, response.text
    sent = response.json()
    assert sent["call_15"] is True
    assert sent["status"] == "redirected_15"
    assert sent["outcome"] == "redirected_15"
    assert "appeler le 15 immédiatement" in sent["message"]
    calm = await client.post(
        "/api/regulation/referrals", json=referral(red_flags={"chest_pain": False})
    )
    assert calm.json()["status"] == "received"
    unknown = await client.post("/api/regulation/referrals", json=referral(red_flags={"x": True}))
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "red_flags", "x"]
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        queue = (await operator.get("/api/regulation/queue")).json()["items"]
        assert [q["id"] for q in queue] == [calm.json()["id"]]


async def test_requests_record_the_version_they_were_triaged_with(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    first = (await client.post("/api/regulation/requests", json=patient())).json()
    await client.post(
        f"/api/regulation/requests/{first['id']}/triage",
        json={"answers": no_red_flags(document) | FEVER_OK},
    )
    raw = yaml.safe_load(default_protocol_text())
    raw["title"] = "Protocole SNP v2"
    raw["motifs"][0]["default"]["deadline_hours"] = 12  # fever: within 12 h from now on
    async with client_for(app) as coordinator:
        await staff(session, coordinator, Role.COORDINATOR)
        uploaded = await coordinator.post(
            "/api/regulation/protocols",
            json={"text": yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)},
        )
        assert uploaded.status_code == 201, uploaded.text
        assert uploaded.json()["number"] == 2
    async with client_for(app) as physician:  # four eyes: a regulator approves it
        await staff(session, physician, Role.REGULATOR)
        approved = await physician.post(
            "/api/regulation/protocols/2/approve",
            json={"reason": "Fièvre de l'adulte : 12 h, relu par les médecins référents."},
        )
        assert approved.status_code == 200, approved.text
        published = await physician.post("/api/regulation/protocols/2/publish")
        assert published.json()["status"] == "published"
    second = (await client.post("/api/regulation/requests", json=patient())).json()
    result = (
        await client.post(
            f"/api/regulation/requests/{second['id']}/triage",
            json={"answers": no_red_flags(document) | FEVER_OK},
        )
    ).json()
    assert result["protocol_version"] == 2
    assert result["rule"] == "fever:default"
    first_detail = (await client.get(f"/api/regulation/requests/{first['id']}")).json()
    second_detail = (await client.get(f"/api/regulation/requests/{second['id']}")).json()
    assert first_detail["protocol_version"] == 1
    assert second_detail["protocol_version"] == 2
    hours = [
        next(e for e in d["timeline"] if e["kind"] == "triaged")["detail"]["deadline_hours"]
        for d in (first_detail, second_detail)
    ]
    assert hours == [24, 12]


async def test_a_one_month_old_with_a_cough_goes_to_the_regulating_physician_within_4_hours(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = (await _protocol(client))["document"]
    created = (
        await client.post(
            "/api/regulation/requests", json=patient(birth_date=birth_date_for(months=1))
        )
    ).json()
    answers = no_red_flags(document, "newborn") | {"fever_over_three_days": False}
    answers |= {"feeding_difficulty": False}
    response = await client.post(
        f"/api/regulation/requests/{created['id']}/triage",
        json={"motif": "cough_cold", "answers": answers},
    )
    assert response.status_code == 200, response.text
    triage = response.json()
    assert (triage["priority"], triage["orientation"]) == ("P2", "ADVICE")
    assert triage["raised_by"] == ["age:newborn"]
    assert triage["advice"].startswith("Nourrisson de moins de 3 mois : avis du médecin régulateur")
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    triaged = next(e for e in detail["timeline"] if e["kind"] == "triaged")
    assert triaged["detail"]["raised_by"] == ["age:newborn"]
    assert triaged["detail"]["deadline_hours"] == 4
