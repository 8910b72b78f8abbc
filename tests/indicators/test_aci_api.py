"""The ACI contract through the API: coordinators save it (every version kept and audited),
bad contracts are refused with the field named, national figures are entered or imported
(all or nothing) with source and date, and a contract year shows each indicator's value,
attainment and the money, the platform's figures agreeing with the dashboard's."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth.roles import Role
from tests.factories import logged_in_as
from tests.indicators import dataset


def indicator(year: int, code: str, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "contract_year": year,
        "code": code,
        "label": f"Indicateur {code}",
        "definition": "Définition écrite au contrat.",
        "calculation": "Modalités de calcul écrites au contrat.",
        "source": "entered",
        "metric": None,
        "baseline": 80,
        "target": 70,
        "weight": 50,
        "direction": "decreasing",
    }
    return base | overrides


def consultations(year: int, baseline: float, target: float, weight: float = 50) -> dict[str, Any]:
    return indicator(
        year,
        "national_5",
        label="Consultations enregistrées dans l'organisation SNP",
        source="platform",
        metric="snp_consultations",
        baseline=baseline,
        target=target,
        weight=weight,
        direction="increasing",
    )


def contract(*indicators: dict[str, Any], size: int = 2) -> dict[str, Any]:
    return {
        "signed_on": "2025-01-01",
        "cpts_size": size,
        "operator_hour_cost": 30,
        "indicators": list(indicators),
    }


async def test_saving_the_contract_keeps_every_version_and_audits_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    missing = await client.get("/api/indicators/aci/contract")
    assert missing.status_code == 404
    first = contract(consultations(1, 2, 4), indicator(1, "national_3"))
    saved = await client.put("/api/indicators/aci/contract", json=first)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert (body["version"], body["cpts_size"], body["amounts"]["access_fixed"]) == (1, 2, 17500)
    assert [(y["year"], y["start"], y["end"]) for y in body["years"][:2]] == [
        (1, "2025-01-01", "2025-12-31"),
        (2, "2026-01-01", "2026-12-31"),
    ]
    second = contract(consultations(1, 2, 6), indicator(1, "national_3"))
    assert (await client.put("/api/indicators/aci/contract", json=second)).json()["version"] == 2

    versions = (await client.get("/api/indicators/aci/contract/versions")).json()
    assert [v["version"] for v in versions] == [2, 1]
    targets = [v["contract"]["indicators"][0]["target"] for v in versions]
    assert targets == [6, 4]  # the first version's target is kept as it was
    audited = await session.scalars(select(AuditEntry).where(AuditEntry.entity == "aci_contract"))
    assert [e.detail for e in audited] == ["version 1", "version 2"]


async def test_a_bad_contract_is_refused_with_the_field_named(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    url = "/api/indicators/aci/contract"
    weights = await client.put(
        url, json=contract(consultations(1, 2, 4, weight=40), indicator(1, "n3"))
    )
    assert weights.status_code == 422
    assert "90 %" in weights.json()["detail"][0]["msg"]
    upside_down = await client.put(
        url, json=contract(indicator(1, "national_3", baseline=70, target=80, weight=100))
    )
    assert upside_down.status_code == 422
    assert upside_down.json()["detail"][0]["loc"][:3] == ["body", "indicators", 0]
    twice = await client.put(url, json=contract(indicator(1, "n3"), indicator(1, "n3")))
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["loc"] == ["body", "indicators", 1, "code"]
    size = await client.put(url, json=contract(indicator(1, "n3", weight=100), size=5))
    assert size.status_code == 422
    assert size.json()["detail"][0]["loc"] == ["body", "cpts_size"]
    assert (await client.get(url)).status_code == 404  # nothing half-written


async def test_a_final_year_with_a_missing_national_figure_then_imported(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    seen_2025 = (
        await client.get(
            "/api/indicators/dashboard", params={"start": "2025-01-01", "end": "2025-12-31"}
        )
    ).json()["national"]["consultations"]
    assert seen_2025 > 0
    # The platform indicator is set so that 2025's consultations are exactly halfway.
    saved = await client.put(
        "/api/indicators/aci/contract",
        json=contract(consultations(1, seen_2025 - 2, seen_2025 + 2), indicator(1, "national_3")),
    )
    assert saved.status_code == 200, saved.text

    year = (await client.get("/api/indicators/aci/years/1")).json()
    assert (year["status"], year["partial"], year["data_until"]) == ("final", False, "2025-12-31")
    by_code = {i["code"]: i for i in year["indicators"]}
    platform, national = by_code["national_5"], by_code["national_3"]
    assert (platform["value"], platform["attainment_percent"]) == (seen_2025, 50.0)
    assert (national["value"], national["attainment_percent"], national["missing"]) == (
        None,
        None,
        True,
    )
    assert year["missing_figures"] == ["Indicateur national_3"]
    money = year["money"]
    assert money["variable_earned"] == 17500 * 0.5 * 0.5
    assert (money["advance"], money["advance_date"]) == (13125, "2025-01-01")
    assert money["balance_due_by"] == "2026-03-01"
    assert year["projected_money"] is None

    header = "indicateur;annee_contrat;valeur;source;date\n"
    bad = header + "national_3;1;72,0;CPAM;01/02/2026\nnational_1;x;1;CPAM;01/02/2026\n"
    refused = await client.post(
        "/api/indicators/aci/figures/import", files={"file": ("chiffres.csv", bad.encode())}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("Ligne 3")
    assert (await client.get("/api/indicators/aci/figures")).json() == []  # all or nothing

    good = "\ufeff" + header + "national_3;1;72,0;CPAM d'Ille-et-Vilaine;01/02/2026\n"
    imported = await client.post(
        "/api/indicators/aci/figures/import", files={"file": ("chiffres.csv", good.encode())}
    )
    assert imported.json() == {"imported": 1}
    year = (await client.get("/api/indicators/aci/years/1")).json()
    national = {i["code"]: i for i in year["indicators"]}["national_3"]
    assert (national["value"], national["attainment_percent"]) == (72, 80.0)
    assert national["value_origin"] == "CPAM d'Ille-et-Vilaine, chiffre au 01/02/2026"
    assert year["missing_figures"] == []
    assert year["money"]["variable_earned"] == 17500 * (0.5 * 0.5 + 0.5 * 0.8)


async def test_a_live_year_is_projected_at_this_pace(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    body = contract(consultations(1, 0, 10, weight=100)) | {"signed_on": "2026-06-01"}
    assert (await client.put("/api/indicators/aci/contract", json=body)).status_code == 200
    year = (await client.get("/api/indicators/aci/years/1")).json()
    assert (year["status"], year["partial"]) == ("live", True)
    assert year["projected_money"] is not None
    assert (await client.get("/api/indicators/aci/years/9")).status_code == 422


async def test_operator_hours_give_the_cost_per_request(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    await client.put("/api/indicators/aci/contract", json=contract(indicator(1, "n3", weight=100)))
    requests_march = (
        await client.get(
            "/api/indicators/dashboard", params={"start": "2025-03-01", "end": "2025-03-31"}
        )
    ).json()["requests"]["total"]
    saved = await client.put(
        "/api/indicators/aci/operator-hours", json={"month": "2025-03-17", "hours": 10}
    )
    assert saved.status_code == 200, saved.text
    envelope = (await client.get("/api/indicators/aci/orientation", params={"year": 1})).json()
    assert envelope["envelope"] == 45000  # size 2
    march = envelope["months"][2]
    assert (march["month"], march["operator_hours"], march["cost"]) == ("2025-03-01", 10, 300)
    assert march["requests_handled"] == requests_march
    assert march["cost_per_request"] == round(300 / requests_march, 2)
    assert (envelope["spent"], envelope["remaining"]) == (300, 44700)
    negative = await client.put(
        "/api/indicators/aci/operator-hours", json={"month": "2025-03-01", "hours": -1}
    )
    assert negative.status_code == 422
    assert negative.json()["detail"][0]["loc"] == ["body", "hours"]


async def test_every_platform_measure_is_the_dashboards_figure(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    measures = ("snp_consultations", "ed_visits_avoided", "requests_handled", "slots_offered")
    body = contract(
        *(
            indicator(
                1,
                m,
                source="platform",
                metric=m,
                baseline=0,
                target=1000,
                weight=25,
                direction="increasing",
            )
            for m in measures
        )
    )
    assert (await client.put("/api/indicators/aci/contract", json=body)).status_code == 200
    year = (await client.get("/api/indicators/aci/years/1")).json()
    values = {i["code"]: i["value"] for i in year["indicators"]}
    d = (
        await client.get(
            "/api/indicators/dashboard", params={"start": "2025-01-01", "end": "2025-12-31"}
        )
    ).json()
    assert values == {
        "snp_consultations": d["national"]["consultations"],
        "ed_visits_avoided": d["emergency"]["ed_visits_avoided"],
        "requests_handled": d["requests"]["total"],
        "slots_offered": d["slots"]["offered"],
    }
