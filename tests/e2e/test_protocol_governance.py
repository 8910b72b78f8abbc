"""Browser journey of protocol governance: a coordinator uploads a version; a regulator (a
physician, not its author) reads the diff and the clinical test results, approves it with a
reason and publishes it; the operator's next call is triaged with it.

The version changes only the title and one deadline (fever over 5 days), so that the other
journeys sharing the server triage the same way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.test_regulation import (
    answer_fever_questions,
    contexts,  # noqa: F401 - the fixture, used by `person`
    fill_identity,
    heading,
    person,
)

pytestmark = pytest.mark.e2e

TITLE = 'title: "Protocole SNP approuvé par les médecins référents"'
OLD_RULE = "result: {priority: P2, deadline_hours: 12, orientation: AMB}"
NEW_RULE = "result: {priority: P2, deadline_hours: 10, orientation: AMB}"
REASON = "Validé en réunion des médecins référents : fièvre de plus de 5 jours vue sous 10 h."


def open_protocols(page: Page) -> None:
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Protocole de tri"
    ).click()
    expect(heading(page)).to_have_text("Protocole de tri")


def test_a_regulator_approves_after_reading_the_diff_and_tests_and_the_next_call_uses_it(
    browser: Browser,
    live_server: str,
    contexts: list[BrowserContext],  # noqa: F811
) -> None:
    # The coordinator uploads the draft.
    coordinator = person(contexts, browser, live_server, "coordinator")
    open_protocols(coordinator)
    coordinator.get_by_role("button", name="Partir du texte de la version en vigueur").click()
    text_box = coordinator.get_by_label("Texte du protocole (YAML)")
    expect(text_box).to_have_value(re.compile("title: "))
    current = text_box.input_value()
    title_line = next(line for line in current.splitlines() if line.startswith("title: "))
    text_box.fill(current.replace(title_line, TITLE).replace(OLD_RULE, NEW_RULE, 1))
    coordinator.get_by_role("button", name="Déposer le brouillon").click()
    uploaded = coordinator.get_by_role("status").filter(has_text="Brouillon déposé")
    expect(uploaded).to_be_visible()
    number = int(re.search(r"version (\d+)", uploaded.inner_text()).group(1))  # type: ignore[union-attr]

    # The regulator opens it, reads the diff and the clinical tests, approves with a reason.
    regulator = person(contexts, browser, live_server, "regulator")
    open_protocols(regulator)
    regulator.get_by_role("button", name=f"Examiner la version {number}").click()
    panel = regulator.get_by_role("region", name=f"Version {number} (Brouillon)")
    diff = panel.get_by_role("region", name=re.compile("Différences entre la version"))
    expect(diff.locator("tr.diff-added")).to_contain_text([TITLE, NEW_RULE])
    panel.get_by_role("tab", name="Tests cliniques").click()
    results = panel.get_by_role("region", name="Résultats des tests cliniques")
    expect(results).to_contain_text("Tous les tests passent")
    expect(results).to_contain_text("aucun chemin avec un signe d'alerte n'aboutit à la file")
    expect(results.get_by_role("row").filter(has_text="Réussie").first).to_be_visible()
    expect(results.get_by_role("row").filter(has_text="Échouée")).to_have_count(0)
    expect(results).to_contain_text("Nourrisson de 1 mois qui tousse")

    panel.get_by_role("button", name="Approuver cette version").click()
    dialog = regulator.get_by_role("dialog", name=f"Approuver la version {number} ?")
    confirm = dialog.get_by_role("button", name="Approuver", exact=True)
    dialog.get_by_label("Motif de l'approbation").fill(REASON)
    expect(confirm).to_be_disabled()  # the diff and tests read: to be acknowledged
    dialog.get_by_label("J'ai relu les différences et les résultats des tests cliniques.").check()
    confirm.click()
    expect(regulator.get_by_role("status").filter(has_text="approuvée")).to_be_visible()
    approved = regulator.get_by_role("region", name=f"Version {number} (Approuvée)")
    expect(approved).to_contain_text("Approuvée par Dr Jean Régulateur le ")
    expect(approved).to_contain_text(REASON)

    # Published (an approved version only), it is in force.
    approved.get_by_role("button", name="Publier cette version").click()
    publish = regulator.get_by_role("dialog", name=f"Publier la version {number} ?")
    expect(publish).to_contain_text(REASON)
    publish.get_by_role("button", name="Publier", exact=True).click()
    expect(
        regulator.get_by_role("status").filter(has_text="publiée : elle est désormais en vigueur")
    ).to_be_visible()
    in_force = (
        regulator.get_by_role("region", name="Versions")
        .get_by_role("row")
        .filter(has_text="En vigueur")
    )
    expect(in_force).to_contain_text("Protocole SNP approuvé par les médecins référents")
    expect(in_force).to_contain_text("Dr Jean Régulateur")

    # The operator's next call is triaged with it.
    operator = person(contexts, browser, live_server, "operator")
    operator.get_by_role("link", name="Nouvel appel").click()
    fill_identity(operator, "Guillou", "Nolwenn", "1979-06-21", "06 21 43 65 87")
    operator.get_by_role("group", name="Sexe").get_by_label("Femme").check()
    operator.get_by_role("group", name="Médecin traitant").get_by_label("Non").check()
    operator.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
    operator.get_by_label("Motif", exact=True).select_option(label="Fièvre")
    answer_fever_questions(operator)
    operator.get_by_role("button", name="Enregistrer et trier").click()
    result = operator.get_by_role("region", name="Résultat du tri")
    expect(result).to_contain_text("P2")
    expect(result).to_contain_text(f"Version du protocole {number}")
