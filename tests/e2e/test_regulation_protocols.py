"""Browser journey of the coordinator's protocol versions: upload (errors located in the
document), review the diff against the version in force; a draft cannot be published before a
physician approves it (the approval journey is `test_protocol_governance.py`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_regulation import heading, login

pytestmark = pytest.mark.e2e

NEW_TITLE = 'title: "Protocole SNP en relecture"'
# The fever's default (the first such line), which the governance journey does not change.
OLD_RULE = "default: {priority: P2, deadline_hours: 24, orientation: AMB}"
NEW_RULE = "default: {priority: P2, deadline_hours: 20, orientation: AMB}"


def test_coordinator_uploads_and_reviews_a_draft_that_waits_for_a_physician(
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
    expect(text_box).to_have_value(re.compile(re.escape("title: ")))
    current = text_box.input_value()
    assert OLD_RULE in current

    # A wrong priority: refused, the problem located in the document, the text kept.
    broken = current.replace(OLD_RULE, OLD_RULE.replace("P2", "P5"), 1)
    text_box.fill(broken)
    page.get_by_role("button", name="Déposer le brouillon").click()
    problems = page.get_by_role("alert").filter(has_text="Le document n'a pas été accepté")
    expect(problems).to_contain_text("motifs › n° 1 › default › priority")
    expect(problems).to_contain_text("'P2' ou 'P3'")
    expect(text_box).to_have_value(broken)

    # Without the sepsis red flags: refused by category, whatever their wording.
    no_sepsis = re.sub(r"\n  - id: sepsis_signs\n(    .*\n)+", "\n", current, count=1)
    no_sepsis = re.sub(r"\n  - id: fever_immunocompromised\n(    .*\n)+", "\n", no_sepsis, count=1)
    text_box.fill(no_sepsis)
    page.get_by_role("button", name="Déposer le brouillon").click()
    expect(problems).to_contain_text("signes de sepsis (sepsis)")

    # A good one: stored as a draft, its diff shown for review, waiting for a physician.
    title_line = next(line for line in current.splitlines() if line.startswith("title: "))
    text_box.fill(current.replace(title_line, NEW_TITLE).replace(OLD_RULE, NEW_RULE, 1))
    page.get_by_label("Note de version (facultatif)").fill("Fièvre de l'adulte : 20 h.")
    page.get_by_role("button", name="Déposer le brouillon").click()
    expect(page.get_by_role("status").filter(has_text="Brouillon déposé")).to_be_visible()
    panel = page.get_by_role("region", name=re.compile(r"Version \d+ \(Brouillon\)"))
    diff = panel.get_by_role("region", name=re.compile("Différences entre la version"))
    expect(diff.locator("tr.diff-removed")).to_contain_text([title_line, OLD_RULE])
    expect(diff.locator("tr.diff-added")).to_contain_text([NEW_TITLE, NEW_RULE])
    expect(panel).to_contain_text("En attente de l'approbation d'un médecin régulateur")
    expect(panel.get_by_role("button", name="Publier cette version")).to_have_count(0)
    expect(panel.get_by_role("button", name="Approuver cette version")).to_have_count(0)
