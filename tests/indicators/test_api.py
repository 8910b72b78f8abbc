"""The indicators API: coordinators only, clear 4xx on bad filters, the pseudonymised
drill-down, CSV (`;`, UTF-8 BOM) and XLSX exports, identity only on request and traced."""

from __future__ import annotations

import csv
import io

import httpx
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.factories import logged_in_as
from tests.indicators import dataset

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


async def test_only_coordinators_see_indicators(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    assert (await client.get("/api/indicators/dashboard", params=YEAR)).status_code == 401
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.get("/api/indicators/dashboard", params=YEAR)).status_code == 403


async def test_dashboard_and_bad_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await dataset.load(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.get("/api/indicators/dashboard", params=YEAR | {"origin": "sas"})
    assert response.status_code == 200, response.text
    assert response.json()["requests"]["total"] == 1
    # The SAS request's patient did not come; the SAS booking without a request was seen.
    assert response.json()["national"]["consultations"] == 1
    assert (response.json()["slots"]["fulfilled"], response.json()["slots"]["noshow"]) == (1, 1)

    reversed_period = await client.get(
        "/api/indicators/dashboard", params={"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert reversed_period.status_code == 422
    assert reversed_period.json()["detail"][0]["loc"] == ["query", "end"]
    bad_commune = await client.get("/api/indicators/dashboard", params=YEAR | {"commune": "12"})
    assert bad_commune.status_code == 422
    assert bad_commune.json()["detail"][0]["loc"] == ["query", "commune"]
    missing = await client.get("/api/indicators/dashboard", params={"start": "2026-01-01"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["query", "end"]


async def test_drill_down_is_pseudonymised_and_paginated(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    page = await client.get(
        "/api/indicators/records",
        params={"start": "2026-01-01", "end": "2026-01-31", "limit": 5, "offset": 5},
    )
    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["total"], body["offset"], len(body["items"])) == (7, 5, 2)
    assert [i["pseudonym"] for i in body["items"]] == ["R-000015", "R-000016"]
    assert set(body["items"][0]) >= {"age_band", "outcome", "received_at"}
    assert not {"family_name", "phone", "birth_date"} & set(body["items"][0])


async def test_csv_export_with_french_headers(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.get(
        "/api/indicators/export.csv", params=YEAR | {"table": "requests_by_origin"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        "indicateurs-demandes-par-origine-2026-01-01-2026-12-31.csv"
        in (response.headers["content-disposition"])
    )
    rows = read_csv(response)
    assert rows[0] == ["Origine", "Nombre"]
    assert ["Appel du patient", "36"] in rows
    assert ["Service des urgences", "4"] in rows

    delays = read_csv(
        await client.get("/api/indicators/export.csv", params=YEAR | {"table": "delays"})
    )
    assert ["Part vue dans les 24 h (%)", "83,3"] in delays  # French decimal comma

    records = read_csv(
        await client.get("/api/indicators/export.csv", params=YEAR | {"table": "records"})
    )
    assert records[0][:2] == ["Pseudonyme", "Reçue le"]
    assert "Nom" not in records[0]
    assert len(records) == 48
    assert records[1][0] == "R-000010"
    assert records[1][1] == "05/01/2026 09:00"  # Paris time


async def test_every_table_exports_as_xlsx(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    from indicators.exports import TABLES

    for table in TABLES:
        response = await client.get("/api/indicators/export.xlsx", params=YEAR | {"table": table})
        assert response.status_code == 200, (table, response.text)
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        assert sheet.max_row >= 2, table
    effectors = load_workbook(
        io.BytesIO(
            (
                await client.get(
                    "/api/indicators/export.xlsx", params=YEAR | {"table": "effectors"}
                )
            ).content
        )
    ).active
    assert effectors is not None
    assert next(c.value for c in effectors[1]) == "Effecteur"
    assert sorted(int(str(row[5])) for row in effectors.iter_rows(min_row=2, values_only=True)) == [
        2,
        6,
        21,
    ]
    unknown = await client.get("/api/indicators/export.xlsx", params=YEAR | {"table": "nope"})
    assert unknown.status_code == 422


async def test_identity_only_on_request_and_traced(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    refused = await client.get(
        "/api/indicators/export.csv",
        params=YEAR | {"table": "national", "with_identity": "true"},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["query", "with_identity"]
    traced = select(AuditEntry).where(AuditEntry.entity == "indicators")
    assert (await session.scalars(traced)).all() == []

    records = {"start": "2026-01-01", "end": "2026-01-31", "table": "records"}
    no_reason = await client.get(
        "/api/indicators/export.csv",
        params=records | {"with_identity": "true", "origin": "pharmacist"},
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["detail"][0]["loc"] == ["query", "reason"]
    asked = await client.get(
        "/api/indicators/export.csv",
        params=records
        | {"with_identity": "true", "origin": "pharmacist", "reason": "Réclamation n° 12"},
    )
    assert asked.status_code == 200, asked.text
    rows = read_csv(asked)
    assert rows[0][-4:] == ["Nom", "Prénom", "Date de naissance", "Téléphone"]
    assert len(rows) == 3
    # The read model's dataset has no regulation rows behind it: identity columns stay empty.
    assert rows[1][-4:] == ["", "", "", ""]
    entries = (await session.scalars(traced)).all()
    assert [(e.action, e.entity, e.entity_id) for e in entries] == [
        ("export_identity", "indicators", "records")
    ]
    assert entries[0].detail is not None
    assert '"origin":"pharmacist"' in entries[0].detail
    assert '"rows":2' in entries[0].detail  # how many people's identity left
    assert '"reason":"Réclamation n° 12"' in entries[0].detail


async def test_consultations_export_tells_the_snp_fee_of_each_consultation(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await logged_in_as(client, session, Role.COORDINATOR)
    rows = read_csv(
        await client.get("/api/indicators/export.csv", params=YEAR | {"table": "consultations"})
    )
    assert rows[0][0] == "Consultation le"
    assert rows[0][-1] == "Majoration SNP"
    fees = [row[-1] for row in rows[1:]]
    assert len(fees) == 35
    assert fees.count("Éligible") == 29
    assert fees.count("Non : patient du médecin traitant") == 1
    assert fees.count("Non : hors délai de 48 h ou sans régulation") == 2
    assert fees.count("Non : plafond hebdomadaire atteint") == 3
    sunday = next(row for row in rows if row[2] == "R-000122")
    assert (sunday[0], sunday[-1]) == ("21/06/2026 23:40", "Non : plafond hebdomadaire atteint")
    monday = next(row for row in rows if row[2] == "R-000123")
    assert (monday[0], monday[-1]) == ("22/06/2026 00:10", "Éligible")
    direct = next(row for row in rows if row[2] == "")
    assert direct[-1] == "Non : hors délai de 48 h ou sans régulation"
