"""Browser journeys through the shell: login per role, login errors, logout, coordinator home.

Fixtures (`live_server`, `page`) and the demo accounts come from `tests/e2e/conftest.py`; what the
demo territory holds comes from `composition.demo`, so these tests follow the demo data.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from composition import demo
from tests.e2e.conftest import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e

LOGIN_PATH = "/connexion"
WRONG_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."

# role -> (home path, <h1> of the home page, labels of the navigation links, role label)
HOMES: dict[str, tuple[str, str, list[str], str]] = {
    "operator": (
        "/regulation",
        "File d'attente",
        ["File d'attente", "Rechercher"],
        "Opérateur·rice SNP",
    ),
    "regulator": (
        "/regulation/avis",
        "Demandes d'avis médical",
        ["Demandes d'avis", "Rechercher", "Protocole de tri"],
        "Médecin régulateur",
    ),
    "effector": ("/agenda", "Mon agenda SNP", ["Mon agenda"], "Effecteur (médecin)"),
    "referrer": (
        "/orientations",
        "Mes orientations",
        ["Mes orientations"],
        "Orienteur (pharmacie, IDE, urgences)",
    ),
    "sas_regulator": (
        "/sas",
        "Créneaux SAS",
        ["Créneaux SAS", "Mes réservations SAS"],
        "Régulateur SAS",
    ),
    "coordinator": (
        "/coordination",
        "Coordination",
        [
            "Coordination",
            "Rechercher",
            "Supervision",
            "Annuaire",
            "Carte",
            "Protocole de tri",
            "Indicateurs",
            "Contrat ACI",
            "Messages SMS",
            "Démo téléphone",
            "Journal d'appels",
            "Lien SAS",
            "Droits des patients",
            "Utilisateurs",
            "Identité de la CPTS",
        ],
        "Coordination CPTS",
    ),
    # The demo contract was signed 400 days ago: its second year is running.
    "funder": (
        "/financement",
        "Rapport annuel ACI — année 2 du contrat",
        ["Indicateurs", "Contrat ACI"],
        "Financeur (ARS, CPAM)",
    ),
}

FULL_NAMES = {str(account.role): account.full_name for account in demo.ACCOUNTS}


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Navigation principale")


def fill_login(page: Page, email: str, password: str) -> None:
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def login_as(page: Page, live_server: str, role: str) -> None:
    email, password = DEMO_ACCOUNTS[role]
    page.goto(live_server + "/")
    expect(heading(page)).to_have_text("Connexion")
    fill_login(page, email, password)
    expect(page).to_have_url(live_server + HOMES[role][0])


@pytest.mark.parametrize("role", list(HOMES))
def test_login_reaches_the_home_of_each_role(page: Page, live_server: str, role: str) -> None:
    path, title, nav_labels, role_label = HOMES[role]

    login_as(page, live_server, role)

    expect(heading(page)).to_have_text(title)
    expect(nav(page).get_by_role("link")).to_have_text(nav_labels)
    header = page.get_by_role("banner")
    expect(header).to_contain_text(FULL_NAMES[role])
    expect(header).to_contain_text(role_label)
    expect(header).to_contain_text(demo.CPTS_NAME)
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    # The address typed by hand lands on the same page after a reload (SPA fallback + /me).
    page.reload()
    expect(page).to_have_url(live_server + path)
    expect(heading(page)).to_have_text(title)


def test_wrong_password_shows_the_french_error_and_keeps_the_email(
    page: Page, live_server: str
) -> None:
    email, _ = DEMO_ACCOUNTS["operator"]
    page.goto(live_server + LOGIN_PATH)

    fill_login(page, email, "pas-le-bon-mot-de-passe")

    expect(page.get_by_role("alert")).to_contain_text(WRONG_CREDENTIALS)
    expect(page.get_by_label("Adresse e-mail")).to_have_value(email)
    # The server names the password field: the message also sits next to it.
    expect(page.get_by_label("Mot de passe")).to_have_attribute("aria-invalid", "true")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH) + "$"))
    expect(heading(page)).to_have_text("Connexion")


def test_page_of_another_role_is_reserved(page: Page, live_server: str) -> None:
    login_as(page, live_server, "referrer")

    page.goto(live_server + "/coordination")

    expect(heading(page)).to_have_text("Accès réservé")
    expect(nav(page).get_by_role("link")).to_have_text(["Mes orientations"])


def test_logout_returns_to_the_login_page(page: Page, live_server: str) -> None:
    login_as(page, live_server, "effector")

    page.get_by_role("button", name="Se déconnecter").click()

    expect(heading(page)).to_have_text("Connexion")
    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH) + "$"))
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté·e.")
    # The session is closed on the server too: a page behind login sends back to the form.
    page.goto(live_server + "/agenda")
    expect(heading(page)).to_have_text("Connexion")
    expect(page.get_by_label("Adresse e-mail")).to_be_visible()


def test_coordinator_home_shows_the_cpts_and_its_communes(page: Page, live_server: str) -> None:
    login_as(page, live_server, "coordinator")

    territory = page.get_by_role("region", name="Territoire de la CPTS", exact=True)
    expect(territory).to_contain_text(demo.CPTS_NAME)
    communes = territory.get_by_role("table", name="Communes du territoire")
    # Every demo commune (other journeys on this shared server may have imported more).
    expect(communes.locator("tbody tr").nth(len(demo.COMMUNES) - 1)).to_be_attached()
    for commune in demo.COMMUNES:
        expect(communes).to_contain_text(commune.name)

    effectors = page.get_by_role("region", name="Annuaire des effecteurs", exact=True)
    expect(effectors.get_by_role("table")).to_be_visible()
    audit = page.get_by_role("region", name="Journal d'accès", exact=True)
    # Logging in is itself an audited access, so the log is never empty here.
    expect(audit.get_by_role("table")).to_contain_text("coordination@demo.cpts-snp.fr")
