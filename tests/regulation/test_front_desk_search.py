"""The front desk finds a patient who calls back: search by name, phone or birth date (open or
closed requests), a warning when the number or identity already has an open request, the
patient's earlier requests, and the booked appointment (who, when, where) cancelled from the
request, which then goes back to the queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.service.protocol import default_protocol_text, parse_protocol
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import birth_date_for, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
ANSWERS: dict[str, Any] = (
    {f.id: False for f in DEFAULT.red_flags_for("adult")}
    | {r.id: False for r in DEFAULT.risk_factors_for("adult")}
    | {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}
)
REQUESTS = "/api/regulation/requests"


async def create(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    response = await client.post(REQUESTS, json=patient(**overrides))
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def close(client: httpx.AsyncClient, request_id: int) -> None:
    response = await client.post(
        f"{REQUESTS}/{request_id}/close",
        json={"outcome": "cancelled_by_patient", "note": "Ne souhaite plus"},
    )
    assert response.status_code == 200, response.text


def ids(response: httpx.Response) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_a_closed_request_is_found_by_phone_in_any_notation_name_or_birth_date(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    first = await create(client, family_name="Le Goff", phone="06 11 22 33 44")
    await close(client, first["id"])
    other = await create(client, family_name="Legrand", birth_date="1990-05-02")

    by_phone = await client.get(REQUESTS, params={"phone": "+33 6 11 22 33 44"})
    assert ids(by_phone) == [first["id"]]
    found = by_phone.json()["items"][0]
    assert (found["status"], found["outcome"]) == ("closed", "cancelled_by_patient")
    assert (found["birth_date"], found["phone_display"]) == ("1986-03-14", "06 11 22 33 44")
    assert ids(await client.get(REQUESTS, params={"name": "le g"})) == [first["id"]]
    assert ids(await client.get(REQUESTS, params={"name": "LEG"})) == [other["id"]]
    assert ids(await client.get(REQUESTS, params={"birth_date": "1990-05-02"})) == [other["id"]]
    both = await client.get(REQUESTS, params={"name": "le", "birth_date": "1986-03-14"})
    assert ids(both) == [first["id"]]
    # LIKE's wildcards are taken literally.
    assert ids(await client.get(REQUESTS, params={"name": "%"})) == []


async def test_the_closed_list_pages_newest_first_and_each_listed_request_is_an_audited_read(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    made = [await create(client, family_name=f"Durand{n}") for n in range(3)]
    for request in made:
        await close(client, request["id"])
    still_open = await create(client, family_name="Durand9")

    closed = await client.get(REQUESTS, params={"scope": "closed", "limit": 2})
    assert ids(closed) == [made[2]["id"], made[1]["id"]]
    assert closed.json()["total"] == 3
    following = await client.get(REQUESTS, params={"scope": "closed", "limit": 2, "offset": 2})
    assert ids(following) == [made[0]["id"]]
    assert ids(await client.get(REQUESTS, params={"scope": "open"})) == [still_open["id"]]

    reads = await session.scalars(
        select(AuditEntry.entity_id).where(
            AuditEntry.entity == "regulation_request", AuditEntry.action == "read"
        )
    )
    assert {str(made[2]["id"]), str(made[1]["id"]), str(made[0]["id"])} <= set(reads)


async def test_an_unreadable_phone_or_scope_is_a_422_naming_the_query_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    bad_phone = await client.get(REQUESTS, params={"phone": "12"})
    assert bad_phone.status_code == 422
    assert bad_phone.json()["detail"][0]["loc"] == ["query", "phone"]
    bad_scope = await client.get(REQUESTS, params={"scope": "soon"})
    assert bad_scope.status_code == 422
    assert bad_scope.json()["detail"][0]["loc"] == ["query", "scope"]


async def test_a_new_call_is_warned_of_an_open_request_with_the_same_number_or_identity(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    waiting = await create(client, family_name="Martin", phone="06 55 44 33 22")
    done = await create(client, family_name="Martin", phone="06 55 44 33 22")
    await close(client, done["id"])
    matches = "/api/regulation/requests/open-matches"

    same_number = await client.get(matches, params={"phone": "0655443322"})
    assert same_number.status_code == 200, same_number.text
    assert [r["id"] for r in same_number.json()] == [waiting["id"]]  # the closed one is not
    same_identity = await client.get(
        matches, params={"family_name": "MARTIN", "birth_date": "1986-03-14"}
    )
    assert [r["id"] for r in same_identity.json()] == [waiting["id"]]
    itself = await client.get(matches, params={"phone": "0655443322", "exclude_id": waiting["id"]})
    assert itself.json() == []
    nobody = await client.get(matches, params={"phone": "06 98 76 54 32"})
    assert nobody.json() == []
    nothing_given = await client.get(matches, params={"family_name": "Martin"})
    assert nothing_given.status_code == 422
    assert nothing_given.json()["detail"][0]["loc"] == ["query", "phone"]


async def test_a_request_lists_the_patients_other_requests_newest_first(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    earlier = await create(client, family_name="Bernard", phone="06 10 20 30 40")
    await close(client, earlier["id"])
    # Another number, same identity: the same patient from a relative's phone.
    relative = await create(client, family_name="bernard", phone="06 99 88 77 66")
    await close(client, relative["id"])
    stranger = await create(client, family_name="Bernard", birth_date="2001-01-01")
    await close(client, stranger["id"])
    today = await create(client, family_name="Bernard", phone="06 10 20 30 40")

    history = await client.get(f"{REQUESTS}/{today['id']}/history")
    assert history.status_code == 200, history.text
    assert [r["id"] for r in history.json()] == [relative["id"], earlier["id"]]
    assert (await client.get(f"{REQUESTS}/999999/history")).status_code == 404


async def test_referrers_neither_search_nor_read_histories(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    assert (await client.get(REQUESTS, params={"phone": "0612345678"})).status_code == 403
    matches = await client.get(f"{REQUESTS}/open-matches", params={"phone": "0612345678"})
    assert matches.status_code == 403


async def test_the_booked_request_shows_who_when_where_and_its_cancellation_reopens_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", north_of(REDON, 2))
    start = (utcnow() + timedelta(hours=3)).replace(second=0, microsecond=0)
    slot_id = await slot(session, doctor, start)
    created = await create(client, birth_date=birth_date_for(years=34), answers=ANSWERS)
    base = f"{REQUESTS}/{created['id']}"
    assert (await client.post(f"{base}/hold", json={"slot_id": slot_id})).status_code == 200
    confirmed = await client.post(f"{base}/confirm", json={"slot_id": slot_id})
    assert confirmed.status_code == 201, confirmed.text

    booked = (await client.get(base)).json()
    [appointment] = booked["appointments"]
    assert appointment["status"] == "booked"
    assert appointment["practitioner"] == "Dr Anne Martin"
    assert appointment["site"]["name"] == "Cabinet Martin"
    assert appointment["site"]["address_line"] == "1 rue du Port"
    assert appointment["start_at"].startswith(start.strftime("%Y-%m-%dT%H:%M"))
    assert appointment["practitioner_phone"].startswith("06 12 34")

    cancelled = await client.post(
        f"/api/agenda/appointments/{appointment['id']}/cancel",
        json={"by": "patient", "reason": "Se sent mieux"},
    )
    assert cancelled.status_code == 200, cancelled.text
    reopened = (await client.get(base)).json()
    assert reopened["status"] in ("waiting", "received")
    assert reopened["rebook_reason"] == "Rendez-vous annulé par le patient : Se sent mieux"
    assert reopened["retriage_reason"]  # red flags asked again before any rebooking
    [history] = reopened["appointments"]
    assert (history["status"], history["cancelled_by"], history["cancel_reason"]) == (
        "cancelled",
        "patient",
        "Se sent mieux",
    )
