"""Browser journeys of issue 16, points 9 and 2 (follow-up): the coordinator's supervision page
shows the phone line's health beside the queue's, live (a ringing call waiting, then answered);
a redirect to the 15 recorded with only a first name appears in the regulator's « suivi 15 »,
marked as recorded without a request, live."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_phone_line import ALWAYS_OPEN
from tests.e2e.test_regulation import api, heading, person

pytestmark = pytest.mark.e2e

live_server = module_server("e2e-supervision", ALWAYS_OPEN)


def figure(page: Page, test_id: str) -> Locator:
    return page.get_by_test_id(test_id).locator("dd")


def count(page: Page, test_id: str) -> int:
    shown = figure(page, test_id)
    expect(shown).to_have_text(re.compile(r"^\d+"))
    return int(re.findall(r"^\d+", shown.inner_text())[0])


def test_the_supervision_page_shows_a_ringing_call_waiting_then_answered_live(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    coordinator = person(contexts, browser, live_server, "coordinator")
    coordinator.goto("/coordination/supervision")
    expect(heading(coordinator)).to_have_text("Supervision de la file")
    line = coordinator.get_by_role("region", name="Ligne téléphonique")
    expect(line.get_by_test_id("line-health")).to_contain_text("Ligne ouverte")
    expect(figure(coordinator, "line-waiting")).to_have_text("0")
    expect(figure(coordinator, "line-longest")).to_have_text("—")
    answered_before = count(coordinator, "line-today-answered")
    received_before = count(coordinator, "line-today-received")

    operator = person(contexts, browser, live_server, "operator")
    api(operator, "PUT", "/api/voice/presence", {"state": "available", "phone": "06 11 11 11 11"})
    expect(figure(coordinator, "line-available")).to_have_text("1")

    # A call rings: waiting now, with its wait counting, without a reload.
    coordinator.evaluate("window.__sameDocument = true")
    api(coordinator, "POST", "/api/voice/console/calls", {"sender": "06 45 67 89 01"})
    expect(figure(coordinator, "line-waiting")).to_have_text("1")
    expect(figure(coordinator, "line-longest")).to_have_text(re.compile(r"^\d+ s$"))
    expect(figure(coordinator, "line-today-received")).to_have_text(str(received_before + 1))
    expect(line).not_to_contain_text("89 01")  # no number on the supervisor's page

    # The operator answers it: nobody waits, the operator is on a call, one more answered.
    [call] = api(operator, "GET", "/api/voice/board")["waiting"]
    api(operator, "POST", f"/api/voice/calls/{call['id']}/take", {})
    expect(figure(coordinator, "line-waiting")).to_have_text("0")
    expect(figure(coordinator, "line-longest")).to_have_text("—")
    expect(figure(coordinator, "line-on-call")).to_have_text("1")
    expect(figure(coordinator, "line-available")).to_have_text("0")
    expect(figure(coordinator, "line-today-answered")).to_have_text(str(answered_before + 1))
    expect(figure(coordinator, "line-today-quick")).to_have_text(re.compile(r"^\d+$"))
    assert coordinator.evaluate("window.__sameDocument === true"), "the page was reloaded"


def test_a_redirect_recorded_with_only_a_first_name_appears_in_the_regulators_follow_up(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    regulator = person(contexts, browser, live_server, "regulator")
    follow_up = regulator.get_by_role("region", name="Suivi des appels réorientés vers le 15")
    expect(follow_up).to_be_visible()
    regulator.evaluate("window.__sameDocument = true")

    operator = person(contexts, browser, live_server, "operator")
    recorded = api(
        operator,
        "POST",
        "/api/regulation/redirects-15",
        {"given_name": "Maïwenn", "red_flag_id": "chest_pain", "note": "Douleur depuis 20 min"},
    )

    row = follow_up.get_by_test_id("follow-up-redirect").filter(has_text="Maïwenn")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Consigné sans dossier")
    expect(row).to_contain_text(recorded["red_flag_text"])
    expect(row).to_contain_text("Douleur depuis 20 min")
    expect(row).to_contain_text("Patient invité à appeler le 15 immédiatement")
    expect(row).to_contain_text(f"consigné par {recorded['recorded_by_name']}")
    assert regulator.evaluate("window.__sameDocument === true"), "the page was reloaded"
