"""Browser journey of the coordinator's « Utilisateurs » page: a GP account created from a
directory entry is linked to it at once; another account is created, then deactivated.

It creates its own accounts on the shared demo server and deactivates only one of them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from composition import demo
from tests.e2e.test_regulation import heading, login

pytestmark = pytest.mark.e2e


def test_coordinator_creates_a_linked_gp_account_and_deactivates_another(
    page: Page, live_server: str
) -> None:
    login(page, "coordinator")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Utilisateurs"
    ).click()
    expect(heading(page)).to_have_text("Utilisateurs")

    form = page.get_by_role("region", name="Nouveau compte")
    filters = page.get_by_role("search", name="Filtrer les comptes")

    # From a directory entry: its name, e-mail and the effector role are filled in.
    entry = form.get_by_label("Depuis une fiche de l'annuaire (facultatif)")
    last = entry.locator("option").last
    expect(last).to_have_text(re.compile(r"@demo\.cpts-snp\.fr\)$"))
    label = last.inner_text()
    entry.select_option(label=label)
    match = re.fullmatch(r"(?P<name>.+) \((?P<email>[^()]+)\)", label)
    assert match is not None
    name, email = match["name"], match["email"]
    expect(form.get_by_label("Adresse e-mail")).to_have_value(email)
    expect(form.get_by_label("Nom affiché")).to_have_value(name)
    expect(form.get_by_label("Rôle", exact=True)).to_have_value("effector")
    form.get_by_role("button", name="Créer le compte").click()
    expect(
        page.get_by_role("status").filter(has_text=f"Compte créé : {email}, rattaché à la fiche")
    ).to_be_visible()

    accounts = page.get_by_role("region", name="Comptes")
    filters.get_by_label("Nom ou e-mail").fill(email)
    row = accounts.get_by_role("row").filter(has_text=email)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(name)  # the linked entry, in « Effecteur rattaché »
    expect(row.get_by_role("button", name="Détacher")).to_be_visible()
    expect(row).to_contain_text("Jamais")

    # A wrong e-mail is refused, its field named.
    form.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    form.get_by_label("Nom affiché").fill("Compte temporaire")
    form.get_by_label("Rôle", exact=True).select_option("operator")
    form.get_by_role("button", name="Créer le compte").click()
    expect(page.get_by_role("alert").filter(has_text="Le compte n'a pas été créé")).to_contain_text(
        "Adresse e-mail invalide"
    )

    # Another account, then deactivated.
    form.get_by_label("Adresse e-mail").fill("temporaire@example.fr")
    form.get_by_role("button", name="Créer le compte").click()
    expect(
        page.get_by_role("status").filter(has_text="Compte créé : temporaire@example.fr.")
    ).to_be_visible()
    filters.get_by_label("Nom ou e-mail").fill("temporaire@")
    other = accounts.get_by_role("row").filter(has_text="temporaire@example.fr")
    expect(other).to_contain_text("Actif")
    other.get_by_role("button", name="Désactiver").click()
    expect(
        page.get_by_role("status").filter(has_text="Compte de Compte temporaire désactivé.")
    ).to_be_visible()
    expect(other).to_contain_text("Désactivé")
    expect(other.get_by_role("button", name="Réactiver")).to_be_visible()
    filters.get_by_label("Statut").select_option("false")
    expect(accounts.get_by_role("row").filter(has_text="temporaire@example.fr")).to_have_count(1)


def test_coordinator_sees_and_saves_the_cpts_identity(page: Page, live_server: str) -> None:
    login(page, "coordinator")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Identité de la CPTS"
    ).click()
    expect(heading(page)).to_have_text("Identité de la CPTS")
    finess = page.get_by_label("Numéro FINESS")
    expect(page.get_by_label("Nom de la CPTS")).to_have_value(demo.CPTS_NAME)
    expect(finess).to_have_value(demo.CPTS_FINESS)

    # A wrong check digit is refused on its field; the demo's values are then saved unchanged.
    wrong = demo.CPTS_FINESS[:-1] + str((int(demo.CPTS_FINESS[-1]) + 1) % 10)
    finess.fill(wrong)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("clé de contrôle incorrecte")
    expect(finess).to_have_attribute("aria-invalid", "true")
    finess.fill(demo.CPTS_FINESS)
    page.get_by_role("button", name="Enregistrer").click()
    saved = page.get_by_role("status").filter(has_text="Identité de la CPTS enregistrée.")
    expect(saved).to_be_visible()
