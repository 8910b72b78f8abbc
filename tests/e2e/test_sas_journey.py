"""The SAS journey end to end: the platform searches our slots (INT_R04), a SAS regulator
follows a slot's URL with `origin=sas`, logs in, books; the platform receives the Appointment
(INT_R03 POST); the effector marks the patient seen (once the consultation has begun) and the
platform receives the update (PUT).

Its own server (not the package's `live_server`): the SAS settings point it at the fake
platform and the scheduler runs the push job every second."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from sas import fhir
from tests.e2e.conftest import DEMO_ACCOUNTS, demo_server
from tests.sas.fake_platform import SAS_SUBJECT, SAS_SUBJECTS_SETTING, FakeSasPlatform
from tests.support.postgres import free_port

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(scope="module")
def sas_platform() -> Iterator[FakeSasPlatform]:
    platform = FakeSasPlatform().start()
    yield platform
    platform.stop()


@pytest.fixture(scope="module")
def sas_server(
    tmp_path_factory: pytest.TempPathFactory, sas_platform: FakeSasPlatform
) -> Iterator[str]:
    port = free_port()
    settings = {
        "SNP_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "SNP_SAS_CLIENT_SUBJECTS": SAS_SUBJECTS_SETTING,
        "SNP_SAS_PLATFORM_URL": sas_platform.url,
        "SNP_SAS_PUSH_INTERVAL_SECONDS": "1",
        "SNP_SAS_RETRY_BASE_SECONDS": "1",
        "SNP_SCHEDULER_ENABLED": "true",
    }
    with demo_server(tmp_path_factory, "e2e-sas", settings, port) as base:
        yield base


@contextlib.contextmanager
def logged_in(base: str, role: str) -> Iterator[httpx.Client]:
    email, password = DEMO_ACCOUNTS[role]
    with httpx.Client(base_url=base, timeout=10) as http:
        response = http.post("/api/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        http.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield http


def log_in_from(page: Page, url: str) -> None:
    """Open a `Slot.comment` URL: log in as the demo SAS regulator, accept the terms of use the
    first time, land back on that URL."""
    page.goto(url)
    expect(page).to_have_url(re.compile(r"/connexion$"))
    email, password = DEMO_ACCOUNTS["sas_regulator"]
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(url)
    accept = page.get_by_role("button", name="J'ai lu et j'accepte les conditions d'utilisation")
    heading = page.get_by_role("heading", name=re.compile("^Créneaux SAS — "))
    expect(accept.or_(heading)).to_be_visible()
    if accept.is_visible():
        accept.click()
    expect(heading).to_be_visible()


def fill_patient(page: Page) -> None:
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Prénom").fill("Paul")
    page.get_by_label("Date de naissance").fill("1970-05-04")
    page.get_by_label("Téléphone mobile").fill("06 12 34 56 78")
    page.get_by_label("Commune", exact=True).select_option(index=1)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    """The push job runs every second in the server: poll the fake platform until it has it."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"the fake SAS platform never received {what}")
        time.sleep(0.2)


def server_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    # `sas_server` made it in `mktemp("e2e-sas")` (pytest numbers the directory).
    found = sorted(
        {p.resolve() for p in tmp_path_factory.getbasetemp().glob("e2e-sas*/e2e-sas.db")}
    )
    assert len(found) == 1, found
    return str(found[0])


def began_a_minute_ago(database: str, appointment_id: str) -> None:
    """The server's SQLite stores naive UTC times."""
    start = datetime.now(UTC) - timedelta(minutes=1)

    def stored(value: datetime) -> str:
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    with sqlite3.connect(database, timeout=10) as connection:
        changed = connection.execute(
            "UPDATE appointments SET start_at = ?, end_at = ? WHERE id = ?",
            (stored(start), stored(start + timedelta(minutes=20)), appointment_id),
        ).rowcount
    assert changed == 1


