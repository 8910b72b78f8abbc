"""Safety nets (issue 13, point 4): red-flag words in free text warn the operator; a red-flag
outcome records how the call reached the 15 and shows in the regulators' follow-up list."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from regulation import scan_free_text
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.conftest import client_for, patient, referral, staff
from tests.regulation.safety_helpers import calm_answers

pytestmark = pytest.mark.usefixtures("communes")


def url(request_id: int, action: str = "") -> str:
    return f"/api/regulation/requests/{request_id}" + (f"/{action}" if action else "")


# -- the word list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Douleur thoracique depuis ce matin", ["chest_pain"]),
        ("J'ai encore MAL À LA POITRINE", ["chest_pain"]),
        ("il respire mal cette nuit", ["breathing"]),
        ("suspicion d'AVC ?", ["stroke"]),
        ("a fait une convulsion", ["consciousness"]),
        ("elle saigne beaucoup du nez", ["bleeding"]),
        ("parle de suicide", ["suicide"]),
        ("Douleur thoracique et respire mal", ["chest_pain", "breathing"]),
    ],
)
def test_red_flag_words_are_found_whatever_accents_and_case(text: str, expected: list[str]) -> None:
    assert [f.id for f in scan_free_text(text)] == expected


@pytest.mark.parametrize(
    "text", ["Rhume depuis 3 jours", "avcx", "respire bien", "poitrine de poulet", "", None]
)
def test_ordinary_text_raises_no_warning(text: str | None) -> None:
    assert scan_free_text(text) == []


# -- the operator sees the warning -----------------------------------------------------------


async def test_a_red_flag_word_in_the_notes_is_a_visible_warning(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = (
        await client.post("/api/regulation/requests", json=patient(notes="Rhume, fatigue"))
    ).json()
    assert (created["free_text_flags"], created["free_text_warning"]) == ([], None)

    detail = (
        await client.patch(url(created["id"]), json={"notes": "Signale une douleur thoracique"})
    ).json()

    assert detail["free_text_flags"] == [
        {"id": "chest_pain", "label": "Douleur thoracique", "words": ["douleur thoracique"]}
    ]
    assert detail["free_text_warning"] == (
        "Mots d'alerte dans le texte libre (douleur thoracique) : reposez les signes d'alerte ; "
        "au moindre doute, appelez le 15."
    )
    queue = (await client.get("/api/regulation/queue")).json()["items"]
    assert [q["free_text_alert"] for q in queue] == [True]


async def test_a_referrer_comment_with_red_flag_words_warns_the_operator(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    sent = await client.post(
        "/api/regulation/referrals", json=referral(notes="Patient essoufflé au comptoir")
    )
    assert sent.status_code == 201, sent.text
    async with client_for(app) as operator:
        await staff(session, operator, Role.OPERATOR)
        detail = (await operator.get(url(sent.json()["id"]))).json()
    assert [f["id"] for f in detail["free_text_flags"]] == ["breathing"]


# -- after a red flag: the transfer to the 15 -------------------------------------------------


async def redirected(client: httpx.AsyncClient) -> int:
    """A call whose first red flag is answered "yes": closed to the 15."""
    answers = calm_answers()
    answers[next(iter(answers))] = True
    created = (await client.post("/api/regulation/requests", json=patient(answers=answers))).json()
    assert created["status"] == "redirected_15"
    request_id: int = created["id"]
    return request_id


async def test_a_red_flag_outcome_records_the_transfer_and_shows_in_the_follow_up_list(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    request_id = await redirected(client)
    async with client_for(app) as regulator:
        await staff(session, regulator, Role.REGULATOR)
        waiting = (await regulator.get("/api/regulation/follow-up")).json()
        assert [(i["id"], i["transfer_recorded"]) for i in waiting["items"]] == [
            (request_id, False)
        ]
        assert waiting["items"][0]["red_flag_text"] is not None

        recorded = await client.post(
            url(request_id, "transfer-15"),
            json={"mode": "warm_transfer", "note": "Régulateur SAMU en ligne."},
        )

        assert recorded.status_code == 200, recorded.text
        detail = recorded.json()
        assert (detail["transfer_15_mode"], detail["transfer_15_by_name"]) == (
            "warm_transfer",
            "Anne Opératrice",
        )
        assert detail["transfer_15_at"] is not None
        assert detail["timeline"][-1]["kind"] == "transfer_15"
        (item,) = (await regulator.get("/api/regulation/follow-up")).json()["items"]
    assert (item["transfer_recorded"], item["transfer_15_label"], item["transfer_15_by_name"]) == (
        True,
        "Appel transféré au 15 (transfert accompagné)",
        "Anne Opératrice",
    )
    again = await client.post(url(request_id, "transfer-15"), json={"mode": "told_to_call_15"})
    assert again.status_code == 409
    assert again.json()["detail"][0]["msg"] == (
        "Transfert vers le 15 déjà consigné par Anne Opératrice."
    )


async def test_a_transfer_is_recorded_only_after_a_red_flag_and_never_in_the_future(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    ordinary = (await client.post("/api/regulation/requests", json=patient())).json()["id"]
    refused = await client.post(url(ordinary, "transfer-15"), json={"mode": "told_to_call_15"})
    assert refused.status_code == 409
    request_id = await redirected(client)
    later = (utcnow() + timedelta(hours=1)).isoformat()
    future = await client.post(
        url(request_id, "transfer-15"), json={"mode": "told_to_call_15", "at": later}
    )
    assert future.status_code == 422
    assert future.json()["detail"][0]["loc"] == ["body", "at"]
    unknown = await client.post(url(request_id, "transfer-15"), json={"mode": "pigeon"})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "mode"]


async def test_the_follow_up_list_is_for_staff_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.EFFECTOR)
    assert (await client.get("/api/regulation/follow-up")).status_code == 403
