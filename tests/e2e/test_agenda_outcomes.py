"""Browser journey of the one-click outcome on the GP's agenda (1280x800 and 390x844): a booked
appointment that has taken place shows « Vu » and « Absent » on its block; one click records
it without opening the details, the block then shows the outcome (no more buttons), and the
consultation log and « Mon activité » count it. The same with the keyboard alone: Tab from the
block to its « Absent » button, Enter. On a phone's week list the buttons are thumb-sized.

This module runs its own server (the demo territory). The appointments are booked through the
API on future slots (the API books only those), then moved earlier today in the server's
database with their slots, as if the time had gone by. The demo GP is Dr Anne Martin.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_agenda_gp import block, open_slot_at, person, tomorrow_at
from tests.e2e.test_regulation import api, heading

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
NAME = "e2e-agenda-outcomes"


live_server = module_server(NAME)


def server_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # `demo_server` made it in `mktemp(NAME)` (pytest adds a `<NAME>current` link to it).
    [found] = {p.resolve() for p in tmp_path_factory.getbasetemp().glob(f"{NAME}*/{NAME}.db")}
    return found


def booked_in_the_past(
    gp: Page, coordinator: Page, database: Path, start: datetime, patient_label: str
) -> dict[str, str | int]:
    """A 20-minute appointment of the GP at `start` (in the past): booked on a future slot by
    the coordination, then moved back in time with its slot (SQLite stores naive UTC)."""
    me = api(gp, "GET", "/api/agenda/me")
    slot = open_slot_at(gp, me["sites"][0]["id"], tomorrow_at(6, 5), minutes=20)
    api(coordinator, "POST", f"/api/agenda/slots/{slot['id']}/hold", {})
    appointment = api(
        coordinator,
        "POST",
        f"/api/agenda/slots/{slot['id']}/confirm",
        {"patient_label": patient_label},
    )

    def stored(value: datetime) -> str:
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    times = (stored(start), stored(start + timedelta(minutes=20)))
    with sqlite3.connect(database, timeout=10) as connection:
        moved = connection.execute(
            "UPDATE slots SET start_at = ?, end_at = ? WHERE id = ?", (*times, slot["id"])
        ).rowcount
        moved += connection.execute(
            "UPDATE appointments SET start_at = ?, end_at = ? WHERE id = ?",
            (*times, appointment["id"]),
        ).rowcount
    assert moved == 2
    return {"slot_id": slot["id"], "appointment_id": appointment["id"]}


def minutes_ago(minutes: int) -> datetime:
    """`minutes` ago (Paris), on a 5-minute boundary."""
    at = datetime.now(PARIS) - timedelta(minutes=minutes)
    return at.replace(minute=at.minute - at.minute % 5, second=0, microsecond=0)


def shown_block(page: Page, slot_id: int, screen: str) -> Locator:
    """The block of the slot, today (this week on a desktop) or, just after midnight, the
    period before."""
    target = block(page, slot_id)
    calendar = page.locator(".ag-calendar")
    expect(calendar.locator(".fc-view")).to_be_visible()
    try:
        expect(target).to_have_count(1, timeout=3_000)
    except AssertionError:
        back = "Jour précédent" if screen == "phone" else "Semaine précédente"
        calendar.get_by_role("button", name=back).click()
        expect(target).to_have_count(1)
    return target


def seen_this_month(page: Page) -> int:
    page.goto("/agenda/activite")
    expect(heading(page)).to_have_text("Mon activité")
    month = page.get_by_role("region", name="Ce mois-ci")
    label = page.locator("dt", has_text="Patients vus via la CPTS")
    figure = month.locator("div").filter(has=label)
    expect(figure.locator("dd")).to_have_text(re.compile(r"^\d+$"))
    return int(figure.locator("dd").inner_text())


def assert_whole_inside(inner: Locator, outer: Locator) -> None:
    """`inner` is drawn whole within `outer` (not cut by the block's edges)."""
    box, frame = inner.bounding_box(), outer.bounding_box()
    assert box is not None
    assert frame is not None
    assert frame["x"] <= box["x"]
    assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
    assert frame["y"] <= box["y"]
    assert box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5


def thumb_sized_in_the_week_list(page: Page, slot_id: int) -> None:
    """On a phone's week list the block's buttons are at least 44 px each way (the grid's are
    small to fit a 15-minute block); then back to today's day view."""
    calendar = page.locator(".ag-calendar")
    calendar.get_by_role("button", name="Semaine", exact=True).click()
    expect(calendar.locator(".fc-listWeek-view")).to_be_visible()
    listed = shown_block(page, slot_id, "desktop")  # week by week, as on a desktop
    buttons = listed.get_by_role("group", name="Issue de la consultation").get_by_role("button")
    expect(buttons).to_have_text(["Vu", "Absent"])
    for button in buttons.all():
        box = button.bounding_box()
        assert box is not None
        assert box["height"] >= 44
        assert box["width"] >= 44
        assert box["x"] + box["width"] <= 390
    today = calendar.get_by_role("button", name="Aujourd'hui")
    if today.is_enabled():  # the list went back a week (just after midnight on a Monday)
        today.click()
    calendar.get_by_role("button", name="Jour", exact=True).click()
    expect(calendar.locator(".fc-timeGridDay-view")).to_be_visible()


def logged(page: Page, patient_label: str) -> Locator:
    log = page.get_by_role("region", name="Journal des consultations")
    return log.get_by_role("row").filter(has_text=patient_label)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_past_appointment_is_marked_seen_then_absent_in_one_click_from_its_block(
    browser: Browser,
    live_server: str,
    contexts: list[BrowserContext],
    tmp_path_factory: pytest.TempPathFactory,
    screen: str,
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    coordinator = person(contexts, browser, live_server, "coordinator", "desktop")
    database = server_database(tmp_path_factory)
    # Each run at its own times and with its own patients (the server is shared).
    earlier = 0 if screen == "desktop" else 60
    seen_label, absent_label = ("V.U. 61 ans", "A.B. 33 ans")
    if screen == "phone":
        seen_label, absent_label = ("V.T. 62 ans", "A.C. 34 ans")
    seen = booked_in_the_past(gp, coordinator, database, minutes_ago(45 + earlier), seen_label)
    absent = booked_in_the_past(gp, coordinator, database, minutes_ago(75 + earlier), absent_label)
    seen_before = seen_this_month(gp)

    gp.goto("/agenda")
    expect(heading(gp)).to_have_text("Mon agenda SNP")
    if screen == "phone":
        thumb_sized_in_the_week_list(gp, int(seen["slot_id"]))
    seen_block = shown_block(gp, int(seen["slot_id"]), screen)
    expect(seen_block).to_have_attribute("data-outcome", "booked")
    outcome = seen_block.get_by_role("group", name="Issue de la consultation")
    expect(outcome.get_by_role("button")).to_have_text(["Vu", "Absent"])
    seen_block.scroll_into_view_if_needed()
    for button in outcome.get_by_role("button").all():
        assert_whole_inside(button, seen_block)

    # One click on the block's « Vu »: recorded, the details are not opened.
    outcome.get_by_role("button", name=re.compile(r"^Patient vu — ")).click()

    expect(gp.get_by_role("status").filter(has_text="renseigné")).to_contain_text("Patient vu (")
    expect(gp.get_by_role("dialog")).to_have_count(0)
    expect(seen_block).to_have_attribute("data-outcome", "fulfilled")
    expect(seen_block.locator(".ag-slot-outcome")).to_have_text(" · Vu")
    expect(seen_block.get_by_role("button")).to_have_count(0)
    expect(seen_block).to_have_attribute("aria-label", re.compile(r"^Patient vu"))

    # « Absent » with the keyboard alone: from the block, Tab to its button, Enter.
    absent_block = shown_block(gp, int(absent["slot_id"]), screen)
    absent_block.focus()
    absent_button = absent_block.get_by_role("button", name=re.compile(r"^Patient absent — "))
    for _ in range(4):
        gp.keyboard.press("Tab")
        if absent_button.evaluate("(el) => el === document.activeElement"):
            break
    expect(absent_button).to_be_focused()
    gp.keyboard.press("Enter")

    expect(gp.get_by_role("dialog")).to_have_count(0)
    expect(absent_block).to_have_attribute("data-outcome", "noshow")
    expect(absent_block.locator(".ag-slot-outcome")).to_have_text(" · Absent")
    expect(absent_block.get_by_role("button")).to_have_count(0)

    # The consultation log shows both, with a way to correct them.
    expect(logged(gp, seen_label)).to_contain_text("Vu")
    expect(logged(gp, absent_label)).to_contain_text("Absent")
    expect(logged(gp, absent_label).get_by_role("button", name="Corriger")).to_be_visible()

    # « Mon activité » counts the patient seen (not the absent one).
    assert seen_this_month(gp) == seen_before + 1
