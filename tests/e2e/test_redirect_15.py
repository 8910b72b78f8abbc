"""Browser journeys of issue 16, point 2: a call sent to the 15 is recorded with only what is
known (a first name and the red flag); on a phone, the pharmacy sees « Appeler le 15 » (tel:15)
as soon as a red flag is ticked, before recording anything."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.e2e.test_regulation import answer, api, contexts, heading, person

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the fixture, shared with test_regulation


def test_an_operator_records_a_redirect_to_the_15_with_only_a_first_name(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    operator.get_by_role("link", name="Nouvel appel").click()
    expect(heading(operator)).to_have_text("Nouvel appel")
    operator.get_by_label("Prénom").fill("Maïwenn")
    # Without a birth date, the red flags of every age are asked.
    answer(operator, "Détresse respiratoire", "Oui")

    alert = operator.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")
    alert.get_by_role("button", name="Consigner l'appel : patient réorienté vers le 15").click()

    done = operator.get_by_role("alert").filter(has_text="patient réorienté vers le 15")
    expect(done).to_contain_text("Appel consigné : patient réorienté vers le 15.")
    expect(done).to_contain_text("Détresse respiratoire")
    refused = operator.get_by_role("alert").filter(has_text="n'a pas été enregistrée")
    expect(refused).to_have_count(0)


def test_the_pharmacy_on_a_phone_sees_call_the_15_before_recording_then_records_a_first_name(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    pharmacist.get_by_role("link", name="Orienter un patient").click()
    expect(heading(pharmacist)).to_have_text("Orienter un patient")
    call = pharmacist.get_by_role("link", name="Appeler le 15")
    expect(call).to_have_count(0)

    pharmacist.get_by_role("checkbox", name="Douleur thoracique").check()

    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:15")
    expect(call).to_be_in_viewport()
    # Nothing recorded yet: the button comes before the form is sent.
    mine = api(pharmacist, "GET", "/api/regulation/referrals/mine")
    assert mine["total"] == 0 or all(r["given_name"] != "Gwenaëlle" for r in mine["items"])

    pharmacist.get_by_label("Prénom").fill("Gwenaëlle")
    pharmacist.get_by_role("button", name="Enregistrer : patient orienté vers le 15").click()

    expect(pharmacist.get_by_text("Orientation vers le 15 enregistrée.")).to_be_visible()
    expect(pharmacist.get_by_role("link", name="Appeler le 15")).to_be_visible()
