"""Browser journey of the coordinator's protocol versions: upload (errors located in the
document), review the diff against the version in force, publish after confirmation.

The version published here changes only the title and one deadline of the shipped protocol, so
that the other journeys sharing the server triage the same way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_regulation import heading, login

pytestmark = pytest.mark.e2e

DEFAULT_TITLE = 'title: "Protocole SNP par défaut (version de démarrage)"'
NEW_TITLE = 'title: "Protocole SNP relu par les médecins référents"'
OLD_RULE = "result: {priority: P2, deadline_hours: 4, orientation: AMB}"
NEW_RULE = "result: {priority: P2, deadline_hours: 3, orientation: AMB}"


def test_coordinator_uploads_reviews_and_publishes_a_protocol_version(
    page: Page, live_server: str
) -> None:
    login(page, "coordinator")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Protocole de tri"
    ).click()
    expect(heading(page)).to_have_text("Protocole de tri")
    versions = page.get_by_role("region", name="Versions")
    expect(versions.get_by_role("row").filter(has_text="En vigueur")).to_have_count(1)

    page.get_by_role("button", name="Partir du texte de la version en vigueur").click()
    text_box = page.get_by_label("Texte du protocole (YAML)")
    expect(text_box).to_have_value(re.compile(re.escape(DEFAULT_TITLE)))
    current = text_box.input_value()
    assert OLD_RULE in current

    # A wrong priority: refused, the problem located in the document, the text kept.
    broken = current.replace(OLD_RULE, OLD_RULE.replace("P2", "P5"), 1)
    text_box.fill(broken)
    page.get_by_role("button", name="Déposer le brouillon").click()
    problems = page.get_by_role("alert").filter(has_text="Le document n'a pas été accepté")
    expect(problems).to_contain_text("motifs › n° 1 › rules › n° 3 › result › priority")
    expect(problems).to_contain_text("'P2' ou 'P3'")
    expect(text_box).to_have_value(broken)

    # A good one: stored as a draft, its diff shown for review.
    text_box.fill(current.replace(DEFAULT_TITLE, NEW_TITLE).replace(OLD_RULE, NEW_RULE, 1))
    page.get_by_label("Note de version (facultatif)").fill("Immunodéprimés : 3 h au lieu de 4 h.")
    page.get_by_role("button", name="Déposer le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Brouillon déposé")).to_be_visible()
    panel = page.get_by_role("region", name=re.compile(r"Version \d+ \(Brouillon\)"))
    diff = panel.get_by_role("region", name=re.compile("Différences entre la version"))
    expect(diff.locator("tr.diff-removed")).to_contain_text([DEFAULT_TITLE, OLD_RULE])
    expect(diff.locator("tr.diff-added")).to_contain_text([NEW_TITLE, NEW_RULE])

    # Publishing asks for confirmation, and for the referents' review to be acknowledged.
    panel.get_by_role("button", name="Publier cette version").click()
    dialog = page.get_by_role("dialog", name=re.compile(r"Publier la version \d+ \?"))
    confirm = dialog.get_by_role("button", name="Publier", exact=True)
    expect(confirm).to_be_disabled()
    dialog.get_by_label(
        "Les médecins référents de la CPTS ont relu et validé cette version."
    ).check()
    confirm.click()

    expect(
        page.get_by_role("status").filter(has_text="publiée : elle est désormais en vigueur")
    ).to_be_visible()
    in_force = versions.get_by_role("row").filter(has_text="En vigueur")
    expect(in_force).to_have_count(1)
    expect(in_force).to_contain_text("Protocole SNP relu par les médecins référents")
    expect(versions.get_by_role("row").filter(has_text="Remplacée")).to_contain_text(
        "version de démarrage"
    )
