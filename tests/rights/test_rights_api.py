"""The patients' rights page (coordinators): find one person, export everything about them and
nobody else, correct their identity after closing, erase them where the law allows — each
action audited with its reason, each refusal a clear French 4xx."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment
from notifications.models import InboundMessage, OptOut, OutboxMessage
from regulation.models import RegulationRequest
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from telephony.models import CallbackTask, PhoneCall
from tests.agenda.slot_factories import create_effector, create_slot
from tests.factories import create_user, login
from tests.regulation.test_booking_journey import ANSWERS
from tests.regulation.test_privacy import traces_left

FAMILY, GIVEN, BIRTH = "Zorglubienne", "Élodie", "1986-03-14"
PHONE_E164 = "+33698765432"
CHILD_FAMILY, CHILD_GIVEN = "Brokovitch", "Théo"  # same mobile (his mother's), another person
STRANGER = "+33611223344"
REASON = "Demande d'accès reçue par courrier, réf. DA-2026-07"


def intake(family: str, given: str, birth: str, **extra: Any) -> dict[str, Any]:
    return {
        "family_name": family,
        "given_name": given,
        "birth_date": birth,
        "sex": "female",
        "phone": "06 98 76 54 32",
        "address_line": "12 impasse Secrète",
        "latitude": 47.65,
        "longitude": -2.08,
        "notes": "Note-privee-de-la-patiente",
        "motif": "fever",
        "sms_consent": True,
        "answers": ANSWERS,
        **extra,
    }


async def new_request(client: httpx.AsyncClient, body: dict[str, Any]) -> int:
    created = await client.post("/api/regulation/requests", json=body)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


async def book(client: httpx.AsyncClient, session: AsyncSession, request_id: int) -> str:
    effector = await create_effector(session)
    slot = await create_slot(session, effector, utcnow().replace(microsecond=0) + timedelta(days=1))
    path = f"/api/regulation/requests/{request_id}"
    assert (await client.post(f"{path}/hold", json={"slot_id": slot.id})).status_code == 200
    booked = await client.post(f"{path}/confirm", json={"slot_id": slot.id})
    assert booked.status_code == 201, booked.text
    return str(booked.json()["appointment"]["id"])


async def close_in_the_past(session: AsyncSession, request_id: int, appointment_id: str) -> None:
    """The consultation took place last week and the request is closed."""
    last_week = utcnow() - timedelta(days=7)
    await session.execute(
        update(Appointment)
        .where(Appointment.id == appointment_id)
        .values(start_at=last_week, end_at=last_week + timedelta(minutes=20), status="fulfilled")
    )
    await session.execute(
        update(RegulationRequest)
        .where(RegulationRequest.id == request_id)
        .values(status="closed", outcome="slot_booked", closed_at=last_week)
    )
    await session.commit()


async def as_coordinator(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await create_user(session, Role.COORDINATOR, email="coord@example.fr")
    await login(client, "coord@example.fr")


async def the_family(client: httpx.AsyncClient, session: AsyncSession) -> tuple[int, int, str]:
    """The mother (a booked request) and her son on her mobile; returns their request ids and
    the mother's appointment id. The client ends logged in as the coordinator."""
    await create_user(session, Role.OPERATOR, email="op@example.fr")
    await login(client, "op@example.fr")
    mother = await new_request(client, intake(FAMILY, GIVEN, BIRTH))
    appointment = await book(client, session, mother)
    child = await new_request(
        client, intake(CHILD_FAMILY, CHILD_GIVEN, "2019-05-02", address_line="3 rue du Port")
    )
    await as_coordinator(client, session)
    return mother, child, appointment


