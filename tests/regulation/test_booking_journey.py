"""The booking journey through the API, on SQLite and PostgreSQL: request -> triage ->
candidates -> hold -> confirm -> closed `slot_booked`, the appointment in the agenda; claims,
races, giving a hold back, and a cancelled appointment sending its request back to the queue."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation import RequestBooked, RequestClosed, RequestOriented, get_contact
from regulation.events import FreedSlotOffered
from regulation.service.protocol import default_protocol_text, parse_protocol
from snp import audit, events
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import birth_date_for, client_for, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}
ANSWERS: dict[str, Any] = (
    {f.id: False for f in DEFAULT.red_flags_for("adult")}
    | {r.id: False for r in DEFAULT.risk_factors_for("adult")}
) | FEVER_OK
TAKEN = "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre."
PATIENT_FIELDS = {"family_name", "given_name", "phone", "birth_date", "patient_label"}


@pytest.fixture
def published() -> Iterator[list[object]]:
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)


def url(request_id: int, action: str) -> str:
    return f"/api/regulation/requests/{request_id}/{action}"


async def new_request(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    """Phone intake, triaged at once (fever, P2 within 24 h, at the practice), kept in hand."""
    body = patient(birth_date=birth_date_for(years=34), answers=ANSWERS) | overrides
    response = await client.post("/api/regulation/requests", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_a_request_is_booked_end_to_end_and_the_appointment_is_in_the_agenda(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    operator = await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    doctor = await effector(session, "Martin", north_of(REDON, 2))
    start = (utcnow() + timedelta(hours=2)).replace(second=0, microsecond=0)
    slot_id = await slot(session, doctor, start)

    created = await new_request(client)
    assert (created["status"], created["orientation"], created["priority"]) == (
        "claimed",
        "AMB",
        "P2",
    )
    found = await client.get(url(created["id"], "candidates"))
    assert found.status_code == 200, found.text
    first = found.json()["items"][0]
    assert (first["slot_id"], first["effector"]["name"], first["kind"]) == (
        slot_id,
        "Dr Anne Martin",
        "AMB",
    )
    assert first["distance_km"] == 2.0

    held = await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})
    assert held.status_code == 200, held.text
    assert held.json()["patient_label"] == "M.D. 34 ans"
    assert held.json()["kind"] == "AMB"
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["hold_slot_id"] == slot_id
    assert detail["hold_expires_at"] is not None

    booked = await client.post(url(created["id"], "confirm"), json={"slot_id": slot_id})
    assert booked.status_code == 201, booked.text
    request, appointment = booked.json()["request"], booked.json()["appointment"]
    assert (request["status"], request["outcome"]) == ("closed", "slot_booked")
    assert request["appointment_id"] == appointment["id"]
    assert request["hold_slot_id"] is None
    assert datetime.fromisoformat(request["consultation_at"]) == start
    assert [e["kind"] for e in request["timeline"]][-3:] == ["slot_held", "oriented", "closed"]
    assert appointment["request_id"] == created["id"]
    assert appointment["patient_label"] == "M.D. 34 ans"
    assert (appointment["origin"], appointment["kind"], appointment["status"]) == (
        "patient_call",
        "AMB",
        "booked",
    )

    window = {
        "start": (start - timedelta(hours=1)).isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    listed = await client.get("/api/agenda/appointments", params=window)
    assert listed.status_code == 200, listed.text
    assert [(a["id"], a["request_id"]) for a in listed.json()] == [
        (appointment["id"], created["id"])
    ]
    assert (await client.get("/api/regulation/queue")).json()["items"] == []

    kinds = [type(e).__name__ for e in published]
    assert {"SlotBooked", "RequestOriented", "RequestClosed", "RequestBooked"} <= set(kinds)
    assert kinds.index("SlotBooked") < kinds.index("RequestBooked")
    booked_event = next(e for e in published if isinstance(e, RequestBooked))
    assert (booked_event.request_id, booked_event.appointment_id, booked_event.slot_id) == (
        created["id"],
        appointment["id"],
        slot_id,
    )
    for event in published:
        if isinstance(event, RequestBooked | RequestOriented | RequestClosed | agenda.SlotBooked):
            names = {f.name for f in dataclasses.fields(event)}
            assert not names & PATIENT_FIELDS, type(event).__name__
    assert operator.id is not None


async def test_only_the_operator_holding_the_claim_may_book(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=2))
    created = await new_request(client)
    unclaimed = await new_request(client, claim=False)
    async with client_for(app) as paul:
        await staff(session, paul, Role.OPERATOR, name="Paul Opérateur")
        refused = await paul.post(url(created["id"], "hold"), json={"slot_id": slot_id})
        assert refused.status_code == 403
        assert refused.json()["detail"][0]["msg"] == (
            "Demande prise en charge par Anne Opératrice : seule cette personne peut réserver."
        )
        assert (
            await paul.post(url(created["id"], "confirm"), json={"slot_id": slot_id})
        ).status_code == 403
        # Seeing the candidates is open to the team.
        assert (await paul.get(url(created["id"], "candidates"))).status_code == 200
    not_claimed = await client.post(url(unclaimed["id"], "hold"), json={"slot_id": slot_id})
    assert not_claimed.status_code == 403
    assert not_claimed.json()["detail"][0]["msg"] == (
        "Prenez d'abord la demande en charge pour réserver un créneau."
    )
    assert (await client.get(url(created["id"], "candidates"))).json()["items"][0][
        "slot_id"
    ] == slot_id  # still free


async def test_two_operators_racing_for_one_slot_one_books_the_other_gets_a_clear_409(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    doctor = await effector(session, "Martin", REDON)
    start = utcnow() + timedelta(hours=2)
    slot_id = await slot(session, doctor, start)
    async with client_for(app) as anne, client_for(app) as paul:
        await staff(session, anne, Role.OPERATOR, name="Anne Opératrice")
        await staff(session, paul, Role.OPERATOR, name="Paul Opérateur")
        first = await new_request(anne)
        second = await new_request(paul)

        async def book(operator: httpx.AsyncClient, request_id: int) -> httpx.Response:
            held = await operator.post(url(request_id, "hold"), json={"slot_id": slot_id})
            if held.status_code != 200:
                return held
            return await operator.post(url(request_id, "confirm"), json={"slot_id": slot_id})

        results = await asyncio.gather(book(anne, first["id"]), book(paul, second["id"]))
        assert sorted(r.status_code for r in results) == [201, 409]
        loser = next(r for r in results if r.status_code == 409)
        assert loser.json()["detail"][0]["msg"] == TAKEN
        window = {
            "start": (start - timedelta(hours=1)).isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        }
        assert len((await anne.get("/api/agenda/appointments", params=window)).json()) == 1
        # The loser's request is still theirs, in hand, to book elsewhere.
        lost_id = first["id"] if results[0].status_code == 409 else second["id"]
        lost = (await anne.get(f"/api/regulation/requests/{lost_id}")).json()
        assert (lost["status"], lost["hold_slot_id"]) == ("claimed", None)


async def test_a_hold_is_given_back_on_abandon(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    doctor = await effector(session, "Martin", REDON)
    first_slot = await slot(session, doctor, utcnow() + timedelta(hours=2))
    second_slot = await slot(session, doctor, utcnow() + timedelta(hours=3))
    created = await new_request(client)
    other = await new_request(client)

    assert (await client.post(url(created["id"], "hold"), json={"slot_id": first_slot})).is_success
    # Holding another slot gives the first one back.
    assert (await client.post(url(created["id"], "hold"), json={"slot_id": second_slot})).is_success
    assert (await client.post(url(other["id"], "hold"), json={"slot_id": first_slot})).is_success
    released = await client.post(url(other["id"], "release-hold"), json={"slot_id": first_slot})
    assert released.json() == {"request_id": other["id"], "slot_id": first_slot, "released": True}
    again = await client.post(url(other["id"], "release-hold"), json={"slot_id": first_slot})
    assert again.json()["released"] is False
    # Releasing the request (the patient hung up) gives its held slot back too.
    assert (await client.post(url(created["id"], "release"))).is_success
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert detail["hold_slot_id"] is None
    assert (await client.post(url(other["id"], "hold"), json={"slot_id": second_slot})).is_success
    # Confirming a slot the request does not hold is refused.
    refused = await client.post(url(other["id"], "confirm"), json={"slot_id": first_slot})
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["msg"].startswith(
        "Ce créneau n'est pas réservé pour cette demande"
    )


async def test_a_slot_that_does_not_suit_the_patient_cannot_be_held(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    teleconsultation = await effector(session, "Visio", REDON)
    adults = await effector(session, "Adultes", REDON, min_patient_age_months=50 * 12)
    remote_slot = await slot(
        session, teleconsultation, utcnow() + timedelta(hours=2), kinds=frozenset({"VR"})
    )
    adult_slot = await slot(session, adults, utcnow() + timedelta(hours=2))
    created = await new_request(client)
    wrong_kind = await client.post(url(created["id"], "hold"), json={"slot_id": remote_slot})
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["detail"][0]["msg"] == (
        "Ce créneau ne propose pas de consultation adaptée à la demande (proposé : "
        "téléconsultation)."
    )
    too_young = await client.post(url(created["id"], "hold"), json={"slot_id": adult_slot})
    assert too_young.json()["detail"][0]["msg"] == (
        "Cet effecteur ne reçoit pas les patients de moins de 50 ans."
    )
    # Nothing stays held after a refusal.
    assert (
        await client.post(url(created["id"], "hold"), json={"slot_id": remote_slot, "kind": "VR"})
    ).is_success


async def _book(client: httpx.AsyncClient, request_id: int, slot_id: int) -> dict[str, Any]:
    assert (await client.post(url(request_id, "hold"), json={"slot_id": slot_id})).is_success
    booked = await client.post(url(request_id, "confirm"), json={"slot_id": slot_id})
    assert booked.status_code == 201, booked.text
    appointment: dict[str, Any] = booked.json()["appointment"]
    return appointment


async def test_a_cancelled_appointment_puts_the_request_back_in_the_queue_to_rebook(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=2))
    created = await new_request(client)
    appointment = await _book(client, created["id"], slot_id)

    cancelled = await client.post(
        f"/api/agenda/appointments/{appointment['id']}/cancel",
        json={"reason": "Ne peut plus venir", "by": "patient"},
    )
    assert cancelled.status_code == 200, cancelled.text

    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    # Back in the queue to rebook, and back to triage: the red flags are asked again first.
    assert (detail["status"], detail["outcome"], detail["appointment_id"]) == (
        "received",
        None,
        None,
    )
    assert (detail["priority"], detail["orientation"], detail["may_book"]) == (None, None, False)
    assert detail["retriage_reason"].startswith("Rendez-vous annulé ou déplacé")
    assert detail["rebook_reason"] == "Rendez-vous annulé par le patient : Ne peut plus venir"
    assert detail["timeline"][-1]["kind"] == "to_rebook"
    queue = (await client.get("/api/regulation/queue")).json()["items"]
    assert [(q["id"], q["status"], q["rebook_reason"]) for q in queue] == [
        (created["id"], "received", detail["rebook_reason"])
    ]
    assert "RequestToRebook" in [type(e).__name__ for e in published]
    # It can be booked again (here into the slot that was freed) once triaged again.
    assert (await client.post(url(created["id"], "claim"))).is_success
    refused = await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["msg"].startswith("Demande à trier de nouveau")
    retriaged = await client.post(url(created["id"], "triage"), json={"answers": ANSWERS})
    assert retriaged.status_code == 200, retriaged.text
    again = await _book(client, created["id"], slot_id)
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert (detail["outcome"], detail["appointment_id"], detail["rebook_reason"]) == (
        "slot_booked",
        again["id"],
        None,
    )


async def test_a_removed_slot_sends_its_patient_back_to_the_queue(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=2))
    created = await new_request(client)
    await _book(client, created["id"], slot_id)
    async with client_for(app) as coordinator:
        await staff(session, coordinator, Role.COORDINATOR)
        removed = await coordinator.request(
            "DELETE", f"/api/agenda/slots/{slot_id}", params={"reason": "Absent"}
        )
        assert removed.status_code == 204, removed.text
    detail = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert (detail["status"], detail["priority"]) == ("received", None)  # to triage again
    assert detail["rebook_reason"].startswith("Créneau supprimé")


async def test_a_freed_slot_is_offered_first_to_the_waiting_requests_it_fits(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    later = await effector(session, "Autre", REDON)
    slot_id = await slot(session, doctor, utcnow() + timedelta(hours=2))
    await slot(session, later, utcnow() + timedelta(minutes=50))
    booked_one = await new_request(client)
    appointment = await _book(client, booked_one["id"], slot_id)
    # Older (earlier deadline), but needs a home visit: the freed slot is at the practice.
    at_home = await new_request(client, claim=False, mobility="needs_home_visit")
    waiting = await new_request(client, claim=False)
    other_waiting = await new_request(client, claim=False)

    await client.post(
        f"/api/agenda/appointments/{appointment['id']}/cancel",
        json={"reason": "Empêchement", "by": "patient"},
    )

    queue = (await client.get("/api/regulation/queue")).json()["items"]
    assert [(q["id"], q["offered_slot_id"]) for q in queue] == [
        # Back to rebook and to triage again (untriaged requests come before P2), but its
        # own slot is not offered back.
        (booked_one["id"], None),
        (waiting["id"], slot_id),  # offered first, by deadline
        (other_waiting["id"], slot_id),
        (at_home["id"], None),
    ]
    offer = next(e for e in published if isinstance(e, FreedSlotOffered))
    assert (offer.slot_id, offer.request_ids) == (slot_id, (waiting["id"], other_waiting["id"]))

    assert (await client.post(url(waiting["id"], "claim"))).is_success
    first = (await client.get(url(waiting["id"], "candidates"))).json()["items"][0]
    assert (first["slot_id"], first["offered_first"]) == (slot_id, True)
    assert first["explanation"].startswith("Créneau libéré proposé en priorité · ")
    await _book(client, waiting["id"], slot_id)
    queue = (await client.get("/api/regulation/queue")).json()["items"]
    assert all(q["offered_slot_id"] is None for q in queue)


async def test_the_patient_contact_for_sms_is_read_and_traced(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    created = await new_request(client)
    contact = await get_contact(session, created["id"])
    await session.commit()
    assert contact is not None
    assert (contact.phone, contact.initials, contact.age_label, contact.sms_consent) == (
        "+33612345678",
        "M.D.",
        "34 ans",
        True,
    )
    assert await get_contact(session, 424242) is None
    entries, _ = await audit.list_entries(session, entity="regulation_request")
    assert any(e.actor_email == "notifications" and e.action == "read" for e in entries)
