"""Browser journey of a patient who does not answer: the operator calls back from the console
(the number is shown as a phone link), logs each attempt, and once enough attempts failed
closes the request as « patient injoignable »."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_regulation import api, heading, login, queue_row

pytestmark = pytest.mark.e2e


def test_operator_calls_back_logs_the_attempts_and_closes_as_unreachable(
    page: Page, live_server: str
) -> None:
    login(page, "operator")
    created = api(
        page,
        "POST",
        "/api/regulation/requests",
        {
            "family_name": "Injoignable",
            "given_name": "Paule",
            "birth_date": "1979-09-02",
            "sex": "female",
            "phone": "06 11 22 33 44",
            "commune_insee": "35236",
            "mobility": "can_travel",
            "motif": "fever",
        },
    )
    page.goto(f"/regulation/demandes/{created['id']}")
    expect(heading(page)).to_contain_text("Paule INJOIGNABLE")

    callbacks = page.get_by_role("region", name="Rappels du patient")
    call = callbacks.get_by_role("link", name="Appeler le 06 11 22 33 44")
    expect(call).to_have_attribute("href", "tel:+33611223344")
    expect(callbacks).to_contain_text("Aucun appel consigné.")

    close = page.get_by_role("region", name="Clôturer la demande")
    close.get_by_label("Patient injoignable").check()
    close.get_by_role("button", name="Clôturer").click()
    expect(close.get_by_role("alert")).to_contain_text("3 tentatives de rappel")

    callbacks.get_by_label("Note (facultatif)").fill("Sonnerie, pas de messagerie")
    callbacks.get_by_role("button", name="Pas de réponse").click()
    expect(callbacks).to_contain_text("1 appel sans réponse")
    callbacks.get_by_role("button", name="Messagerie").click()
    expect(callbacks).to_contain_text("2 appels sans réponse")
    callbacks.get_by_role("button", name="Occupé").click()
    expect(callbacks).to_contain_text("3 appels sans réponse")
    expect(callbacks).to_contain_text("la demande peut être clôturée « patient injoignable »")
    attempts = callbacks.get_by_role("table", name="Appels au patient").get_by_role("row")
    expect(attempts).to_have_count(4)  # the header and the three calls
    expect(attempts.nth(1)).to_contain_text("Sonnerie, pas de messagerie")

    close.get_by_label("Patient injoignable").check()
    close.get_by_role("button", name="Clôturer").click()

    expect(heading(page)).to_have_text("File d'attente")
    expect(
        page.get_by_role("status").filter(has_text="Demande clôturée : Patient injoignable.")
    ).to_be_visible()
    expect(queue_row(page, "Paule INJOIGNABLE")).to_have_count(0)
    detail = api(page, "GET", f"/api/regulation/requests/{created['id']}")
    assert (detail["status"], detail["outcome"]) == ("closed", "unreachable")
    assert [a["result"] for a in detail["callback_attempts"]] == ["no_answer", "voicemail", "busy"]


def test_each_waiting_request_shows_its_time_left_in_a_colour(page: Page, live_server: str) -> None:
    """A request still to triage (within the hour) is green at arrival and amber, « échéance
    proche », for its last third (20 min); hours left (triaged, P2 or P3): green, « dans les
    temps ». The page's clock is moved on: the console counts down without re-fetching."""
    login(page, "operator")
    protocol = api(page, "GET", "/api/regulation/protocols/current")["document"]
    sore_throat = next(m for m in protocol["motifs"] if m["id"] == "sore_throat")
    answers: dict[str, object] = {
        f["id"]: False
        for f in [*protocol["red_flags"], *protocol["risk_factors"]]
        if not f.get("age_bands") or "adult" in f["age_bands"]
    }
    for question in sore_throat["questions"]:  # the mildest answers
        answers[question["id"]] = question["choices"][0]["id"] if question.get("choices") else False
    body = {
        "birth_date": "1981-04-02",
        "sex": "male",
        "phone": "06 55 44 33 22",
        "commune_insee": "35236",
        "mobility": "can_travel",
        "motif": "sore_throat",
        "claim": False,
    }
    untriaged = body | {"family_name": "Couleur", "given_name": "Ambre"}
    api(page, "POST", "/api/regulation/requests", untriaged)
    triaged = api(
        page,
        "POST",
        "/api/regulation/requests",
        body | {"family_name": "Couleur", "given_name": "Vert", "answers": answers},
    )
    assert triaged["priority"] in ("P2", "P3"), triaged

    page.clock.install()
    page.goto("/regulation")
    soon, ok = queue_row(page, "Ambre COULEUR"), queue_row(page, "Vert COULEUR")
    expect(soon).to_have_class(re.compile(r"\bqueue-row-ok\b"))  # not amber from arrival
    page.clock.fast_forward("42:00")
    expect(soon).to_have_class(re.compile(r"\bqueue-row-soon\b"))
    expect(soon.locator(".urgency")).to_contain_text("échéance proche")
    expect(ok).to_have_class(re.compile(r"\bqueue-row-ok\b"))
    expect(ok.locator(".urgency")).to_contain_text("dans les temps")
    amber = soon.locator(".urgency-dot").evaluate("e => getComputedStyle(e).backgroundColor")
    green = ok.locator(".urgency-dot").evaluate("e => getComputedStyle(e).backgroundColor")
    assert amber == "rgb(217, 119, 6)"
    assert green != amber
