"""The referral loop (#16 point 8): the referrer's red-flag answers reach the operator's triage
as theirs (confirmed or changed, never assumed), questions about the other sex are not asked,
and the referrer follows their referral up to the doctor and the place."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import yaml
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import InvalidProtocol
from regulation.service.engine import evaluate
from regulation.service.protocol import default_protocol_text, parse_protocol
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import birth_date_for, client_for, patient, referral, staff

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
PREGNANCY_FLAGS = {"pregnancy_emergency", "preeclampsia_postpartum"}
FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True}


def all_no(sex: str | None = None) -> dict[str, bool]:
    """Every red flag and risk factor asked of an adult of this sex, answered "no"."""
    return {f.id: False for f in DEFAULT.red_flags_for("adult", sex)} | {
        r.id: False for r in DEFAULT.risk_factors_for("adult", sex)
    }


def woman(**overrides: Any) -> dict[str, Any]:
    return (
        referral(
            family_name="Morvan",
            given_name="Agathe",
            birth_date=birth_date_for(years=34),
            sex="female",
            motif="fever",
        )
        | overrides
    )


def triage_url(request_id: int) -> str:
    return f"/api/regulation/requests/{request_id}/triage"


async def _timeline(client: httpx.AsyncClient, request_id: int) -> list[dict[str, Any]]:
    detail = (await client.get(f"/api/regulation/requests/{request_id}")).json()
    entries: list[dict[str, Any]] = detail["timeline"]
    return entries


# -- 1. the pharmacy's red-flag answers carried over ------------------------------------------


async def test_the_pharmacists_no_answers_reach_the_operator_as_theirs(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER, name="Pharmacie du Port")
    # The referral form shows every age's flags: the infant's one is answered too.
    flags = {f.id: False for f in DEFAULT.red_flags_for("adult", "female")}
    flags["infant_fever"] = False
    sent = await client.post("/api/regulation/referrals", json=woman(red_flags=flags))
    assert sent.status_code == 201, sent.text
    request_id = sent.json()["id"]
    assert sent.json()["status"] == "received"

    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR, name="Anne Opératrice")
        detail = (await operator.get(f"/api/regulation/requests/{request_id}")).json()
        assert detail["referrer_answers"] == flags
        assert detail["triage_answers"] is None  # nothing assumed: the operator still triages
        step = next(e for e in detail["timeline"] if e["kind"] == "referrer_answers")
        assert step["actor_name"] == "Pharmacie du Port"
        assert sorted(step["detail"]["no"]) == sorted(flags)
        assert step["detail"]["yes"] == []

        # The operator confirms them all but one, which the patient now answers differently
        # on the phone: a red flag answered "yes" calls the 15 (never queued).
        await operator.post(f"/api/regulation/requests/{request_id}/claim")
        triaged = await operator.post(
            triage_url(request_id),
            json={"answers": all_no("female") | FEVER_OK | {"sepsis_signs": True}},
        )
        assert triaged.status_code == 200, triaged.text
        assert triaged.json()["call_15"] is True
        review = next(
            e
            for e in await _timeline(operator, request_id)
            if e["kind"] == "referrer_answers_reviewed"
        )
        assert review["actor_name"] == "Anne Opératrice"
        assert review["detail"]["changed"] == ["sepsis_signs"]
        assert "chest_pain" in review["detail"]["confirmed"]
        assert review["detail"]["unanswered"] == []  # the infant's flag is not this triage's
        assert (await operator.get("/api/regulation/queue")).json()["items"] == []


async def test_a_flag_the_referrer_left_unanswered_is_still_asked(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    partial = {"chest_pain": False, "breathing_difficulty": False}
    sent = await client.post("/api/regulation/referrals", json=woman(red_flags=partial))
    request_id = sent.json()["id"]
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        detail = (await operator.get(f"/api/regulation/requests/{request_id}")).json()
        assert detail["referrer_answers"] == partial
        # Sending back only what the pharmacist answered is refused: every other flag is due.
        refused = await operator.post(triage_url(request_id), json={"answers": partial | FEVER_OK})
        assert refused.status_code == 422
        missing = {e["loc"][-1] for e in refused.json()["detail"]}
        assert "stroke_signs" in missing
        assert "sepsis_signs" in missing
        assert not missing & set(partial)


async def test_a_pharmacists_yes_sends_to_the_15_and_keeps_who_answered(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER, name="Pharmacie du Port")
    sent = await client.post(
        "/api/regulation/referrals", json=woman(red_flags={"chest_pain": True})
    )
    assert sent.json()["call_15"] is True
    request_id = sent.json()["id"]
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        assert (await operator.get("/api/regulation/queue")).json()["items"] == []
        detail = (await operator.get(f"/api/regulation/requests/{request_id}")).json()
        assert detail["referrer_answers"] == {"chest_pain": True}
        kinds = [e["kind"] for e in detail["timeline"]]
        assert kinds.index("referrer_answers") < kinds.index("red_flag")


# -- 2. sex-specific questions ----------------------------------------------------------------


async def _woman_with_urinary_burning(client: httpx.AsyncClient) -> dict[str, Any]:
    created = await client.post("/api/regulation/requests", json=patient(motif="urinary_burning"))
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def test_the_recorded_sex_answers_is_it_a_man_and_skips_pregnancy(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    # A woman: « S'agit-il d'un homme ? » is not asked; answered "no" from the recorded sex.
    her = await _woman_with_urinary_burning(client)
    answers = all_no("female") | {"fever_or_back_pain": False}
    triaged = await client.post(triage_url(her["id"]), json={"answers": answers})
    assert triaged.status_code == 200, triaged.text
    assert (triaged.json()["priority"], triaged.json()["orientation"]) == ("P3", "PHARMACIST")
    stored = (await client.get(f"/api/regulation/requests/{her['id']}")).json()
    assert stored["triage_answers"]["man"] is False
    # Contradicting the recorded sex is refused, naming the question.
    her2 = await _woman_with_urinary_burning(client)
    contradicted = await client.post(
        triage_url(her2["id"]), json={"answers": answers | {"man": True}}
    )
    assert contradicted.status_code == 422
    assert contradicted.json()["detail"][0]["loc"] == ["body", "answers", "man"]
    assert "corrigez son sexe" in contradicted.json()["detail"][0]["msg"]
    # A woman is still asked the pregnancy questions.
    her3 = await _woman_with_urinary_burning(client)
    no_pregnancy = {k: v for k, v in answers.items() if k not in PREGNANCY_FLAGS}
    refused = await client.post(triage_url(her3["id"]), json={"answers": no_pregnancy})
    assert refused.status_code == 422
    assert {e["loc"][-1] for e in refused.json()["detail"]} == PREGNANCY_FLAGS

    # A man: no pregnancy question, and he is a man (male urinary infection: never simple).
    him = (
        await client.post(
            "/api/regulation/requests",
            json=patient(motif="urinary_burning", sex="male", given_name="Yann"),
        )
    ).json()
    his = all_no("male") | {"fever_or_back_pain": False}
    assert not PREGNANCY_FLAGS & set(his)
    assert "pregnant" not in his
    triaged = await client.post(triage_url(him["id"]), json={"answers": his})
    assert triaged.status_code == 200, triaged.text
    assert (triaged.json()["priority"], triaged.json()["orientation"]) == ("P2", "AMB")
    assert triaged.json()["rule"] == "urinary_burning:man"


async def test_a_patient_of_unknown_sex_is_asked_everything(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    unknown = (
        await client.post(
            "/api/regulation/requests",
            json=patient(motif="urinary_burning", sex="undetermined"),
        )
    ).json()
    refused = await client.post(
        triage_url(unknown["id"]),
        json={"answers": all_no("male") | {"fever_or_back_pain": False}},
    )
    assert refused.status_code == 422
    missing = {e["loc"][-1] for e in refused.json()["detail"]}
    assert missing == PREGNANCY_FLAGS | {"pregnant", "man"}
    answered = await client.post(
        triage_url(unknown["id"]),
        json={"answers": all_no() | {"fever_or_back_pain": False, "man": True}},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["rule"] == "urinary_burning:man"


def test_a_red_flag_answered_yes_wins_whatever_the_sex() -> None:
    # A man for whom the pregnancy flags are not asked: were one answered "yes", still the 15.
    decision = evaluate(DEFAULT, "fever", {"pregnancy_emergency": True}, 400, sex="male")
    assert decision.call_15


def _with(change: Any) -> str:
    raw = yaml.safe_load(default_protocol_text())
    change(raw)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)


def _flag(raw: dict[str, Any], flag_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in raw["red_flags"] if f["id"] == flag_id)
    return found


def test_the_protocol_states_sexes_and_they_are_checked() -> None:
    assert DEFAULT.motif("urinary_burning") is not None
    # The shipped default: pregnancy concerns women; a new field defaults to everyone.
    assert _flag(yaml.safe_load(default_protocol_text()), "pregnancy_emergency")["sexes"] == [
        "female"
    ]
    assert next(f for f in DEFAULT.red_flags if f.id == "chest_pain").sexes is None

    with pytest.raises(InvalidProtocol) as unknown:
        parse_protocol(_with(lambda raw: _flag(raw, "chest_pain").update(sexes=["other"])))
    assert "sexes" in unknown.value.errors[0]["loc"]
    with pytest.raises(InvalidProtocol) as twice:
        parse_protocol(_with(lambda raw: _flag(raw, "chest_pain").update(sexes=["male", "male"])))
    assert "une fois" in twice.value.errors[0]["msg"]
    # A core red flag must be asked whatever the sex (only the pregnancy ones are women's).
    with pytest.raises(InvalidProtocol) as men_only:
        parse_protocol(_with(lambda raw: _flag(raw, "chest_pain").update(sexes=["male"])))
    assert "douleur thoracique (chest_pain)" in men_only.value.errors[0]["msg"]
    assert "(femme)" in men_only.value.errors[0]["msg"]

    def on_choice(raw: dict[str, Any]) -> None:
        motif = next(m for m in raw["motifs"] if m["id"] == "fever")
        choice = next(q for q in motif["questions"] if q.get("kind") == "choice")
        choice["answered_by_sex"] = "male"

    with pytest.raises(InvalidProtocol) as not_yes_no:
        parse_protocol(_with(on_choice))
    assert "answered_by_sex" in not_yes_no.value.errors[0]["msg"]


# -- 3. the referrer follows their referral to the doctor and the place -----------------------


async def test_the_referrer_sees_the_doctor_the_place_and_the_time_of_their_own_only(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER, name="Pharmacie du Port")
    sent = await client.post("/api/regulation/referrals", json=woman())
    request_id = sent.json()["id"]
    waiting = (await client.get(f"/api/regulation/referrals/{request_id}")).json()
    assert waiting["appointment"] is None
    assert waiting["status_label"] == "Reçue, à trier"

    doctor = await effector(session, "Martin", north_of(REDON, 2))
    start = (utcnow() + timedelta(hours=3)).replace(second=0, microsecond=0)
    slot_id = await slot(session, doctor, start)
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        await operator.post(f"/api/regulation/requests/{request_id}/claim")
        triaged = await operator.post(
            triage_url(request_id), json={"answers": all_no("female") | FEVER_OK}
        )
        assert triaged.json()["orientation"] == "AMB", triaged.text
        url = f"/api/regulation/requests/{request_id}"
        assert (await operator.post(f"{url}/hold", json={"slot_id": slot_id})).status_code == 200
        confirmed = await operator.post(f"{url}/confirm", json={"slot_id": slot_id})
        assert confirmed.status_code == 201, confirmed.text
        # The operator is not a referrer: the referrer's pages are not theirs.
        assert (await operator.get(f"/api/regulation/referrals/{request_id}")).status_code == 403

    seen = await client.get(f"/api/regulation/referrals/{request_id}")
    assert seen.status_code == 200, seen.text
    body = seen.json()
    assert body["outcome_label"] is not None
    appointment = body["appointment"]
    assert appointment["practitioner"] == "Dr Anne Martin"
    assert (appointment["site_name"], appointment["address_line"], appointment["city"]) == (
        "Cabinet Martin",
        "1 rue du Port",
        "Redon",
    )
    assert appointment["postal_code"] == "35600"
    assert datetime.fromisoformat(appointment["start_at"]) == start
    assert appointment["status_label"] == "Rendez-vous pris"
    # Listed, the referral carries its consultation time (the detail carries the place).
    listed = (await client.get("/api/regulation/referrals/mine")).json()["items"][0]
    assert datetime.fromisoformat(listed["consultation_at"]) == start

    async with client_for(app) as nurse:
        await staff(session, nurse, Role.REFERRER, "ide@example.fr")
        assert (await nurse.get(f"/api/regulation/referrals/{request_id}")).status_code == 404
        assert (await nurse.get("/api/regulation/referrals/999999")).status_code == 404

    reads = await session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "regulation_request",
            AuditEntry.action == "read",
            AuditEntry.entity_id == str(request_id),
        )
    )
    # Every read is audited, the referrer's own (twice: waiting, then booked) included.
    assert [r.actor_role for r in reads].count("referrer") >= 2
