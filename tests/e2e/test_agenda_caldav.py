"""Browser journey: a GP connects the CalDAV calendar they keep (a real Radicale) from the
agenda's calendars tab; the busy time read from it is listed and the free SNP slot under it is
reported withdrawn, then gone from the week."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_agenda_gp import open_slot_at
from tests.e2e.test_regulation import api, heading, login
from tests.support.radicale_server import PASSWORD, USER, Radicale, event_ical, running_radicale

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")


live_server = module_server(
    "e2e-caldav", {"SNP_CALDAV_KEY": "e2e-caldav-key", "SNP_ICS_ALLOW_PRIVATE_HOSTS": "true"}
)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale-e2e")) as server:
        yield server


@pytest.fixture
def gp(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, "effector")
    yield page
    context.close()


def test_connecting_a_caldav_calendar_lists_its_busy_time_and_withdraws_the_slot_under_it(
    gp: Page, radicale: Radicale
) -> None:
    me = api(gp, "GET", "/api/agenda/me")
    day = datetime.now(PARIS).date() + timedelta(days=5)
    slot = open_slot_at(
        gp, me["sites"][0]["id"], datetime(day.year, day.month, day.day, 6, 20, tzinfo=PARIS), 20
    )
    start = datetime.fromisoformat(slot["start_at"]).astimezone(PARIS)
    radicale.calendar().save_event(
        event_ical(
            dtstart=start - timedelta(minutes=10),
            dtend=start + timedelta(minutes=30),
            uid="e2e-meeting",
            summary="Réunion privée",
        )
    )

    gp.goto("/agenda/calendriers")
    expect(heading(gp)).to_have_text("Calendriers (ICS)")
    card = gp.get_by_role("region", name="Synchronisation CalDAV", exact=True)
    card.get_by_label("Adresse CalDAV du calendrier").fill(radicale.calendar_url)
    card.get_by_label("Identifiant").fill(USER)
    card.get_by_label("Mot de passe d'application").fill(PASSWORD)
    card.get_by_label("Inscrire mes rendez-vous SNP").check()
    card.get_by_role("button", name="Connecter le calendrier").click()

    expect(card.get_by_role("status", name="Dernière synchronisation")).to_contain_text(
        "1 créneau(x) libre(s) retiré(s)"
    )
    busy = card.get_by_role("region", name="Plages occupées relues")
    expect(busy.get_by_role("listitem")).to_have_count(1)
    expect(card.get_by_label("Mot de passe d'application")).to_have_value("")
    window = urlencode(
        {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
    )
    assert [s["id"] for s in api(gp, "GET", f"/api/agenda/slots?{window}")] == []


def test_wrong_credentials_are_shown_in_french_on_the_address(gp: Page, radicale: Radicale) -> None:
    gp.goto("/agenda/calendriers")
    card = gp.get_by_role("region", name="Synchronisation CalDAV", exact=True)
    card.get_by_label("Adresse CalDAV du calendrier").fill(radicale.calendar_url)
    card.get_by_label("Identifiant").fill(USER)
    card.get_by_label("Mot de passe d'application").fill("mauvais")
    card.get_by_role("button", name="Connecter le calendrier").click()
    expect(card.get_by_role("alert").first).to_contain_text("mot de passe d'application refusé")
