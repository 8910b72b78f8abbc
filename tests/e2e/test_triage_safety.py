"""Browser journeys of clinical safety (issue 13, points 3-5): a red-flag word typed in the
notes warns the operator; a birth date corrected after triage sends the request back to
triage; a red flag's transfer to the 15 is recorded and followed by the regulators; the booked
effector opens the handover of their appointment from their agenda."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.test_regulation import (
    answer,
    answer_fever_questions,
    api,
    contexts,
    fill_identity,
    heading,
    login,
    open_slot,
    person,
)

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the fixture, shared with test_regulation

PARIS = ZoneInfo("Europe/Paris")


def new_call(page: Page, family: str, given: str, *, notes: str | None = None) -> None:
    """An adult's call about a well-tolerated fever, every red flag answered "no"."""
    page.get_by_role("link", name="Nouvel appel").click()
    expect(heading(page)).to_have_text("Nouvel appel")
    fill_identity(page, family, given, "1979-05-21", "06 44 55 66 77")
    page.get_by_role("group", name="Sexe").get_by_label("Femme").check()
    page.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
    page.get_by_label("Motif", exact=True).select_option(label="Fièvre")
    answer_fever_questions(page)
    if notes is not None:
        page.get_by_label("Notes (facultatif)").fill(notes)
    page.get_by_role("button", name="Enregistrer et trier").click()
    of = "d'" if given[0].lower() in "aeiouhéèêâîôû" else "de "
    expect(heading(page)).to_have_text(f"Demande {of}{given} {family.upper()}")


def test_a_red_flag_word_typed_in_the_notes_shows_the_warning(page: Page, live_server: str) -> None:
    login(page, "operator")

    new_call(page, "Quéméner", "Annaïg", notes="Dit avoir encore mal à la poitrine ce matin.")

    warning = page.get_by_test_id("safety-notices").get_by_role("status")
    expect(warning).to_contain_text("Mots d'alerte dans le texte libre")
    expect(warning).to_contain_text("douleur thoracique")
    expect(warning).to_contain_text("au moindre doute, appelez le 15")


