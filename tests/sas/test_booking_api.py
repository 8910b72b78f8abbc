"""The SAS regulator's pages (`/api/sas`), enforced on the server: only SAS regulators, only
after accepting the terms of use, only with an account linked to the platform, only slots
shared with the SAS (over the 31 days the search exposes), and only their own appointments
to list and cancel."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import sas
from agenda.models import Appointment, Slot
from sas import terms
from sas.models import SasTermsAcceptance
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth.models import User
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_effector, create_slot, in_days
from tests.factories import create_user, logged_in_as, login


async def ready_regulator(
    client: httpx.AsyncClient,
    session: AsyncSession,
    *,
    email: str = "sas_regulator@example.fr",
    accept: bool = True,
    linked: bool = True,
) -> User:
    """A SAS regulator logged in, linked to a platform account and past the terms."""
    user = await create_user(session, Role.SAS_REGULATOR, email=email)
    if linked:
        await sas.link_regulator(
            session,
            Actor.system("tests"),
            user.id,
            technical_id=f"tech-{user.id}",
            family_name="Régul",
            given_name="Jeanne",
        )
        await session.commit()
    await login(client, user.email)
    if accept:
        response = await client.post("/api/sas/terms/accept", json={"version": terms.VERSION})
        assert response.status_code == 204, response.text
    return user


def booking(slot_id: int) -> dict[str, Any]:
    return {
        "slot_id": slot_id,
        "patient": {
            "family_name": "Durand",
            "given_name": "Paul",
            "birth_date": "1970-05-04",
            "phone": "0612345678",
            "latitude": 47.65,
            "longitude": -2.08,
            "address_line": "3 rue du Port",
        },
    }


async def test_lists_the_free_slots_shared_with_the_sas_over_31_days_with_remarks(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await ready_regulator(client, session)
    effector = await create_effector(session, family_name="Martin")
    shared = await create_slot(session, effector, in_days(1, 9))
    far = await create_slot(session, effector, in_days(12, 9))  # visible in the SAS search
    await create_slot(session, effector, in_days(1, 10), shared_with_sas=False)
    row = await session.get(Slot, far.id)
    assert row is not None
    row.reason = "Entrée par la cour"
    await session.commit()
    response = await client.get(f"/api/sas/effectors/{effector.id}/slots")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["days"] == 31
    assert body["effector"]["family_name"] == "Martin"
    assert [s["id"] for s in body["slots"]] == [shared.id, far.id]
    assert body["slots"][1]["remark"] == "Entrée par la cour"
    assert body["slots"][0]["site"]["city"] == "Redon"


async def test_reserved_to_sas_regulators(client: httpx.AsyncClient, session: AsyncSession) -> None:
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 9))
    assert (await client.get(f"/api/sas/effectors/{effector.id}/slots")).status_code == 401
    for role in (Role.OPERATOR, Role.COORDINATOR):
        await logged_in_as(client, session, role)
        assert (await client.get(f"/api/sas/effectors/{effector.id}/slots")).status_code == 403
        booked = await client.post(
            f"/api/sas/effectors/{effector.id}/bookings", json=booking(slot.id)
        )
        assert booked.status_code == 403, role


async def test_the_terms_must_be_accepted_first_and_the_acceptance_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await ready_regulator(client, session, accept=False)
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 9))
    current = (await client.get("/api/sas/terms")).json()
    assert current["accepted"] is False
    assert current["version"] == terms.VERSION
    assert "Conditions" in current["title"]
    refused = await client.get(f"/api/sas/effectors/{effector.id}/slots")
    assert refused.status_code == 403
    assert refused.json()["detail"][0]["loc"] == ["terms"]
    blocked = await client.post(f"/api/sas/effectors/{effector.id}/bookings", json=booking(slot.id))
    assert blocked.status_code == 403
    stale = await client.post("/api/sas/terms/accept", json={"version": "1999-01-01"})
    assert stale.status_code == 422
    assert stale.json()["detail"][0]["loc"] == ["body", "version"]
    for _ in range(2):  # idempotent
        ok = await client.post("/api/sas/terms/accept", json={"version": terms.VERSION})
        assert ok.status_code == 204
    assert (await client.get("/api/sas/terms")).json()["accepted"] is True
    rows = list(await session.scalars(select(SasTermsAcceptance)))
    assert [(r.user_id, r.version) for r in rows] == [(user.id, terms.VERSION)]
    audited = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "accept_terms")
    )
    assert audited == 1
    allowed = await client.get(f"/api/sas/effectors/{effector.id}/slots")
    assert allowed.status_code == 200


async def test_a_regulator_not_linked_to_the_platform_cannot_book(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """The pushed Appointment must name the regulator (FrAppointmentOperator)."""
    await ready_regulator(client, session, linked=False)
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 9))
    response = await client.post(
        f"/api/sas/effectors/{effector.id}/bookings", json=booking(slot.id)
    )
    assert response.status_code == 403
    assert "plateforme SAS" in response.json()["detail"][0]["msg"]


async def test_a_slot_not_shared_with_the_sas_cannot_be_booked(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await ready_regulator(client, session)
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 9), shared_with_sas=False)
    response = await client.post(
        f"/api/sas/effectors/{effector.id}/bookings", json=booking(slot.id)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "slot_id"]
    assert await session.scalar(select(func.count()).select_from(Appointment)) == 0


async def test_unknown_effector_is_404(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await ready_regulator(client, session)
    response = await client.get("/api/sas/effectors/999/slots")
    assert response.status_code == 404
    assert response.json()["detail"][0]["loc"] == ["path", "effector_id"]


async def test_booking_a_taken_slot_is_a_409(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await ready_regulator(client, session)
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 9))
    first = await client.post(f"/api/sas/effectors/{effector.id}/bookings", json=booking(slot.id))
    assert first.status_code == 201, first.text
    second = await client.post(f"/api/sas/effectors/{effector.id}/bookings", json=booking(slot.id))
    assert second.status_code == 409


async def test_patient_fields_are_checked_by_name(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await ready_regulator(client, session)
    effector = await create_effector(session)
    slot = await create_slot(session, effector, in_days(1, 9))
    body = booking(slot.id)
    body["patient"]["phone"] = "0299000000"
    response = await client.post(f"/api/sas/effectors/{effector.id}/bookings", json=body)
    assert response.status_code == 422
    assert ["body", "patient", "phone"] in [d["loc"] for d in response.json()["detail"]]


async def test_regulators_list_and_cancel_only_their_own_bookings(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session, family_name="Martin")
    mine_slot = await create_slot(session, effector, in_days(1, 9))
    theirs_slot = await create_slot(session, effector, in_days(1, 10))
    await ready_regulator(client, session, email="autre@sas.fr")
    theirs = await client.post(
        f"/api/sas/effectors/{effector.id}/bookings", json=booking(theirs_slot.id)
    )
    assert theirs.status_code == 201
    await ready_regulator(client, session, email="moi@sas.fr")
    mine = await client.post(
        f"/api/sas/effectors/{effector.id}/bookings", json=booking(mine_slot.id)
    )
    assert mine.status_code == 201
    listed = (await client.get("/api/sas/bookings")).json()
    assert [b["appointment_id"] for b in listed] == [mine.json()["appointment_id"]]
    assert listed[0]["status"] == "booked"
    assert listed[0]["effector"]["family_name"] == "Martin"
    foreign = await client.post(
        f"/api/sas/bookings/{theirs.json()['appointment_id']}/cancel", json={"reason": "Erreur"}
    )
    assert foreign.status_code == 404
    cancelled = await client.post(
        f"/api/sas/bookings/{mine.json()['appointment_id']}/cancel", json={"reason": "Erreur"}
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    again = await client.post(
        f"/api/sas/bookings/{mine.json()['appointment_id']}/cancel", json={"reason": "Erreur"}
    )
    assert again.status_code == 422
    still = await session.get(Appointment, theirs.json()["appointment_id"], populate_existing=True)
    assert still is not None
    assert still.status == "booked"
