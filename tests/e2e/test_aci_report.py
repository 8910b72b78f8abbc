"""The ACI contract report as a funder (ARS, CPAM) reads and prints it: the closed year of the
demo contract with each indicator's definition and calculation next to its value, the
attainment table and the amounts, on A4 portrait with no element wider than the page and no
mostly blank last page (measured in the browser, with the print styles applied)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e
# A4 portrait less the report's 12 mm print margins, in CSS pixels (96 per inch).
PRINTABLE_WIDTH = round((210 - 24) / 25.4 * 96)
PRINTABLE_HEIGHT = round((297 - 24) / 25.4 * 96)

MEASURE = """(width) => {
  const overflowing = [];
  for (const el of document.querySelectorAll('.aci-report *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      overflowing.push(el.tagName + '.' + el.className + ' ' + Math.round(box.right));
    }
  }
  return {overflowing, height: document.querySelector('.aci-report').scrollHeight};
}"""


def test_the_funder_prints_a_contract_year_on_a4(page: Page) -> None:
    email, password = DEMO_ACCOUNTS["funder"]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    # The funder lands on the contract report; year 1 of the demo contract is closed.
    expect(page.get_by_role("heading", name=re.compile("Rapport annuel ACI"))).to_be_visible()
    page.goto("/financement?annee=1")
    expect(
        page.get_by_role("heading", name="Rapport annuel ACI — année 1 du contrat")
    ).to_be_visible()
    expect(page.get_by_text("Close.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Tableau d'atteinte")).to_be_visible()
    # The national figure left out of the demo is named, and each definition is printed.
    expect(page.get_by_text("Chiffres nationaux non encore saisis")).to_be_visible()
    expect(page.locator(".aci-definition")).to_have_count(5)
    expect(page.get_by_text("Part variable gagnée").first).to_be_visible()
    # Nor a link to the coordinator's input page.
    expect(page.get_by_role("link", name="Saisir le contrat")).to_have_count(0)

    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": PRINTABLE_HEIGHT})
    expect(page.get_by_role("button", name="Imprimer (A4)")).to_be_hidden()
    measured = page.evaluate(MEASURE, PRINTABLE_WIDTH)
    assert measured["overflowing"] == []
    pages = -(-measured["height"] // PRINTABLE_HEIGHT)
    last_page_fill = (measured["height"] - (pages - 1) * PRINTABLE_HEIGHT) / PRINTABLE_HEIGHT
    assert pages == 1 or last_page_fill > 0.25, (pages, last_page_fill)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == pages


def test_the_funder_sees_the_dashboard_without_any_request(page: Page) -> None:
    email, password = DEMO_ACCOUNTS["funder"]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Indicateurs", exact=True).click()
    expect(page.get_by_role("heading", name="Chiffres clés")).to_be_visible()
    # Each figure has its definition behind a "?".
    help_ = page.locator('[data-figure="consultations"] .ind-help')
    expect(help_).to_have_attribute("title", re.compile("par date de consultation"))
    expect(page.get_by_role("heading", name="Exports")).to_be_visible()
    expect(page.get_by_text("Demandes détaillées (pseudonymisées)")).to_have_count(0)
    tables = page.get_by_label("Tableau").locator("option")
    expect(tables.filter(has_text="pseudonymisées")).to_have_count(0)


def test_the_coordinator_enters_a_national_figure(page: Page) -> None:
    email, password = DEMO_ACCOUNTS["coordinator"]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.goto("/coordination/aci")
    expect(page.get_by_role("heading", name="Chiffres nationaux (CPAM, ARS)")).to_be_visible()
    figures = page.get_by_role("region", name="Chiffres nationaux (CPAM, ARS)")
    figures.get_by_label("Indicateur").select_option("national_4")
    figures.get_by_label("Valeur").fill("13.5")
    figures.get_by_label("Source").fill("ARS Bretagne")
    figures.get_by_role("button", name="Enregistrer le chiffre").click()
    expect(figures.get_by_role("cell", name="ARS Bretagne")).to_be_visible()
    page.goto("/financement?annee=1")
    expect(page.get_by_text("ARS Bretagne, chiffre au", exact=False)).to_be_visible()
    # Every national figure of year 1 is there now: nothing is said to be missing.
    expect(page.get_by_text("Chiffres nationaux non encore saisis")).to_have_count(0)


def test_a_gp_downloads_their_statement_from_their_agenda_page(page: Page, tmp_path: Path) -> None:
    email, password = DEMO_ACCOUNTS["effector"]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    statement = page.get_by_role("region", name="Mon relevé d'activité SNP (indemnisation)")
    expect(statement).to_be_visible()
    expect(statement.locator("tbody tr")).to_have_count(13)  # 12 months and the total
    expect(statement.get_by_text("Consultations SNP").first).to_be_visible()
    with page.expect_download() as download_info:
        statement.get_by_role("link", name="Télécharger le relevé (PDF)").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.name.startswith("releve-snp-")
    assert target.read_bytes().startswith(b"%PDF")