def test_a_birth_date_change_sends_the_request_back_to_triage(page: Page, live_server: str) -> None:
    login(page, "operator")
    new_call(page, "Riou", "Gwenola")
    expect(page.get_by_role("region", name="Résultat du tri")).to_contain_text("P2")

    one_month = (datetime.now(PARIS).date() - relativedelta(months=1)).isoformat()
    page.get_by_text("Corriger la demande").click()
    page.get_by_label("Date de naissance (correction)").fill(one_month)
    page.get_by_role("button", name="Enregistrer les corrections").click()

    notice = page.get_by_test_id("safety-notices").get_by_role("status")
    expect(notice).to_contain_text("Demande renvoyée au tri")
    expect(notice).to_contain_text("Modifié après le tri (date de naissance)")
    # The triage form is back; no slot is proposed until the request is triaged again.
    expect(page.get_by_role("heading", name="Tri", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Créneaux proposés")).to_have_count(0)


def test_a_red_flag_transfer_is_recorded_and_followed_by_the_regulators(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    operator.get_by_role("link", name="Nouvel appel").click()
    fill_identity(operator, "Le Dantec", "Job", "1948-02-11", "06 33 22 11 00")
    operator.get_by_role("group", name="Sexe").get_by_label("Homme").check()
    answer(operator, "Douleur thoracique", "Oui")
    alert = operator.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")
    alert.get_by_role("button", name="Consigner l'appel : patient réorienté vers le 15").click()
    expect(heading(operator)).to_have_text("Demande de Job LE DANTEC")

    regulator = person(contexts, browser, live_server, "regulator")
    follow_up = regulator.get_by_test_id("follow-up-15")
    row = follow_up.get_by_role("row").filter(has_text="LE DANTEC Job")
    expect(row).to_contain_text("Transfert non consigné")

    form = operator.get_by_role("form", name="Transfert vers le 15")
    form.get_by_label("Appel transféré au 15 (transfert accompagné)").check()
    # Drawn inside the red alert, each option still reads dark on light (it read white on white).
    for option in form.locator("label").all():
        assert text_contrast(option) >= 4.5, option.inner_text()
    form.get_by_label("Note (facultatif)").fill("Régulateur SAMU en ligne.")
    form.get_by_role("button", name="Consigner le transfert").click()
    expect(operator.get_by_text(re.compile(r"Appel transféré au 15 .* par "))).to_be_visible()

    regulator.reload()
    row = (
        regulator.get_by_test_id("follow-up-15").get_by_role("row").filter(has_text="LE DANTEC Job")
    )
    expect(row).to_contain_text("Appel transféré au 15 (transfert accompagné)")


def text_contrast(element: Locator) -> float:
    """WCAG contrast ratio of the element's text colour against the background it is drawn on
    (its own, or the nearest ancestor's that is not transparent)."""
    ratio: float = element.evaluate(
        """(el) => {
            const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const luminance = ([r, g, b]) => {
                const [R, G, B] = [r, g, b].map((c) => {
                    c /= 255;
                    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                });
                return 0.2126 * R + 0.7152 * G + 0.0722 * B;
            };
            const background = (node) => getComputedStyle(node).backgroundColor;
            const clear = (node) => /^rgba\\(.*, 0\\)$|^transparent$/.test(background(node));
            let back = el;
            while (back.parentElement && clear(back)) back = back.parentElement;
            const a = luminance(rgb(getComputedStyle(el).color));
            const b = luminance(rgb(background(back)));
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }"""
    )
    return ratio


def calm_answers(page: Page) -> dict[str, Any]:
    document = api(page, "GET", "/api/regulation/protocols/current")["document"]
    answers: dict[str, Any] = {flag["id"]: False for flag in document["red_flags"]}
    for factor in document.get("risk_factors") or []:
        answers[factor["id"]] = False
    return answers | {
        "fever_duration": "under_48h",
        "fever_tolerated": True,
        "chronic_disease": True,  # a risk factor (with fever, immunosuppression is a red flag)
    }


def test_the_effector_opens_the_handover_details_of_their_appointment(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    tomorrow = datetime.now(PARIS).date() + timedelta(days=1)
    slot = open_slot(
        effector,
        me["sites"][0]["id"],
        datetime(tomorrow.year, tomorrow.month, tomorrow.day, 8, tzinfo=PARIS),
    )
    operator = person(contexts, browser, live_server, "operator")
    born = date(1961, 4, 2).isoformat()
    created = api(
        operator,
        "POST",
        "/api/regulation/requests",
        {
            "family_name": "Cadiou",
            "given_name": "Loïc",
            "birth_date": born,
            "sex": "male",
            "phone": "06 21 43 65 87",
            "commune_insee": "35236",
            "motif": "fever",
            "answers": calm_answers(operator),
        },
    )
    path = f"/api/regulation/requests/{created['id']}"
    api(operator, "POST", f"{path}/hold", {"slot_id": slot["id"]})
    booked = api(operator, "POST", f"{path}/confirm", {"slot_id": slot["id"]})
    appointment_id = booked["appointment"]["id"]

    effector.goto("/agenda")
    upcoming = effector.get_by_role("region", name="Mes prochains patients")
    upcoming.locator(f'a[href="/agenda/rendez-vous/{appointment_id}"]').click()

    expect(heading(effector)).to_have_text("Transmission du patient")
    handover = effector.get_by_test_id("handover")
    expect(handover).to_contain_text("CADIOU Loïc")
    expect(handover).to_contain_text("Fièvre")
    expect(handover).to_contain_text("06 21 43 65 87")
    expect(handover).to_contain_text(re.compile(r"P\d — "))
    answers = effector.get_by_role("region", name="Réponses au tri")
    expect(answers).to_contain_text("La fièvre est-elle bien tolérée")
    risks = effector.get_by_role("region", name="Facteurs de risque")
    expect(risks).to_contain_text("Maladie chronique grave")
