"""The GPs' compensation statement: per GP and month, SNP consultations (by consultation date),
fee-eligible acts and hours with slots offered; each GP sees and downloads their own (PDF),
the coordinators get every GP's as a CSV for the accountant."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from indicators.models import IndSupply
from indicators.sync import appointment_values, request_values, write_appointment, write_request
from snp.auth.roles import Role
from tests.agenda.slot_factories import create_effector_with_account
from tests.factories import logged_in_as, login
from tests.indicators import dataset
from tests.indicators.dataset import REDON, Appt, Req, at


async def gp_with_january_activity(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, int]:
    user, effector = await create_effector_with_account(
        session, "docteur@example.fr", family_name="Lenoir"
    )
    monkeypatch.setitem(dataset.EFFECTORS, effector.id, ("10000000009", REDON))
    e = effector.id
    requests = [
        Req(
            501,
            at(2026, 1, 5, 9),
            "patient_call",
            REDON,
            "slot_booked",
            Appt(e, at(2026, 1, 5, 14)),
        ),
        Req(
            502, at(2026, 1, 6, 9), "pharmacist", REDON, "slot_booked", Appt(e, at(2026, 1, 6, 11))
        ),
        Req(
            503,
            at(2026, 1, 7, 9),
            "patient_call",
            REDON,
            "slot_booked",
            Appt(e, at(2026, 1, 7, 10)),
        ),
        # Their own patient: a consultation, not eligible to the SNP fee.
        Req(
            504,
            at(2026, 1, 7, 9),
            "patient_call",
            REDON,
            "slot_booked",
            Appt(e, at(2026, 1, 7, 16), own_patient=True),
        ),
        # Did not come: not a consultation.
        Req(
            505,
            at(2026, 1, 8, 9),
            "patient_call",
            REDON,
            "slot_booked",
            Appt(e, at(2026, 1, 8, 10), "noshow"),
        ),
        # February, by consultation date (the request is of 31 January).
        Req(
            506,
            at(2026, 1, 31, 18),
            "patient_call",
            REDON,
            "slot_booked",
            Appt(e, at(2026, 2, 1, 10)),
        ),
    ]
    for r in requests:
        assert r.appt is not None
        facts = dataset._request_facts(r)
        appt = dataset._appointment_facts(dataset.appointment_id(r.id), r.id, r.appt, r.origin)
        await write_request(session, r.id, request_values(facts, appt))
        await write_appointment(session, appt.appointment_id, appointment_values(appt, facts))
    for hour, offered in ((9, 3), (10, 2), (11, 0)):
        session.add(
            IndSupply(
                effector_id=e,
                commune_insee=REDON,
                day=at(2026, 1, 6, 0).date(),
                hour=hour,
                offered=offered,
                booked=0,
                free=offered,
            )
        )
    await session.commit()
    return user.email, e


async def test_a_gp_sees_and_downloads_their_own_statement(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    email, _ = await gp_with_january_activity(session, monkeypatch)
    await login(client, email)
    statement = await client.get("/api/indicators/my-statement", params={"year": 2026})
    assert statement.status_code == 200, statement.text
    lines = statement.json()["lines"]
    assert len(lines) == 12
    january, february = lines[0], lines[1]
    assert (january["label"], january["consultations"], january["fee_eligible"]) == (
        "janvier 2026",
        4,
        3,
    )
    assert (january["hours_with_slots"], january["slots_offered"]) == (2, 5)
    assert february["consultations"] == 1
    pdf = await client.get("/api/indicators/my-statement.pdf", params={"year": 2026})
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert 'filename="releve-snp-2026.pdf"' in pdf.headers["content-disposition"]
    assert (
        await client.get("/api/indicators/compensation", params={"year": 2026})
    ).status_code == 403


async def test_an_effector_without_a_profile_gets_a_clear_404(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.EFFECTOR)
    response = await client.get("/api/indicators/my-statement", params={"year": 2026})
    assert response.status_code == 404


async def test_the_accountant_csv_lists_every_gp_of_the_month(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, effector_id = await gp_with_january_activity(session, monkeypatch)
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.get(
        "/api/indicators/compensation.csv", params={"year": 2026, "month": 1}
    )
    assert response.status_code == 200
    assert (
        'filename="indemnisation-medecins-2026-01.csv"' in response.headers["content-disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Mois", "Médecin", "Identifiant effecteur", "Consultations SNP"]
    assert rows[1][0] == "01/2026"
    assert "Lenoir" in rows[1][1]
    assert rows[1][2:] == [str(effector_id), "4", "3", "2", "5"]
    assert any(r and r[0].startswith("Consultations SNP :") for r in rows)  # definitions
    pdf = await client.get(
        f"/api/indicators/compensation/{effector_id}/statement.pdf", params={"year": 2026}
    )
    assert pdf.content.startswith(b"%PDF")
    bad = await client.get("/api/indicators/compensation", params={"year": 2026, "month": 13})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "month"]
