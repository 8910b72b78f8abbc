"""Browser journey of the coordinators' « Droits des patients » page: find a patient by phone,
export her records (readable document and JSON), correct the birth date of her closed request,
then erase another person — every action with its reason.

It creates its own two patients on the shared demo server (closed requests, unusual names)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_regulation import api, heading, login
from tests.regulation.test_booking_journey import ANSWERS

pytestmark = pytest.mark.e2e

REASON = "Demande d'accès reçue par courrier, réf. DA-2026-11"


def closed_request(page: Page, family: str, given: str, birth: str, phone: str) -> int:
    body: dict[str, Any] = {
        "family_name": family,
        "given_name": given,
        "birth_date": birth,
        "sex": "female",
        "phone": phone,
        "commune_insee": "35236",
        "motif": "fever",
        "answers": ANSWERS,
    }
    request_id = int(api(page, "POST", "/api/regulation/requests", body)["id"])
    api(
        page,
        "POST",
        f"/api/regulation/requests/{request_id}/close",
        {"outcome": "cancelled_by_patient"},
    )
    return request_id


def test_coordinator_finds_exports_corrects_and_erases(page: Page, tmp_path: Path) -> None:
    login(page, "coordinator")
    hers = closed_request(page, "Kerbrat-Lemoal", "Maïwenn", "1979-02-11", "06 47 12 58 93")
    other = closed_request(page, "Quiniou-Tanguy", "Gwenola", "1955-09-30", "06 47 12 58 94")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Droits des patients"
    ).click()
    expect(heading(page)).to_have_text("Droits des patients")

    # Found by her phone number, with the reason of the whole procedure.
    search = page.get_by_role("region", name="Retrouver la personne")
    search.get_by_label("Téléphone").fill("06 47 12 58 93")
    search.get_by_label("Motif de la démarche").fill(REASON)
    search.get_by_role("button", name="Rechercher").click()
    results = page.get_by_role("region", name="Demandes trouvées")
    row = results.locator(f"tr[data-request='{hers}']")
    expect(row).to_contain_text("Kerbrat-Lemoal Maïwenn")
    expect(row).to_contain_text("11/02/1979")
    expect(results).to_contain_text("Aucun appel de ce numéro dans le journal des appels.")
    expect(row.get_by_role("checkbox", name=f"Choisir la demande n° {hers}")).to_be_checked()

    # Her records: a readable document, then the data.
    with page.expect_download() as document:
        results.get_by_role("button", name="Exporter le document (HTML)").click()
    html = Path(document.value.path()).read_text(encoding="utf-8")
    assert "Vos données personnelles" in html
    assert "Kerbrat-Lemoal" in html
    assert "Quiniou-Tanguy" not in html
    with page.expect_download() as data:
        results.get_by_role("button", name="Exporter les données (JSON)").click()
    records = json.loads(Path(data.value.path()).read_text(encoding="utf-8"))
    assert [r["id"] for r in records["requests"]] == [hers]
    expect(page.get_by_role("status").filter(has_text="Export téléchargé")).to_be_visible()

    # Her birth date corrected, the request being closed.
    row.get_by_role("button", name=f"Corriger l'identité de la demande n° {hers}").click()
    dialog = page.get_by_role("dialog", name=f"Rectifier la demande n° {hers}")
    dialog.get_by_label("Date de naissance").fill("1979-11-02")
    expect(dialog.get_by_label("Motif de la rectification")).to_have_value(REASON)
    dialog.get_by_role("button", name="Enregistrer la correction").click()
    expect(
        page.get_by_role("status").filter(has_text=f"Demande n° {hers} corrigée.")
    ).to_be_visible()
    expect(row).to_contain_text("02/11/1979")

    # Another person, erased.
    search.get_by_label("Téléphone").fill("")
    search.get_by_label("Nom", exact=True).fill("quiniou tanguy")
    search.get_by_label("Date de naissance").fill("1955-09-30")
    search.get_by_label("Motif de la démarche").fill("Demande d'effacement, réf. DE-2026-03")
    search.get_by_role("button", name="Rechercher").click()
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results.locator(f"tr[data-request='{other}']")).to_contain_text("Possible")
    results.get_by_role("button", name="Effacer…").click()
    erase = page.get_by_role("dialog", name="Effacer les données de la personne")
    expect(erase.get_by_label("Motif de l'effacement")).to_have_value(
        "Demande d'effacement, réf. DE-2026-03"
    )
    erase.get_by_role("button", name="Effacer définitivement").click()
    expect(
        page.get_by_role("status").filter(
            has_text="Effacement fait : 1 demande(s) pseudonymisée(s)"
        )
    ).to_be_visible()
    expect(results).to_contain_text("Aucune demande ne correspond")
    expect(results).to_contain_text("journal d'audit")

    trail = api(page, "GET", "/api/audit?action=erase&entity=regulation_request")
    assert any(
        e["entity_id"] == str(other) and "DE-2026-03" in (e["detail"] or "") for e in trail["items"]
    )