def her_calls(request_id: int | None = None) -> list[PhoneCall | CallbackTask]:
    """Two calls from her mobile: one taken that became her request, one abandoned yesterday
    evening, whose callback task is still open; and a stranger's call."""
    yesterday = utcnow().replace(microsecond=0) - timedelta(days=1)
    return [
        PhoneCall(
            sid="CA-rights-1",
            from_number=PHONE_E164,
            state="ended",
            arrived_at=yesterday,
            answered_at=yesterday + timedelta(seconds=20),
            ended_at=yesterday + timedelta(minutes=6),
            wait_seconds=20,
            duration_seconds=340,
            outcome="request_created",
            request_id=request_id,
        ),
        PhoneCall(
            sid="CA-rights-2",
            from_number=PHONE_E164,
            state="ended",
            arrived_at=yesterday + timedelta(hours=3),
            ended_at=yesterday + timedelta(hours=3, seconds=95),
            wait_seconds=95,
            outcome="abandoned",
        ),
        CallbackTask(
            from_number=PHONE_E164,
            reason="abandoned",
            first_call_at=yesterday + timedelta(hours=3),
            last_call_at=yesterday + timedelta(hours=3),
        ),
        PhoneCall(
            sid="CA-rights-3",
            from_number=STRANGER,
            state="ended",
            arrived_at=yesterday,
            ended_at=yesterday + timedelta(minutes=2),
            wait_seconds=5,
            outcome="advice_only",
        ),
    ]


async def numbers_on_the_line(session: AsyncSession) -> list[str]:
    calls = await session.scalars(select(PhoneCall.from_number).order_by(PhoneCall.id))
    tasks = await session.scalars(select(CallbackTask.from_number).order_by(CallbackTask.id))
    return [*calls, *tasks]


async def audit_of(session: AsyncSession, action: str) -> list[AuditEntry]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    )
    return list(rows)


# -- find -------------------------------------------------------------------------------------


async def test_find_by_name_and_birth_date_ignores_case_and_accents(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, _ = await the_family(client, session)
    found = await client.post(
        "/api/rights/search",
        json={
            "family_name": "ZORGLUBIENNE",
            "given_name": "elodie",
            "birth_date": BIRTH,
            "reason": REASON,
        },
    )
    assert found.status_code == 200, found.text
    assert [r["id"] for r in found.json()["requests"]] == [mother]
    assert found.json()["requests"][0]["erase_refusal"].startswith(f"Demande n° {mother}")
    entries = await audit_of(session, "rights_search")
    assert {(e.entity_id, e.actor_email) for e in entries if e.entity == "regulation_request"} == {
        (str(mother), "coord@example.fr")
    }
    assert all(REASON in (e.detail or "") for e in entries)
    assert child  # the son was not found by his mother's name


async def test_find_by_phone_lists_every_request_on_that_number(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, _ = await the_family(client, session)
    session.add(OptOut(phone=PHONE_E164, keyword="STOP"))
    await session.commit()
    found = await client.post(
        "/api/rights/search", json={"phone": "06.98.76.54.32", "reason": REASON}
    )
    assert found.status_code == 200, found.text
    assert sorted(r["id"] for r in found.json()["requests"]) == sorted([mother, child])
    assert found.json()["phone"] == PHONE_E164
    assert found.json()["opted_out"] is True


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"family_name": FAMILY, "reason": REASON}, "phone", "date de naissance"),
        ({"phone": "06 98 76 54 32"}, "reason", ""),
        ({"phone": "06 98 76 54 32", "reason": "vu"}, "reason", ""),
        ({"phone": "not a phone", "reason": REASON}, "phone", ""),
        (
            {"phone": "06 98 76 54 32", "reason": "Appel de la patiente au 0698765432"},
            "reason",
            "ni le nom ni le numéro",
        ),
        (
            {"family_name": FAMILY, "birth_date": BIRTH, "reason": f"Courrier de Mme {FAMILY}"},
            "reason",
            "ni le nom ni le numéro",
        ),
    ],
)
async def test_a_search_needs_criteria_and_a_reason_naming_nobody(
    client: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any], field: str, words: str
) -> None:
    await as_coordinator(client, session)
    refused = await client.post("/api/rights/search", json=body)
    assert refused.status_code == 422, refused.text
    detail = refused.json()["detail"]
    assert any(d["loc"][-1] == field and words in d["msg"] for d in detail), detail
    assert await audit_of(session, "rights_search") == []


