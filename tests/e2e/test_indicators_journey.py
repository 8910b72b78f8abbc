"""Browser journey through the indicators: the coordinator opens the dashboard (the demo has
~16 months of history), filters last month, sees that month's figures and downloads the CSV
of requests by origin, whose counts add up to the figure shown."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e
PARIS = ZoneInfo("Europe/Paris")


def last_month() -> tuple[str, str, str]:
    today = datetime.now(PARIS).date()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    first = f"{year}-{month:02d}-01"
    following = f"{year + (month == 12)}-{(month % 12) + 1:02d}-01"
    last = (datetime.fromisoformat(following) - datetime.resolution).date().isoformat()
    return f"{year}-{month:02d}", first, last


def test_coordinator_filters_a_month_and_downloads_the_csv(page: Page, tmp_path: Path) -> None:
    email, password = DEMO_ACCOUNTS["coordinator"]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Indicateurs", exact=True).click()
    expect(page.get_by_role("heading", name="Indicateurs SNP")).to_be_visible()
    expect(page.get_by_role("heading", name="Chiffres clés")).to_be_visible()

    month, first, last = last_month()
    page.get_by_label("Période", exact=True).select_option("month")
    page.get_by_label("Mois", exact=True).fill(month)
    page.get_by_role("button", name="Afficher").click()

    expected = page.context.request.get(
        f"/api/indicators/dashboard?start={first}&end={last}"
    ).json()
    total = expected["requests"]["total"]
    assert total > 0  # the demo history covers last month
    shown = page.locator('[data-figure="requests"] .ind-value')
    expect(shown).to_have_text(f"{total:,}".replace(",", "\u202f"))
    expect(page.get_by_text(f"sur {total:,}".replace(",", "\u202f"))).to_be_visible()

    page.get_by_label("Tableau", exact=True).select_option("requests_by_origin")
    with page.expect_download() as info:
        page.get_by_role("link", name="Télécharger le CSV").click()
    download = info.value
    assert download.suggested_filename == f"indicateurs-demandes-par-origine-{first}-{last}.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Origine;Nombre"
    assert sum(int(line.split(";")[1]) for line in lines[1:]) == total
    assert any(line.startswith("Appel du patient;") for line in lines[1:])


def test_the_annual_report_is_one_printable_page(page: Page) -> None:
    email, password = DEMO_ACCOUNTS["coordinator"]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    year = datetime.now(PARIS).year
    page.goto(f"/coordination/indicateurs/rapport?year={year}")
    expect(page.get_by_role("heading", name=f"Rapport d'activité SNP {year}")).to_be_visible()
    expect(page.locator('[data-figure="consultations"] .ind-value')).not_to_have_text("0")
    expect(page.locator(".ind-report-charts svg.recharts-surface").first).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    pdf = page.pdf(format="A4")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1  # the whole report on one A4 page