def test_sas_regulator_books_from_a_slot_url_and_the_platform_follows(
    browser: Browser,
    sas_server: str,
    sas_platform: FakeSasPlatform,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The effector opens a slot later today (an appointment of today can be reported).
    with logged_in(sas_server, "effector") as effector:
        me = effector.get("/api/agenda/me").json()
        now = datetime.now(PARIS)
        start = (now + timedelta(minutes=2)).replace(second=0, microsecond=0)
        if start.date() != now.date():
            pytest.skip("too close to midnight for a slot today")
        created = effector.post(
            "/api/agenda/slots",
            json={
                "site_id": me["sites"][0]["id"],
                "start_at": start.isoformat(),
                "end_at": (start + timedelta(minutes=20)).isoformat(),
            },
        )
        assert created.status_code == 201, created.text
        rpps = me["rpps"]

    # The platform searches this effector's slots (INT_R04) and gets the booking page's URL.
    with httpx.Client(base_url=sas_server, timeout=7) as platform_client:
        response = platform_client.get(
            "/fhir/Slot",
            params=[
                ("start", f"ge{datetime.now(PARIS).isoformat()}"),
                ("start", f"le{(datetime.now(PARIS) + timedelta(days=2)).isoformat()}"),
                ("schedule.actor:Practitioner.identifier", f"{fhir.IDNPS_SYSTEM}|8{rpps}"),
                ("status", "free"),
            ],
            headers={"X-SSL-Client-S-DN": SAS_SUBJECT, "Accept": "application/json+fhir"},
        )
    assert response.status_code == 200, response.text
    slots = [
        e["resource"] for e in response.json()["entry"] if e["resource"]["resourceType"] == "Slot"
    ]
    ours = next(s for s in slots if s["start"] == start.isoformat(timespec="seconds"))
    url = ours["comment"]
    assert url == f"{sas_server}/sas/effecteurs/{me['id']}/creneaux/{ours['id']}?origin=sas"

    # The regulator follows it, is asked to log in, and lands back on that slot.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page: Page = context.new_page()
    log_in_from(page, url)
    expect(page.get_by_text("Accès régulateur SAS")).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile(f"^Choisir .*{start:%H:%M}"))
    ).to_have_attribute("aria-pressed", "true")  # opened on that slot
    fill_patient(page)
    page.get_by_role("button", name="Réserver ce créneau").click()
    expect(page.get_by_role("heading", name="Rendez-vous réservé")).to_be_visible()
    context.close()

    wanted = start.isoformat(timespec="seconds")
    wait_for(
        lambda: any(a["start"] == wanted for a in sas_platform.appointments.values()),
        "the new appointment",
    )
    identifier = next(k for k, a in sas_platform.appointments.items() if a["start"] == wanted)
    assert sas_platform.statuses(identifier) == ["booked"]
    posted = next(p for p in sas_platform.received if p.resource["start"] == wanted)
    assert posted.method == "POST"
    assert posted.resource["participant"][0]["actor"]["identifier"]["value"] == f"8{rpps}"

    # The effector reports the patient seen, once the consultation has begun (an outcome is
    # refused before the start): the appointment is moved a minute into the past.
    began_a_minute_ago(server_database(tmp_path_factory), identifier)
    with logged_in(sas_server, "effector") as effector:
        reported = effector.put(
            f"/api/agenda/appointments/{identifier}/outcome", json={"outcome": "fulfilled"}
        )
        assert reported.status_code == 200, reported.text
    wait_for(lambda: sas_platform.statuses(identifier) == ["booked", "fulfilled"], "the update")
    assert sas_platform.received[-1].method == "PUT"
    assert (
        sum(
            1
            for p in sas_platform.received
            if p.method == "POST" and p.resource["identifier"][0]["value"] == identifier
        )
        == 1
    )


def test_a_slot_twelve_days_ahead_is_booked_from_its_url_and_pushed(
    browser: Browser, sas_server: str, sas_platform: FakeSasPlatform
) -> None:
    """The search exposes 31 days: a slot 12 days ahead seen in the SAS can be booked here."""
    with logged_in(sas_server, "effector") as effector:
        me = effector.get("/api/agenda/me").json()
        day = (datetime.now(PARIS) + timedelta(days=12)).date()
        start = datetime(day.year, day.month, day.day, 10, 40, tzinfo=PARIS)
        created = effector.post(
            "/api/agenda/slots",
            json={
                "site_id": me["sites"][0]["id"],
                "start_at": start.isoformat(),
                "end_at": (start + timedelta(minutes=20)).isoformat(),
                "reason": "Entrée par la cour",
            },
        )
        assert created.status_code == 201, created.text
    with httpx.Client(base_url=sas_server, timeout=7) as platform_client:
        response = platform_client.get(
            "/fhir/Slot",
            params=[
                ("start", f"ge{datetime.now(PARIS).isoformat()}"),
                ("start", f"le{(datetime.now(PARIS) + timedelta(days=31)).isoformat()}"),
                ("schedule.actor:Practitioner.identifier", f"{fhir.IDNPS_SYSTEM}|8{me['rpps']}"),
                ("status", "free"),
            ],
            headers={"X-SSL-Client-S-DN": SAS_SUBJECT, "Accept": "application/json+fhir"},
        )
    assert response.status_code == 200, response.text
    wanted = start.isoformat(timespec="seconds")
    slot = next(
        e["resource"]
        for e in response.json()["entry"]
        if e["resource"]["resourceType"] == "Slot" and e["resource"]["start"] == wanted
    )
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(15_000)
    page: Page = context.new_page()
    log_in_from(page, slot["comment"])
    recap = page.locator(".sas-recap")
    expect(recap).to_contain_text("10:40")
    expect(recap).to_contain_text("Entrée par la cour")  # the GP's remark on the slot
    fill_patient(page)
    page.get_by_role("button", name="Réserver ce créneau").click()
    expect(page.get_by_role("heading", name="Rendez-vous réservé")).to_be_visible()
    expect(page.get_by_text("Le aujourd'hui")).to_have_count(0)
    page.get_by_role("link", name="Mes réservations SAS").first.click()
    expect(page.get_by_role("rowheader").first).to_be_visible()
    context.close()
    wait_for(
        lambda: any(a["start"] == wanted for a in sas_platform.appointments.values()),
        "the appointment 12 days ahead",
    )
    pushed = next(a for a in sas_platform.appointments.values() if a["start"] == wanted)
    assert pushed["status"] == "booked"
    assert pushed["extension"][0]["url"] == fhir.OPERATOR_EXTENSION
