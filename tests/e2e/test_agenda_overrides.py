"""Browser journey of changed hours on one date (« horaires modifiés »): the GP changes next
Tuesday's hours, sees what changes before confirming, then sees the day marked and the new slots
in the week; the operator's matching proposes a slot of the new hours and no longer the old
ones. On a phone the form fits the screen.

This module runs its own server (the demo territory). Set-up goes through the API; what is
checked goes through the UI. The demo GP is Dr Anne Martin.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_agenda_gp import person
from tests.e2e.test_regulation import api, heading
from tests.e2e.test_sms_demo_page import intake

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")


# Next Tuesday may be a week away: the matching's later slots (nothing fits a P2's 24 hours
# here) are looked for over ten days rather than two, so that it reaches that Tuesday.
live_server = module_server("e2e-agenda-overrides", {"SNP_REGULATION_AFTER_DEADLINE_HOURS": "240"})


def next_tuesday(weeks_later: int = 0) -> date:
    today = datetime.now(PARIS).date()
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7, weeks=weeks_later)


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).isoformat()


def martin_starts_on(operator: Page, request_id: int, day: date) -> set[str]:
    """The start times (Paris, HH:MM) on `day` of Dr Martin's slots the matching proposes."""
    found = api(operator, "GET", f"/api/regulation/requests/{request_id}/candidates?limit=50")
    return {
        f"{datetime.fromisoformat(c['start_at']).astimezone(PARIS):%H:%M}"
        for c in found["items"]
        if "Martin" in c["effector"]["name"]
        and datetime.fromisoformat(c["start_at"]).astimezone(PARIS).date() == day
    }


def change_hours(page: Page, day: date, start: str, end: str, minutes: str) -> Any:
    """Open the form, fill the date, the first range and the slot length; returns the dialog."""
    page.get_by_role("button", name="Modifier les horaires d'un jour").click()
    dialog = page.get_by_role("dialog", name="Modifier les horaires d'un jour")
    dialog.get_by_label("Date").fill(day.isoformat())
    first = dialog.get_by_role("group", name="Plage 1")
    first.get_by_label("De").fill(start)
    first.get_by_label("À").fill(end)
    dialog.get_by_label("Durée d'un créneau (minutes)").fill(minutes)
    return dialog


def test_the_gp_changes_next_tuesday_s_hours_and_the_matching_follows(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    gp = person(contexts, browser, live_server, "effector", "desktop")
    me = api(gp, "GET", "/api/agenda/me")
    tuesday = next_tuesday()
    api(
        gp,
        "POST",
        "/api/agenda/templates",
        {
            "site_id": me["sites"][0]["id"],
            "weekdays": "TU",
            "start_time": "09:00",
            "end_time": "12:00",
            "slot_minutes": 30,
        },
    )
    operator = person(contexts, browser, live_server, "operator", "desktop")
    request = intake(operator, "Kervella", "Loïc", "06 98 76 12 12")
    assert "09:00" in martin_starts_on(operator, request["id"], tuesday)

    gp.goto("/agenda/disponibilites")
    card = gp.get_by_role("region", name="Horaires modifiés", exact=True)
    expect(card).to_contain_text("Aucun jour aux horaires modifiés à venir.")
    dialog = change_hours(gp, tuesday, "14:00", "16:00", "30")
    # No confirming before seeing what changes.
    expect(dialog.get_by_role("button", name="Confirmer les nouveaux horaires")).to_have_count(0)
    dialog.get_by_role("button", name="Voir les changements").click()
    preview = dialog.get_by_role("region", name="Ce qui changera ce jour-là")
    expect(preview).to_contain_text("4 créneaux seront ouverts.")
    expect(preview).to_contain_text("6 créneaux libres habituels seront retirés")
    expect(preview).to_contain_text("09:00–09:30")
    dialog.get_by_role("button", name="Confirmer les nouveaux horaires").click()

    expect(gp.get_by_role("dialog")).to_have_count(0)
    expect(card.get_by_role("status")).to_contain_text(
        "Horaires modifiés : 4 créneaux ouverts, 6 créneaux habituels retirés."
    )
    expect(card).to_contain_text(tuesday.strftime("%d/%m/%Y"))
    expect(card).to_contain_text("14:00–16:00 (créneaux de 30 min)")

    gp.goto("/agenda")
    expect(heading(gp)).to_have_text("Mon agenda SNP")
    calendar = gp.locator(".ag-calendar")
    mark = calendar.locator(f"[data-overridden='{tuesday.isoformat()}']")
    for _ in range(3):
        expect(calendar.locator(".fc-view")).to_be_visible()
        if mark.count() > 0:
            break
        title = calendar.locator(".fc-toolbar-title")
        before = title.inner_text()
        calendar.get_by_role("button", name="Semaine suivante").click()
        expect(title).not_to_have_text(before)
    expect(mark).to_have_text("horaires modifiés")
    expect(calendar.locator(f".fc-event[data-start='{at(tuesday, 14)}']")).to_have_count(1)
    expect(calendar.locator(f".fc-event[data-start='{at(tuesday, 15, 30)}']")).to_have_count(1)
    expect(calendar.locator(f".fc-event[data-start='{at(tuesday, 9)}']")).to_have_count(0)

    proposed = martin_starts_on(operator, request["id"], tuesday)
    assert "14:00" in proposed
    assert not {"09:00", "09:30", "10:00", "10:30", "11:00", "11:30"} & proposed


def test_on_a_phone_the_form_fits_and_a_bad_range_is_named(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    gp = person(contexts, browser, live_server, "effector", "phone")
    gp.goto("/agenda/disponibilites")
    dialog = change_hours(gp, next_tuesday(2), "12:00", "10:00", "20")
    dialog.get_by_role("button", name="Voir les changements").click()

    summary = dialog.get_by_role("alert")
    expect(summary).to_contain_text("L'heure de fin doit être après l'heure de début.")
    end = dialog.get_by_role("group", name="Plage 1").get_by_label("À")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(summary.get_by_role("link")).to_have_attribute("href", f"#{end.get_attribute('id')}")
    # Ranges added and removed with the keyboard-reachable buttons; nothing wider than the phone.
    dialog.get_by_role("button", name="Ajouter une plage").click()
    expect(dialog.get_by_role("group", name="Plage 2")).to_be_visible()
    dialog.get_by_role("button", name="Retirer la plage 2").click()
    expect(dialog.get_by_role("group", name="Plage 2")).to_have_count(0)
    width = gp.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
