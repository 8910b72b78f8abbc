"""Browser journeys of the strong login, on a demo server with `SNP_MFA_REQUIRED=true` and Pro
Santé Connect configured against a local fake provider:
- a regulator's first login: password, QR code and secret, a first code (computed here from the
  secret shown), the recovery codes, the home page; the next login asks for the code;
- a coordinator records the regulator's RPPS on the accounts page; the regulator then logs in
  with the « Pro Santé Connect » button (no code step); an unknown RPPS gets a French refusal;
- on a server without Pro Santé Connect, the login page has no such button."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEMO_ACCOUNTS, demo_server
from tests.support.fake_oidc import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeProSanteConnect,
    running_provider,
)
from tests.support.postgres import free_port

pytestmark = pytest.mark.e2e

RPPS = "10003456789"


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProSanteConnect]:
    with running_provider() as running:
        yield running


@pytest.fixture(scope="module")
def strong_server(
    tmp_path_factory: pytest.TempPathFactory, provider: FakeProSanteConnect
) -> Iterator[str]:
    settings = {
        "SNP_MFA_REQUIRED": "true",
        "SNP_PSC_ISSUER": provider.issuer,
        "SNP_PSC_CLIENT_ID": CLIENT_ID,
        "SNP_PSC_CLIENT_SECRET": CLIENT_SECRET,
    }
    port = free_port()
    settings["SNP_PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
    with demo_server(tmp_path_factory, "mfa", settings, port=port) as base:
        yield base


def new_page(browser: Browser, base: str) -> Page:
    context = browser.new_context(base_url=base, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    return context.new_page()


def password_step(page: Page, role: str) -> None:
    email, password = DEMO_ACCOUNTS[role]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def enrol(page: Page, role: str) -> str:
    """First login of `role`: returns the secret read on the page."""
    password_step(page, role)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    expect(page.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
    secret = page.locator(".mfa-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    expect(page.get_by_role("list", name="Codes de secours").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("button", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    return secret


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()


def test_first_login_enrols_then_every_login_asks_the_code(
    browser: Browser, strong_server: str
) -> None:
    page = new_page(browser, strong_server)
    secret = enrol(page, "regulator")
    expect(page).to_have_url(strong_server + "/regulation/avis")
    log_out(page)

    password_step(page, "regulator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("alert")).to_contain_text("Code incorrect, expiré ou déjà utilisé.")
    # The next time step's code (the enrolment used the current one: a code works once).
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.get_by_role("button", name="Valider").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page).to_have_url(strong_server + "/regulation/avis")
    page.context.close()


def test_pro_sante_connect_logs_in_the_account_with_that_rpps(
    browser: Browser, strong_server: str, provider: FakeProSanteConnect
) -> None:
    coordinator = new_page(browser, strong_server)
    enrol(coordinator, "coordinator")
    coordinator.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Utilisateurs"
    ).click()
    sas_email = DEMO_ACCOUNTS["sas_regulator"][0]
    coordinator.get_by_role("search", name="Filtrer les comptes").get_by_label(
        "Nom ou e-mail"
    ).fill(sas_email)
    row = (
        coordinator.get_by_role("region", name="Comptes")
        .get_by_role("row")
        .filter(has_text=sas_email)
    )
    expect(row).to_have_count(1)
    row.get_by_role("button", name=re.compile("^Modifier le RPPS")).click()
    dialog = coordinator.get_by_role("dialog")
    dialog.get_by_label("Numéro RPPS (11 chiffres)").fill("123")
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Numéro RPPS invalide")
    dialog.get_by_label("Numéro RPPS (11 chiffres)").fill(RPPS)
    dialog.get_by_role("button", name="Enregistrer").click()
    expect(row).to_contain_text(f"RPPS {RPPS}")
    coordinator.context.close()

    page = new_page(browser, strong_server)
    provider.rpps = "10009999999"  # nobody's
    page.goto("/connexion")
    page.get_by_role("link", name="Se connecter avec Pro Santé Connect").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "aucun compte actif de la plateforme ne porte votre numéro RPPS"
    )

    provider.rpps = RPPS
    page.get_by_role("link", name="Se connecter avec Pro Santé Connect").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.locator(".user-name")).to_have_text("Dr Paul Régulateur SAS")
    page.context.close()


def test_without_configuration_the_login_page_has_no_psc_button(page: Page) -> None:
    page.goto("/connexion")
    expect(page.get_by_role("button", name="Se connecter")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter avec Pro Santé Connect")).to_have_count(0)


def test_the_funder_logs_in_with_the_password_and_may_enable_the_second_factor(
    browser: Browser, strong_server: str
) -> None:
    page = new_page(browser, strong_server)
    password_step(page, "funder")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.get_by_role("link", name="Sécurité du compte").click()
    expect(page.get_by_text("vous pouvez l'activer")).to_be_visible()
    page.get_by_role("button", name="Activer la double authentification").click()
    enrolment = page.get_by_role("region", name="Activer la double authentification")
    expect(enrolment.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
    secret = enrolment.locator(".mfa-secret").inner_text().replace(" ", "")
    enrolment.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    enrolment.get_by_role("button", name="Activer").click()
    codes = page.get_by_role("list", name="Codes de secours").get_by_role("listitem")
    expect(codes).to_have_count(10)
    page.get_by_role("button", name="J'ai noté mes codes, continuer").click()
    expect(page.get_by_text("La double authentification est activée")).to_be_visible()
    log_out(page)
    password_step(page, "funder")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code de vérification")
    page.context.close()
