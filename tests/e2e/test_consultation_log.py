"""Browser journey through the consultation log: the day after an appointment, the demo
effector (Dr Anne Martin) finds it under "Consultations à renseigner" and marks the patient
"Vu" in one click; the coordination sees it to report, then no more.

The appointment is booked through the API (the effector opens a slot, the coordinator books it),
then moved to yesterday in the server's database, as if a day had gone by (the API books only
future slots, and the server's clock cannot be moved).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
PATIENT = "Z.E. 41 ans"


def login(browser: Browser, live_server: str, contexts: list[BrowserContext], role: str) -> Page:
    context = browser.new_context(base_url=live_server, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    contexts.append(context)
    page = context.new_page()
    email, password = DEMO_ACCOUNTS[role]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    return page


def api(page: Page, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call the API with the page's session (and its CSRF token for unsafe methods)."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf"), "")
    response = page.context.request.fetch(
        path, method=method, data=body, headers={"X-CSRF-Token": csrf} if body is not None else {}
    )
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json() if response.status != 204 else None


def open_slot(page: Page, site_id: int, start: datetime) -> int:
    """A 20-minute slot at the first free time from `start` (other journeys share the server)."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf"), "")
    for _ in range(40):
        response = page.context.request.post(
            "/api/agenda/slots",
            data={
                "site_id": site_id,
                "start_at": start.isoformat(),
                "end_at": (start + timedelta(minutes=20)).isoformat(),
            },
            headers={"X-CSRF-Token": csrf},
        )
        if response.ok:
            return int(response.json()["id"])
        assert "Chevauche" in response.text(), response.text()
        start += timedelta(minutes=25)
    raise AssertionError("no free time for a slot")


def move_to_yesterday(database: str, appointment_id: str) -> None:
    """Yesterday 10:00 (Paris): the server's SQLite stores naive UTC times."""
    yesterday = datetime.now(PARIS).date() - timedelta(days=1)
    start = datetime(yesterday.year, yesterday.month, yesterday.day, 10, tzinfo=PARIS)
    end = start + timedelta(minutes=20)

    def stored(value: datetime) -> str:
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    with sqlite3.connect(database, timeout=10) as connection:
        changed = connection.execute(
            "UPDATE appointments SET start_at = ?, end_at = ? WHERE id = ?",
            (stored(start), stored(end), appointment_id),
        ).rowcount
    assert changed == 1


def server_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    # `live_server` made it in `mktemp("e2e")` (pytest adds an `e2ecurrent` link to it).
    found = sorted({p.resolve() for p in tmp_path_factory.getbasetemp().glob("e2e*/e2e.db")})
    assert len(found) == 1, found
    return str(found[0])


def unreported_row(page: Page) -> Locator:
    card = page.get_by_role("region", name="Consultations à renseigner")
    return card.get_by_role("row").filter(has_text=PATIENT)


def test_the_effector_marks_yesterdays_patient_seen_in_one_click(
    browser: Browser,
    live_server: str,
    contexts: list[BrowserContext],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    effector = login(browser, live_server, contexts, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    in_three_days = datetime.now(PARIS).date() + timedelta(days=3)
    slot_id = open_slot(
        effector,
        me["sites"][0]["id"],
        datetime(in_three_days.year, in_three_days.month, in_three_days.day, 7, tzinfo=PARIS),
    )
    coordinator = login(browser, live_server, contexts, "coordinator")
    api(coordinator, "POST", f"/api/agenda/slots/{slot_id}/hold", {})
    appointment = api(
        coordinator, "POST", f"/api/agenda/slots/{slot_id}/confirm", {"patient_label": PATIENT}
    )
    move_to_yesterday(server_database(tmp_path_factory), appointment["id"])

    # The coordination sees it among the consultations to report, with the effector's name.
    coordinator.goto("/coordination")
    coordinator.get_by_role("link", name="Consultations à renseigner").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Consultations à renseigner")
    expect(unreported_row(coordinator)).to_contain_text("Anne Martin")

    # The effector's home lists it; one click records it.
    effector.goto("/agenda")
    row = unreported_row(effector)
    expect(row).to_contain_text("10:00–10:20")
    row.get_by_role("button", name="Vu", exact=True).click()
    expect(unreported_row(effector)).to_have_count(0)

    midnight = datetime.now(PARIS).replace(hour=0, minute=0, second=0, microsecond=0)
    window = f"start={(midnight - timedelta(days=1)).isoformat()}&end={midnight.isoformat()}"
    log = api(effector, "GET", f"/api/agenda/consultations?{window}".replace("+", "%2B"))
    mine = next(c for c in log if c["id"] == appointment["id"])
    assert (mine["status"], mine["after_care"]) == ("fulfilled", None)

    coordinator.reload()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Consultations à renseigner")
    expect(unreported_row(coordinator)).to_have_count(0)
    # The consultation log of the last days shows it seen, with a way to correct it.
    logged = coordinator.get_by_role("region", name="Journal des consultations")
    row = logged.get_by_role("row").filter(has_text=PATIENT)
    expect(row).to_contain_text("Anne Martin")
    expect(row).to_contain_text("Vu")
    expect(row.get_by_role("button", name="Corriger")).to_be_visible()
