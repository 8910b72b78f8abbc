"""Browser journey of an effector's sites on their directory page: the coordinator adds a site
to a GP (at its commune's centre), edits its phone, removes it (it carries no slot), and is
refused removing the GP's practice, which carries future slots.

It picks a demo GP with a weekly availability and leaves their sites as it found them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_regulation import heading, login

pytestmark = pytest.mark.e2e

SITE = "Antenne de garde du samedi"


def test_coordinator_adds_edits_and_removes_a_gps_site(page: Page, live_server: str) -> None:
    login(page, "coordinator")
    # A GP among the demo's dozen with a weekly availability (so future slots at their practice).
    listing = page.request.get("/api/agenda/effectors", params={"limit": 13})
    assert listing.ok
    gp = listing.json()["items"][6]
    practice = gp["sites"][0]["name"]
    page.goto(f"/coordination/annuaire/{gp['id']}")
    expect(heading(page)).to_have_text(f"{gp['given_name']} {gp['family_name']}")
    sites = page.get_by_role("region", name="Lieux de consultation")

    # Add a site without coordinates, the commune chosen from the territory's.
    sites.get_by_role("button", name="Ajouter un lieu").click()
    dialog = page.get_by_role("dialog", name="Ajouter un lieu de consultation")
    dialog.get_by_role("button", name="Ajouter le lieu").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Le lieu n'a pas été enregistré")
    dialog.get_by_label("Nom du lieu").fill(SITE)
    dialog.get_by_label("Adresse").fill("3 rue de la Gare")
    commune = dialog.get_by_label("Commune")
    redon_option = commune.locator("option", has_text=re.compile(r"^Redon \("))
    redon = redon_option.first.get_attribute("value")
    assert redon is not None
    commune.select_option(redon)
    expect(dialog.get_by_label("Code postal")).to_have_value("35600")
    dialog.get_by_label("Téléphone du lieu").fill("02 99 00 11 22")
    dialog.get_by_role("button", name="Ajouter le lieu").click()
    expect(dialog).to_have_count(0)
    expect(sites.get_by_role("status").filter(has_text="Lieu ajouté.")).to_be_visible()
    row = sites.get_by_role("row").filter(has_text=SITE)
    expect(row).to_contain_text("35600 Redon")
    expect(row).to_contain_text("position approximative")
    expect(row).to_contain_text("02 99 00 11 22")

    # Edit its phone, from the keyboard.
    row.get_by_role("button", name=f"Modifier le lieu {SITE}").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name=f"Modifier le lieu « {SITE} »")
    phone = dialog.get_by_label("Téléphone du lieu")
    expect(phone).to_have_value("02 99 00 11 22")
    phone.fill("12")
    dialog.get_by_role("button", name="Enregistrer le lieu").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Numéro de téléphone")
    phone.fill("02 99 00 33 44")
    phone.press("Enter")
    expect(dialog).to_have_count(0)
    expect(row).to_contain_text("02 99 00 33 44")

    # Remove it: it carries no slot.
    row.get_by_role("button", name=f"Retirer le lieu {SITE}").click()
    dialog = page.get_by_role("dialog", name=f"Retirer le lieu « {SITE} »")
    dialog.get_by_role("button", name="Retirer le lieu").click()
    expect(dialog).to_have_count(0)
    expect(sites.get_by_role("status").filter(has_text="Lieu retiré.")).to_be_visible()
    expect(sites.get_by_role("row").filter(has_text=SITE)).to_have_count(0)

    # The practice carries future slots: refused, saying how many; it stays.
    sites.get_by_role("button", name=f"Retirer le lieu {practice}").click()
    dialog = page.get_by_role("dialog", name=f"Retirer le lieu « {practice} »")
    dialog.get_by_role("button", name="Retirer le lieu").click()
    expect(dialog.get_by_role("alert")).to_contain_text(
        re.compile(r"Ce lieu porte encore \d+ créneaux? à venir")
    )
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(sites.get_by_role("row").filter(has_text=practice)).to_have_count(1)
