"""Browser journey: a coordinator loads the territory's communes from the official file (preview,
apply), then an Annuaire Santé extraction (preview with added / changed / left, apply); an
imported GP's site, placed at its commune's centre, says « position approximative » in the
operator's matching.

It runs on the shared demo server: the communes file repeats the demo's own communes (plus one),
and the imported GPs have names no other journey looks for."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from agenda.service.annuaire_format import header_line, practitioner
from snp.identifiers import rpps_with_check_digit
from tests.e2e.test_regulation import (
    answer_fever_questions,
    api,
    contexts,
    heading,
    login,
    open_slot,
    person,
    queue_row,
    refer,
)

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the fixture, shared with test_regulation

COMMUNES = """code_commune_INSEE,nom_commune_postal,code_postal,libelle_acheminement,ligne_5,latitude,longitude,code_commune,article,nom_commune,nom_commune_complet,code_departement,nom_departement,code_region,nom_region
35236,REDON,35600,REDON,,47.6514,-2.0843,236,,Redon,Redon,35,Ille-et-Vilaine,53,Bretagne
35013,BAINS SUR OUST,35600,BAINS SUR OUST,,47.7036,-2.07,13,,Bains-sur-Oust,Bains-sur-Oust,35,Ille-et-Vilaine,53,Bretagne
35047,BRUZ,35170,BRUZ,,48.0247,-1.7458,47,,Bruz,Bruz,35,Ille-et-Vilaine,53,Bretagne
29019,QUIMPER,29000,QUIMPER,,47.9960,-4.1024,19,,Quimper,Quimper,29,Finistère,53,Bretagne
"""  # noqa: E501

JOB_WAIT = 30_000  # ms
KERBRAT = rpps_with_check_digit("1099000001")
TANGUY = rpps_with_check_digit("1099000002")


def extraction(street: str = "DU PORT") -> str:
    return "".join(
        [
            header_line(),
            practitioner(
                rpps=KERBRAT, family="KERBRAT", given="MAELLE", site="CABINET KERBRAT",
                number="8", street_type="Rue", street=street, postal="35600", insee="35236",
                city="REDON", phone="0299000001",
            ),
            practitioner(
                rpps=TANGUY, family="TANGUY", given="LOIC", site="CABINET TANGUY",
                number="1", street_type="Place", street="DE L'EGLISE", postal="35600",
                insee="35013", city="BAINS SUR OUST",
            ),
            practitioner(
                rpps=rpps_with_check_digit("1099000003"), family="AILLEURS", given="PAUL",
                postal="29000", insee="29019", city="QUIMPER",
            ),
        ]
    )  # fmt: skip


def annuaire_upload(page: Page, file: Path) -> None:
    card = page.get_by_role("region", name="2. Professionnels (Annuaire Santé)")
    card.get_by_label("Extraction de l'Annuaire Santé").set_input_files(str(file))
    card.get_by_role("button", name="Lire le fichier").click()


def test_coordinator_imports_communes_and_the_annuaire_and_the_operator_sees_the_position(
    page: Page,
    browser: Browser,
    live_server: str,
    contexts: list[BrowserContext],
    tmp_path: Path,
) -> None:
    login(page, "coordinator")
    page.goto("/coordination/annuaire")
    page.get_by_role("link", name="Importer depuis les données publiques").click()
    expect(heading(page)).to_have_text("Territoire et annuaire depuis les données publiques")

    # 1. Communes: the preview first, nothing written; then applied.
    communes_file = tmp_path / "communes-departement-region.csv"
    communes_file.write_text(COMMUNES, encoding="utf-8")
    communes = page.get_by_role("region", name="1. Communes du territoire")
    communes.get_by_label("Fichier des communes").set_input_files(str(communes_file))
    communes.get_by_label("Départements ou communes à garder").fill("35")
    communes.get_by_role("button", name="Aperçu").click()
    preview = communes.get_by_test_id("communes-preview")
    expect(preview).to_contain_text("1 ajoutée(s), 2 modifiée(s), 0 inchangée(s)")
    expect(preview.get_by_role("table", name="Communes ajoutées")).to_contain_text("Bruz")
    expect(preview).not_to_contain_text("Quimper")
    communes.get_by_role("button", name="Appliquer").click()
    expect(preview).to_contain_text("Communes importées.")
    territory = api(page, "GET", "/api/territory")
    assert "35047" in {c["insee_code"] for c in territory["communes"]}

    # 2. The Annuaire Santé extraction: a background job, its preview, then applied.
    file = tmp_path / "PS_LibreAcces_Personne_activite_202612050000.txt"
    file.write_text(extraction(), encoding="utf-8")
    annuaire_upload(page, file)
    job = page.get_by_test_id("annuaire-preview")
    # A background job reads the file; the page polls it (a loaded machine may take a while).
    expect(job.get_by_test_id("count-added")).to_have_text("2", timeout=JOB_WAIT)
    expect(job.get_by_test_id("count-changed")).to_have_text("0")
    expect(job.get_by_test_id("count-left")).not_to_have_text("0")  # the demo's own GPs
    expect(job.get_by_role("table", name="À ajouter")).to_contain_text("Maelle KERBRAT")
    expect(job).not_to_contain_text("AILLEURS")
    job.get_by_role("button", name="Appliquer").click()
    expect(job).to_contain_text("Annuaire importé : 2 effecteur(s) ajouté(s)", timeout=JOB_WAIT)

    # The practice moved: the next extraction's preview says what changes; given up here.
    # (Next month's extraction: a file of its own. Chromium refuses to send a File whose disk
    # content changed after it was chosen, net::ERR_UPLOAD_FILE_CHANGED.)
    next_file = tmp_path / "PS_LibreAcces_Personne_activite_202701050000.txt"
    next_file.write_text(extraction("DE LA GARE"), encoding="utf-8")
    annuaire_upload(page, next_file)
    expect(job.get_by_test_id("count-changed")).to_have_text("1", timeout=JOB_WAIT)
    expect(job.get_by_role("table", name="À modifier")).to_contain_text(
        "lieu modifié : CABINET KERBRAT"
    )
    job.get_by_role("button", name="Abandonner").click()
    expect(page.get_by_text("Import abandonné.")).to_be_visible()

    # The imported GP's site is at Redon's centre: the directory says so.
    found = api(page, "GET", "/api/agenda/effectors?q=Kerbrat")["items"]
    assert len(found) == 1
    page.goto(f"/coordination/annuaire/{found[0]['id']}")
    expect(page.get_by_role("row").filter(has_text="CABINET KERBRAT")).to_contain_text(
        "position approximative"
    )

    # A slot of the imported GP, then the operator's matching for a patient.
    site_id = found[0]["sites"][0]["id"]
    open_slot(page, site_id, datetime.now(UTC) + timedelta(hours=3))
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    refer(pharmacist, "Quéméner", "Gaëlle")
    operator = person(contexts, browser, live_server, "operator")
    row = queue_row(operator, "Gaëlle QUÉMÉNER")
    row.get_by_role("button", name="Prendre en charge la demande de Gaëlle QUÉMÉNER").click()
    operator.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
    answer_fever_questions(operator)
    operator.get_by_role("button", name="Enregistrer le tri").click()
    candidates = operator.get_by_role("region", name="Créneaux proposés")
    ours = candidates.get_by_test_id("candidate").filter(has_text=re.compile("Kerbrat", re.I))
    expect(ours.first).to_contain_text("CABINET KERBRAT")
    expect(ours.first.get_by_test_id("position-approximate")).to_have_text("position approximative")


def test_a_file_changed_after_it_was_chosen_is_not_sent_and_the_page_says_why(
    page: Page, tmp_path: Path
) -> None:
    """Chromium refuses to send a file whose content changed on disk since the browser first
    read it (net::ERR_UPLOAD_FILE_CHANGED, with no reason given to the page): the page says the
    file could not be sent, that it may have changed, and to choose it again."""
    login(page, "coordinator")
    page.goto("/coordination/annuaire")
    page.get_by_role("link", name="Importer depuis les données publiques").click()
    file = tmp_path / "PS_LibreAcces_Personne_activite_202612050000.txt"
    file.write_text(extraction(), encoding="utf-8")
    annuaire_upload(page, file)
    job = page.get_by_test_id("annuaire-preview")
    expect(job.get_by_role("button", name="Abandonner")).to_be_visible(timeout=JOB_WAIT)
    job.get_by_role("button", name="Abandonner").click()
    expect(page.get_by_text("Import abandonné.")).to_be_visible()

    file.write_text(extraction("DE LA GARE"), encoding="utf-8")  # saved again meanwhile
    later = file.stat().st_mtime + 60
    os.utime(file, (later, later))
    annuaire_upload(page, file)
    expect(page.get_by_text("Le fichier n'a pas pu être envoyé")).to_contain_text(
        "ou le fichier a été modifié depuis que vous l'avez choisi. Choisissez-le de nouveau"
    )