async def test_only_coordinators_reach_the_rights_page(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    calls = [
        ("POST", "/api/rights/search", {"phone": "0698765432", "reason": REASON}),
        ("POST", "/api/rights/export", {"phone": "0698765432", "reason": REASON}),
        ("POST", "/api/rights/document", {"phone": "0698765432", "reason": REASON}),
        ("PATCH", "/api/rights/requests/1", {"family_name": "X", "reason": REASON}),
        ("POST", "/api/rights/erase", {"phone": "0698765432", "reason": REASON}),
    ]
    for role in Role:
        await create_user(session, role)
        await login(client, f"{role.value}@example.fr")
        for method, path, body in calls:
            response = await client.request(method, path, json=body)
            if role == Role.COORDINATOR:
                assert response.status_code in (200, 404), (path, response.text)
            else:
                assert response.status_code == 403, (role, path, response.status_code)


# -- export -----------------------------------------------------------------------------------


async def test_the_export_holds_everything_about_the_person_and_nobody_else(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, appointment = await the_family(client, session)
    session.add_all(
        [
            InboundMessage(provider_sid="SM-r-1", sender=PHONE_E164, body="Merci pour le RDV"),
            InboundMessage(
                provider_sid="SM-r-2",
                sender=PHONE_E164,
                body="Théo a encore de la fièvre",
                request_id=child,
            ),
        ]
    )
    await session.commit()
    body = {"request_ids": [mother], "phone": PHONE_E164, "reason": REASON}
    exported = await client.post("/api/rights/export", json=body)
    assert exported.status_code == 200, exported.text
    records = exported.json()
    [request] = records["requests"]
    assert (request["id"], request["family_name"], request["given_name"]) == (mother, FAMILY, GIVEN)
    assert request["triage_answers"]
    assert request["notes"] == "Note-privee-de-la-patiente"
    assert request["timeline"]
    assert [a["id"] for a in records["appointments"]] == [appointment]
    patient_sms = [m for m in records["sms_sent"] if m["audience"] == "patient"]
    assert patient_sms
    assert all(m["recipient"] == PHONE_E164 for m in patient_sms)
    assert all(m["recipient"] is None for m in records["sms_sent"] if m["audience"] != "patient")
    assert [m["body"] for m in records["sms_received"]] == ["Merci pour le RDV"]
    assert {"create", "read", "rights_export"} <= {e["action"] for e in records["accesses"]}
    text = json.dumps(records, ensure_ascii=False)
    for other in (CHILD_FAMILY, CHILD_GIVEN, "Théo a encore"):
        assert other not in text
    [entry] = [e for e in await audit_of(session, "rights_export")]
    assert entry.entity_id == str(mother)
    assert REASON in (entry.detail or "")
    assert "json" in (entry.detail or "")


async def test_the_readable_document_is_french_and_names_only_the_person(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, _, _ = await the_family(client, session)
    body = {"request_ids": [mother], "reason": REASON}
    document = await client.post("/api/rights/document", json=body)
    assert document.status_code == 200, document.text
    assert document.headers["content-type"].startswith("text/html")
    assert "attachment" in document.headers["content-disposition"]
    html = document.text
    assert "Vos données personnelles" in html
    assert "Vos rendez-vous" in html
    assert FAMILY in html
    assert "06 98 76 54 32" in html
    assert CHILD_FAMILY not in html
    assert [e.detail for e in await audit_of(session, "rights_export")] == [
        f"reason={REASON} (export document)"
    ]


async def test_an_export_of_an_unknown_request_is_a_404_and_leaves_no_trace(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, _, _ = await the_family(client, session)
    missing = await client.post(
        "/api/rights/export", json={"request_ids": [mother, 999_999], "reason": REASON}
    )
    assert missing.status_code == 404
    assert missing.json()["detail"][0]["msg"] == "Demande introuvable : n° 999999."
    assert await audit_of(session, "rights_export") == []
    nobody = await client.post("/api/rights/export", json={"request_ids": [], "reason": REASON})
    assert nobody.status_code == 422
    assert nobody.json()["detail"][0]["loc"] == ["body", "request_ids"]


# -- rectify ----------------------------------------------------------------------------------


async def test_a_closed_request_is_corrected_and_its_appointment_label_follows(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, _, appointment = await the_family(client, session)
    await close_in_the_past(session, mother, appointment)
    corrected = await client.patch(
        f"/api/rights/requests/{mother}",
        json={
            "given_name": "Amélie",
            "birth_date": "1968-03-14",
            "phone": "07 81 22 33 44",
            "reason": REASON,
        },
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["birth_date"] == "1968-03-14"
    assert corrected.json()["phone"] == "+33781223344"
    row = await session.get(RegulationRequest, mother, populate_existing=True)
    assert row is not None
    assert row.status == "closed"
    assert row.given_name == "Amélie"
    label = await session.scalar(
        select(Appointment.patient_label).where(Appointment.id == appointment)
    )
    assert label is not None
    assert label.startswith("A.Z. 5")
    [entry] = await audit_of(session, "rectify")
    assert entry.detail == f"fields=birth_date,given_name,phone;reason={REASON}"


async def test_corrections_keep_the_clinical_rules_and_the_reason_rules(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, _ = await the_family(client, session)
    booked = await client.patch(
        f"/api/rights/requests/{mother}", json={"birth_date": "1968-03-14", "reason": REASON}
    )
    # Booked for tomorrow (the request closes at booking): the age changes through a
    # cancellation only, so that the request goes back to triage.
    assert booked.status_code == 409
    assert "annulez-le" in booked.json()["detail"][0]["msg"]
    naming = await client.patch(
        f"/api/rights/requests/{child}",
        json={"family_name": "Durand", "reason": "Changement de nom : Durand"},
    )
    assert naming.status_code == 422
    assert naming.json()["detail"][0]["loc"] == ["body", "reason"]
    empty = await client.patch(
        f"/api/rights/requests/{child}", json={"family_name": "", "reason": REASON}
    )
    assert empty.status_code == 422
    assert await audit_of(session, "rectify") == []


# -- erase ------------------------------------------------------------------------------------


async def test_erasure_is_refused_while_the_law_requires_keeping(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, _ = await the_family(client, session)
    refused = await client.post(
        "/api/rights/erase", json={"request_ids": [mother, child], "reason": REASON}
    )
    assert refused.status_code == 409
    messages = [d["msg"] for d in refused.json()["detail"]]
    assert len(messages) == 2
    assert any("encore en cours" in m for m in messages)
    await session.execute(
        update(RegulationRequest)
        .where(RegulationRequest.id == mother)
        .values(status="closed", outcome="slot_booked", closed_at=utcnow())
    )
    await session.commit()
    upcoming = await client.post(
        "/api/rights/erase", json={"request_ids": [mother], "reason": REASON}
    )
    assert upcoming.status_code == 409
    assert "rendez-vous encore à venir" in upcoming.json()["detail"][0]["msg"]
    row = await session.get(RegulationRequest, mother, populate_existing=True)
    assert row is not None
    assert row.family_name == FAMILY
    assert row.pseudonymised_at is None
    assert await audit_of(session, "erase") == []


async def test_after_an_erasure_no_table_holds_the_person_but_the_son_stays(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, appointment = await the_family(client, session)
    await close_in_the_past(session, mother, appointment)
    session.add_all(
        [
            InboundMessage(provider_sid="SM-e-1", sender=PHONE_E164, body=f"{FAMILY} : merci"),
            OptOut(phone=PHONE_E164, keyword="STOP"),
        ]
    )
    await session.execute(update(OutboxMessage).values(status="sent"))
    await session.commit()
    traces = [FAMILY, "Élodie", "impasse Secrète"]
    assert await traces_left(session, traces)

    erased = await client.post(
        "/api/rights/erase", json={"request_ids": [mother], "reason": REASON}
    )
    assert erased.status_code == 200, erased.text
    assert erased.json()["erased_request_ids"] == [mother]
    assert erased.json()["sms_erased"] >= 1  # her SMS; those of her request went with it
    assert any("STOP" in kept for kept in erased.json()["kept"])
    assert await traces_left(session, traces) == []
    son = await session.get(RegulationRequest, child, populate_existing=True)
    assert son is not None
    assert son.family_name == CHILD_FAMILY
    assert son.phone == PHONE_E164
    assert await session.get(OptOut, PHONE_E164) is not None  # the objection still holds
    entries = await audit_of(session, "erase")
    assert {e.entity_id for e in entries} == {str(mother), "sms", "calls"}
    assert all(REASON in (e.detail or "") for e in entries)
    again = await client.post("/api/rights/search", json={"phone": PHONE_E164, "reason": REASON})
    assert [r["id"] for r in again.json()["requests"]] == [child]


async def test_an_erased_request_exports_what_is_left_and_nobody_elses_blanked_sms(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, _, appointment = await the_family(client, session)
    await close_in_the_past(session, mother, appointment)
    erased = await client.post(
        "/api/rights/erase", json={"request_ids": [mother], "reason": REASON}
    )
    assert erased.status_code == 200, erased.text
    # Someone else's auto-reply, blanked long ago by retention: the placeholder number is nobody's.
    session.add(
        OutboxMessage(
            idempotency_key="pseudonymised:someone-else",
            recipient="+33000000000",
            audience="patient",
            template="reponse_incomprise",
            body="[SMS effacé : données pseudonymisées]",
            status="sent",
            next_attempt_at=utcnow(),
        )
    )
    await session.commit()
    exported = await client.post(
        "/api/rights/export", json={"request_ids": [mother], "reason": REASON}
    )
    assert exported.status_code == 200, exported.text
    [request] = exported.json()["requests"]
    assert request["family_name"] == "Patient pseudonymisé"
    assert request["notes"] is None
    sent = exported.json()["sms_sent"]
    assert sent  # her own SMS, blanked
    assert all(m["request_id"] == mother or m["request_id"] is None for m in sent)
    assert [m for m in sent if m["template"] == "reponse_incomprise"] == []


# -- the phone line ---------------------------------------------------------------------------


async def test_her_calls_to_the_line_are_found_exported_and_their_number_erased(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    mother, child, appointment = await the_family(client, session)
    await close_in_the_past(session, mother, appointment)
    session.add_all(her_calls(mother))
    await session.commit()

    found = await client.post("/api/rights/search", json={"phone": PHONE_E164, "reason": REASON})
    assert found.status_code == 200, found.text
    assert found.json()["calls"] == 2

    body = {"request_ids": [mother], "phone": PHONE_E164, "reason": REASON}
    exported = await client.post("/api/rights/export", json=body)
    assert exported.status_code == 200, exported.text
    calls = exported.json()["calls"]
    assert [(c["outcome"], c["request_id"], c["wait_seconds"]) for c in calls] == [
        ("request_created", mother, 20),
        ("abandoned", None, 95),
    ]
    assert {c["number"] for c in calls} == {PHONE_E164}
    assert STRANGER not in json.dumps(exported.json())
    html = (await client.post("/api/rights/document", json=body)).text
    assert "Vos appels au numéro de la CPTS" in html
    assert "demande enregistrée" in html
    assert "raccroché pendant" in html
    assert "1 min 35 s" in html
    assert "06 11 22 33 44" not in html

    erased = await client.post("/api/rights/erase", json=body)
    assert erased.status_code == 200, erased.text
    assert erased.json()["calls_erased"] == 3  # two calls and the task
    assert any("journal des appels" in kept for kept in erased.json()["kept"])
    assert await numbers_on_the_line(session) == ["erased", "erased", STRANGER, "erased"]
    telephony_tables = {"phone_calls", "call_callback_tasks", "operator_presence"}
    left = await traces_left(session, [PHONE_E164, "698765432"])
    assert [t for t in left if t[0] in telephony_tables] == []
    task = (await session.scalars(select(CallbackTask))).one()
    assert (task.state, task.done_at is not None) == ("done", True)  # nobody to call back
    kept = (await session.scalars(select(PhoneCall).where(PhoneCall.sid == "CA-rights-1"))).one()
    assert (kept.outcome, kept.wait_seconds, kept.duration_seconds) == ("request_created", 20, 340)
    [entry] = [e for e in await audit_of(session, "erase") if e.entity_id == "calls"]
    assert entry.detail == f"requests=1;calls=3;reason={REASON}"
    again = await client.post("/api/rights/search", json={"phone": PHONE_E164, "reason": REASON})
    assert again.json()["calls"] == 0
    assert [r["id"] for r in again.json()["requests"]] == [child]


async def test_a_number_alone_is_erased_from_the_line_and_audited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await as_coordinator(client, session)
    session.add_all(her_calls())
    await session.commit()
    erased = await client.post("/api/rights/erase", json={"phone": PHONE_E164, "reason": REASON})
    assert erased.status_code == 200, erased.text
    assert (erased.json()["erased_request_ids"], erased.json()["calls_erased"]) == ([], 3)
    assert await numbers_on_the_line(session) == ["erased", "erased", STRANGER, "erased"]
    assert {e.entity_id for e in await audit_of(session, "erase")} == {"sms", "calls"}
