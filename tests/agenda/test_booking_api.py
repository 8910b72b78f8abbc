"""Booking over HTTP: operators hold, confirm and release; appointments are listed and cancelled."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot
from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.agenda.slot_factories import (
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.factories import create_user, logged_in_as, login


def week() -> dict[str, str]:
    return {"start": in_days(0, 0).isoformat(), "end": in_days(7, 0).isoformat()}


async def test_an_operator_holds_then_confirms_a_slot(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 10))
    operator = await logged_in_as(client, session, Role.OPERATOR)
    held = await client.post(f"/api/agenda/slots/{slot.id}/hold")
    assert held.status_code == 200, held.text
    assert held.json()["holder"] == f"user:{operator.id}"
    confirmed = await client.post(
        f"/api/agenda/slots/{slot.id}/confirm",
        json={"patient_label": "M. D., 54 ans", "kind": "AMB"},
    )
    assert confirmed.status_code == 201, confirmed.text
    appointment = confirmed.json()
    assert appointment["status"] == "booked"
    assert appointment["origin"] == "operator"
    assert appointment["site"]["city"] == "Redon"
    trail = await session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "appointment")
    )
    assert list(trail) == ["create"]


async def test_a_slot_held_by_a_colleague_answers_409_in_french(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.post(f"/api/agenda/slots/{slot.id}/hold")).status_code == 200
    await logged_in_as(client, session, Role.REGULATOR)
    response = await client.post(f"/api/agenda/slots/{slot.id}/hold")
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"] == (
        "Ce créneau vient d'être pris par quelqu'un d'autre : choisissez-en un autre."
    )
    confirm = await client.post(
        f"/api/agenda/slots/{slot.id}/confirm", json={"patient_label": "Mme L., 34 ans"}
    )
    assert confirm.status_code == 409


async def test_releasing_a_hold_frees_the_slot(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await logged_in_as(client, session, Role.REGULATOR)
    await client.post(f"/api/agenda/slots/{slot.id}/hold")
    assert (await client.post(f"/api/agenda/slots/{slot.id}/release")).status_code == 204
    stored = await session.get(Slot, slot.id, populate_existing=True)
    assert stored is not None
    assert stored.status == "free"


@pytest.mark.parametrize("role", [Role.EFFECTOR, Role.REFERRER, Role.SAS_REGULATOR])
async def test_effectors_referrers_and_sas_regulators_do_not_book_here(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await logged_in_as(client, session, role)
    assert (await client.post(f"/api/agenda/slots/{slot.id}/hold")).status_code == 403


async def test_an_effector_lists_their_booked_patients_and_nobody_elses(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    other_user, other = await create_effector_with_account(session, "dr.durand@example.fr")
    mine = await book(session, await create_slot(session, effector, in_days(1, 9)), "Mme A., 8 ans")
    await book(session, await create_slot(session, other, in_days(1, 9)), "M. B., 70 ans")
    await create_slot(session, effector, in_days(1, 10))  # free: not a patient

    await login(client, user.email)
    response = await client.get("/api/agenda/appointments", params=week())
    assert response.status_code == 200, response.text
    listed = response.json()
    assert [(a["id"], a["patient_label"], a["kind"]) for a in listed] == [
        (mine.id, "Mme A., 8 ans", "AMB")
    ]
    assert listed[0]["site"]["name"] == "Cabinet 1"
    forbidden = await client.get(
        "/api/agenda/appointments", params={**week(), "effector_id": other.id}
    )
    assert forbidden.status_code == 403

    await logged_in_as(client, session, Role.COORDINATOR)
    everyone = (await client.get("/api/agenda/appointments", params=week())).json()
    assert len(everyone) == 2
    reads = await session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "read"))
    assert mine.id in set(reads)
    assert other_user.id != user.id


async def test_an_effector_cancels_their_appointment_and_the_slot_reopens(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    slot = await create_slot(session, effector, in_days(1, 9))
    appointment = await book(session, slot)
    await login(client, user.email)
    response = await client.post(
        f"/api/agenda/appointments/{appointment.id}/cancel", json={"reason": "Imprévu"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_by"] == "effector"
    stored = await session.get(Slot, slot.id, populate_existing=True)
    assert stored is not None
    assert stored.status == "free"


async def test_an_operator_cancels_on_the_patients_behalf_but_not_as_someone_else(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    appointment = await book(
        session, await create_slot(session, await create_effector(session), in_days(1, 9))
    )
    await logged_in_as(client, session, Role.OPERATOR)
    url = f"/api/agenda/appointments/{appointment.id}/cancel"
    as_effector = await client.post(url, json={"reason": "x", "by": "effector"})
    assert as_effector.status_code == 422
    assert as_effector.json()["detail"][0]["loc"] == ["body", "by"]
    missing_reason = await client.post(url, json={"by": "patient"})
    assert missing_reason.status_code == 422
    done = await client.post(url, json={"reason": "Le patient va mieux", "by": "patient"})
    assert done.json()["cancelled_by"] == "patient"
    twice = await client.post(url, json={"reason": "encore", "by": "patient"})
    assert twice.status_code == 409


async def test_an_effector_cannot_cancel_another_effectors_appointment(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    appointment = await book(
        session, await create_slot(session, await create_effector(session), in_days(1, 9))
    )
    intruder = await create_user(session, Role.EFFECTOR, email="dr.x@example.fr")
    await create_effector(session, user_id=intruder.id)
    await login(client, intruder.email)
    response = await client.post(
        f"/api/agenda/appointments/{appointment.id}/cancel", json={"reason": "x"}
    )
    assert response.status_code == 403


async def test_a_request_id_is_refused_on_the_generic_confirm(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A request's appointment is booked from that request (regulation checks it exists and
    is the caller's to serve): a made-up or foreign request id never reaches an appointment."""
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.post(f"/api/agenda/slots/{slot.id}/hold")).status_code == 200
    confirmed = await client.post(
        f"/api/agenda/slots/{slot.id}/confirm",
        json={"request_id": 999999, "patient_label": "M. D., 54 ans"},
    )
    assert confirmed.status_code == 422
    assert confirmed.json()["detail"][0]["loc"] == ["body", "request_id"]
    stored = await session.get(Slot, slot.id, populate_existing=True)
    assert stored is not None
    assert stored.status == "held"


async def test_a_sas_regulator_cannot_cancel_through_the_generic_route(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.SAS_REGULATOR)
    response = await client.post(
        "/api/agenda/appointments/any-id/cancel", json={"reason": "Plus nécessaire"}
    )
    assert response.status_code == 403
