"""The handover to the GP (issue 13, point 5): the booked effector sees, for their own
appointments only, the reason for the visit, the priority, the risk factors and triage answers,
the regulator's note and the patient's phone; every read is in the audit trail."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.service.handover import risk_factor_labels
from regulation.service.versions import ensure_default_protocol
from snp import audit
from snp.auth.roles import Role
from snp.db import utcnow
from tests.agenda.slot_factories import book, create_effector_with_account, create_slot, in_days
from tests.factories import create_user, login
from tests.regulation.builders import triaged_request
from tests.regulation.safety_helpers import calm_answers

pytestmark = pytest.mark.usefixtures("communes")
NOTE = "Insuffisant rénal dialysé : examen complet, bilan si fièvre persistante."


async def booked_patient(session: AsyncSession, email: str) -> tuple[str, str, int]:
    """An effector with an account and a regulated patient booked with them tomorrow at 10:00:
    (effector's e-mail, appointment id, request id)."""
    await ensure_default_protocol(session)
    user, effector = await create_effector_with_account(session, email)
    request_id = await triaged_request(
        session,
        now=utcnow(),
        triage_answers=calm_answers() | {"chronic_disease": True},
        regulator_note=NOTE,
        regulator_decision_by_name="Dr Paul Régulateur",
    )
    appointment = await book(
        session, await create_slot(session, effector, in_days(1, 10)), request_id=request_id
    )
    return user.email, appointment.id, request_id


async def test_the_booked_effector_reads_the_handover_of_their_appointment(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    email, appointment_id, request_id = await booked_patient(session, "dr.martin@example.fr")
    await login(client, email)

    response = await client.get(f"/api/regulation/handover/{appointment_id}")

    assert response.status_code == 200, response.text
    handover: dict[str, Any] = response.json()
    assert (handover["request_id"], handover["motif"], handover["motif_label"]) == (
        request_id,
        "fever",
        "Fièvre",
    )
    assert (handover["priority"], handover["phone"], handover["phone_display"]) == (
        "P2",
        "+33612345678",
        "06 12 34 56 78",
    )
    assert (handover["family_name"], handover["age_label"]) == ("Dupont", "34 ans")
    assert (handover["regulator_note"], handover["regulator_name"]) == (NOTE, "Dr Paul Régulateur")
    # The protocol's risk factors answered yes, then the motif's questions with their answers.
    assert handover["risk_factors"] == ["Maladie chronique grave"]
    assert {
        "question": next(
            a["question"] for a in handover["triage_answers"] if "bien tolérée" in a["question"]
        ),
        "answer": "Oui",
    } in handover["triage_answers"]
    assert handover["kind_label"] == "consultation au cabinet"
    reads, _ = await audit.list_entries(session, entity="regulation_request")
    assert [(e.action, e.entity_id) for e in reads if e.actor_email == email] == [
        ("read", str(request_id))
    ]
    appointment_reads, _ = await audit.list_entries(session, entity="appointment")
    assert (email, "read") in [(e.actor_email, e.action) for e in appointment_reads]


async def test_another_effector_gets_404_and_other_roles_403(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, appointment_id, _ = await booked_patient(session, "dr.martin@example.fr")
    other, _ = await create_effector_with_account(session, "dr.autre@example.fr")
    await login(client, other.email)
    response = await client.get(f"/api/regulation/handover/{appointment_id}")
    assert response.status_code == 404
    assert response.json()["detail"][0]["msg"] == "Rendez-vous introuvable."
    reads, _ = await audit.list_entries(session, entity="regulation_request")
    assert [e for e in reads if e.actor_email == other.email] == []
    operator = await create_user(session, Role.OPERATOR, email="osnp@example.fr")
    await login(client, operator.email)
    assert (await client.get(f"/api/regulation/handover/{appointment_id}")).status_code == 403


async def test_a_cancelled_appointment_has_no_handover(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    email, appointment_id, _ = await booked_patient(session, "dr.martin@example.fr")
    await agenda.cancel(session, appointment_id, by="patient", reason="Guéri")
    await session.commit()
    await login(client, email)
    response = await client.get(f"/api/regulation/handover/{appointment_id}")
    assert response.status_code == 409
    assert response.json()["detail"][0]["msg"].startswith("Rendez-vous annulé")


def test_risk_factors_are_those_of_the_protocol_answered_yes() -> None:
    factors = [
        SimpleNamespace(id="anticoagulant", label="Sous anticoagulant"),
        SimpleNamespace(id="pregnancy", label="Enceinte"),
    ]
    document: Any = SimpleNamespace(risk_factors=factors)
    answers = {"anticoagulant": True, "pregnancy": False}
    assert risk_factor_labels(document, answers) == ["Sous anticoagulant"]
    assert risk_factor_labels(SimpleNamespace(), answers) == []  # type: ignore[arg-type]
