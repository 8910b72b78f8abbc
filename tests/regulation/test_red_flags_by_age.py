"""The server, not only the form, asks every red flag due at the patient's age (issue 16, point
4): a call answered « tout Non » for an adult, then given an infant's birth date, is refused by
the infant's red flag, and nothing of it is written."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import RegulationRequest
from snp.auth.roles import Role
from tests.regulation.conftest import birth_date_for, no_red_flags, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True}


async def _requests(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(RegulationRequest)) or 0)


async def _document(client: httpx.AsyncClient) -> dict[str, Any]:
    document: dict[str, Any] = (await client.get("/api/regulation/protocols/current")).json()[
        "document"
    ]
    return document


async def test_an_infants_call_is_refused_by_field_until_the_infants_red_flag_is_answered(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = await _document(client)
    infant_flags = [f for f in document["red_flags"] if f["category"] == "infant_fever"]
    assert [f["age_bands"] for f in infant_flags] == [["newborn"]]
    before = await _requests(session)
    # « tout Non » while the form thought she was an adult; she is 2 months old.
    adult_no = no_red_flags(document, "adult")
    two_months = birth_date_for(months=2)

    refused = await client.post(
        "/api/regulation/requests",
        json=patient(birth_date=two_months, answers=adult_no | FEVER_OK),
    )

    assert refused.status_code == 422, refused.text
    errors = {tuple(e["loc"]): e["msg"] for e in refused.json()["detail"]}
    infant = infant_flags[0]
    expected = f"Réponse obligatoire : {infant['question']}"
    assert errors[("body", "answers", infant["id"])] == expected
    assert await _requests(session) == before  # no half-written request

    answered = await client.post(
        "/api/regulation/requests",
        json=patient(
            birth_date=two_months,
            answers=no_red_flags(document, "newborn") | FEVER_OK,
        ),
    )
    assert answered.status_code == 201, answered.text
    assert answered.json()["age_band"] == "newborn"


async def test_an_adults_call_needs_no_answer_to_the_infants_red_flag(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    document = await _document(client)
    created = await client.post(
        "/api/regulation/requests",
        json=patient(answers=no_red_flags(document, "adult") | FEVER_OK),
    )
    assert created.status_code == 201, created.text
    assert created.json()["age_band"] == "adult"
