"""An operator moves a request's booked appointment from the request: the request follows (time,
history), the patient and the GP are told by SMS, the old slot is free for others."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot
from notifications.models import OutboxMessage
from notifications.service.timing import paris_date, paris_time
from regulation.service.protocol import default_protocol_text, parse_protocol
from snp.auth.roles import Role
from snp.db import utcnow
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import birth_date_for, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
ANSWERS: dict[str, Any] = (
    {f.id: False for f in DEFAULT.red_flags_for("adult")}
    | {r.id: False for r in DEFAULT.risk_factors_for("adult")}
) | {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}


def url(request_id: int, action: str) -> str:
    return f"/api/regulation/requests/{request_id}/{action}"


def soon(hours: float) -> datetime:
    return (utcnow() + timedelta(hours=hours)).replace(second=0, microsecond=0)


async def booked_request(client: httpx.AsyncClient, slot_id: int) -> dict[str, Any]:
    body = patient(birth_date=birth_date_for(years=34), answers=ANSWERS, phone="06 98 76 54 32")
    created = (await client.post("/api/regulation/requests", json=body)).json()
    assert (await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})).is_success
    booked = await client.post(url(created["id"], "confirm"), json={"slot_id": slot_id})
    assert booked.status_code == 201, booked.text
    result: dict[str, Any] = booked.json()
    return result


async def sms(session: AsyncSession) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    return list(await session.scalars(query.execution_options(populate_existing=True)))


async def test_an_operator_moves_the_appointment_from_the_request_and_everyone_is_told(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    doctor = await effector(session, "Martin", north_of(REDON, 2))
    first, later = soon(3), soon(20)  # P2: within 24 h of triage
    old_slot = await slot(session, doctor, first)
    new_slot = await slot(session, doctor, later)
    booking = await booked_request(client, old_slot)
    request_id, appointment_id = booking["request"]["id"], booking["appointment"]["id"]
    before = len(await sms(session))

    moved = await client.post(
        url(request_id, "move-appointment"),
        json={"slot_id": new_slot, "reason": "Le patient travaille jusqu'à 18 h"},
    )

    assert moved.status_code == 200, moved.text
    assert (moved.json()["id"], moved.json()["slot_id"]) == (appointment_id, new_slot)
    detail = (await client.get(f"/api/regulation/requests/{request_id}")).json()
    assert datetime.fromisoformat(detail["consultation_at"]) == later
    assert (detail["status"], detail["outcome"]) == ("closed", "slot_booked")
    entry = detail["timeline"][-1]
    assert entry["kind"] == "appointment_moved"
    assert entry["actor_name"] == "Anne Opératrice"
    assert entry["detail"]["reason"] == "Le patient travaille jusqu'à 18 h"
    assert datetime.fromisoformat(entry["detail"]["from_start_at"]) == first
    assert datetime.fromisoformat(entry["detail"]["to_start_at"]) == later

    new_messages = (await sms(session))[before:]
    by_template = {m.template: m for m in new_messages}
    to_patient = by_template["patient_rdv_deplace"]
    assert to_patient.recipient == "+33698765432"
    assert to_patient.status == "queued"
    assert to_patient.body.startswith(
        f"Votre RDV avec Dr Anne Martin est déplacé au {paris_date(later)} à {paris_time(later)}, "
        "1 rue du Port, 35600 Redon."
    )
    to_gp = by_template["effecteur_rdv_deplace"]
    assert f"du {paris_date(first)} à {paris_time(first)}" in to_gp.body
    assert f"au {paris_date(later)} à {paris_time(later)}" in to_gp.body
    assert "Dupont" not in to_gp.body  # the patient's label only
    reminders = [m for m in await sms(session) if m.template == "patient_rappel"]
    assert [(m.status, m.expires_at) for m in reminders] == [
        ("suppressed", first),
        ("queued", later),
    ]

    # The old slot is free again: another patient can be booked into it.
    again = await booked_request(client, old_slot)
    assert again["appointment"]["slot_id"] == old_slot


async def test_a_move_past_the_triage_deadline_is_refused_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    first = soon(3)
    old_slot = await slot(session, doctor, first)
    too_late = await slot(session, doctor, soon(30))
    booking = await booked_request(client, old_slot)
    request_id = booking["request"]["id"]

    refused = await client.post(
        url(request_id, "move-appointment"), json={"slot_id": too_late, "reason": "Essai"}
    )

    assert refused.status_code == 422
    error = refused.json()["detail"][0]
    assert error["loc"] == ["body", "slot_id"]
    assert error["msg"].startswith("Ce créneau dépasse le délai de consultation fixé au tri")
    detail = (await client.get(f"/api/regulation/requests/{request_id}")).json()
    assert datetime.fromisoformat(detail["consultation_at"]) == first
    assert detail["timeline"][-1]["kind"] != "appointment_moved"
    # Both slots as they were: the old one still booked, the late one still free.
    statuses = {i: s for i, s in (await session.execute(select(Slot.id, Slot.status))).all()}
    assert (statuses[old_slot], statuses[too_late]) == ("booked", "free")


async def test_a_request_without_a_booked_appointment_has_nothing_to_move(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    doctor = await effector(session, "Martin", REDON)
    new_slot = await slot(session, doctor, soon(5))
    body = patient(birth_date=birth_date_for(years=34), answers=ANSWERS)
    created = (await client.post("/api/regulation/requests", json=body)).json()
    response = await client.post(
        url(created["id"], "move-appointment"), json={"slot_id": new_slot, "reason": "Essai"}
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"] == "Cette demande n'a pas de rendez-vous à déplacer."


async def test_referrers_may_not_move_appointments(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.REFERRER)
    response = await client.post(url(1, "move-appointment"), json={"slot_id": 1, "reason": "Essai"})
    assert response.status_code == 403
