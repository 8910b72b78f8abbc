"""Browser journeys of the GP's agenda, on a desktop (1280x800) and a phone (390x844): a 21:00
slot in view with its text readable, a booked appointment moved from the block (the patient's
SMS queued), the phone's week list readable and every section tab in view.

This module runs its own server (the demo territory, console SMS backend so the coordinator's
SMS demo page shows what was queued). Set-up goes through the API; what is checked goes through
the UI. The demo GP is Dr Anne Martin.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_regulation import api, heading, login, open_slot
from tests.e2e.test_sms_demo_page import intake

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


live_server = module_server(
    "e2e-agenda-gp", {"SNP_SMS_BACKEND": "console", "SNP_SMS_DISPATCH_INTERVAL_SECONDS": "0.5"}
)


def person(
    contexts: list[BrowserContext], browser: Browser, live_server: str, role: str, screen: str
) -> Page:
    options: dict[str, Any] = {
        "base_url": live_server,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "viewport": VIEWPORTS[screen],
    }
    if screen == "phone":
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    contexts.append(context)
    page = context.new_page()
    login(page, role)
    return page


def open_slot_at(page: Page, site_id: int, start: datetime, minutes: int) -> dict[str, Any]:
    """Open a slot at `start` or, when the shared server already has one there, a day later."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf"), "")
    for _ in range(30):
        response = page.context.request.post(
            "/api/agenda/slots",
            data={
                "site_id": site_id,
                "start_at": start.isoformat(),
                "end_at": (start + timedelta(minutes=minutes)).isoformat(),
            },
            headers={"X-CSRF-Token": csrf},
        )
        if response.ok:
            created: dict[str, Any] = response.json()
            return created
        assert "Chevauche" in response.text(), response.text()
        start += timedelta(days=1)
    raise AssertionError("no free time for a slot")


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = datetime.now(PARIS).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def block(page: Page, slot_id: int) -> Locator:
    return page.locator(f".ag-calendar .fc-event[data-slot-id='{slot_id}']")


def show_block(page: Page, slot_id: int, screen: str) -> Locator:
    """Go forward (week by week on a desktop or in a week list, day by day in a phone's day
    view) until the slot is shown."""
    target = block(page, slot_id)
    calendar = page.locator(".ag-calendar")
    for _ in range(40):
        expect(calendar.locator(".fc-view")).to_be_visible()
        by_day = screen == "phone" and calendar.locator(".fc-timeGridDay-view").count() > 0
        step = "Jour suivant" if by_day else "Semaine suivante"
        try:  # the slots of the shown period arrive after it is drawn
            expect(target).to_have_count(1, timeout=2_000)
        except AssertionError:
            pass
        else:
            return target
        title = calendar.locator(".fc-toolbar-title")
        before = title.inner_text()
        calendar.get_by_role("button", name=step).click()
        expect(title).not_to_have_text(before)
    raise AssertionError(f"slot {slot_id} never shown")


def visible_characters(element: Locator) -> list[int]:
    """For each line of text in the element: how many characters are not cut (by the block's
    width or height), estimated from its rendered size."""
    measured: list[int] = element.evaluate(
        """(el) => {
            const box = el.closest('.fc-event, .fc-list-event') || el;
            const outer = box.getBoundingClientRect();
            const text = el.textContent.trim();
            if (!text) return [0];
            const range = document.createRange();
            range.selectNodeContents(el);
            const rects = Array.from(range.getClientRects());
            let shown = 0, total = 0;
            for (const r of rects) {
                total += r.width * r.height;
                const w = Math.min(r.right, outer.right) - Math.max(r.left, outer.left);
                const h = Math.min(r.bottom, outer.bottom) - Math.max(r.top, outer.top);
                shown += Math.max(0, w) * Math.max(0, h);
            }
            return [Math.floor(text.length * (total ? shown / total : 0))];
        }"""
    )
    return measured


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_21_00_slot_is_in_view_and_a_15_minute_block_reads_whole(
    browser: Browser, live_server: str, contexts: list[BrowserContext], screen: str
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    me = api(gp, "GET", "/api/agenda/me")
    late = open_slot_at(gp, me["sites"][0]["id"], tomorrow_at(21, 0), minutes=15)
    gp.goto("/agenda")
    expect(heading(gp)).to_have_text("Mon agenda SNP")

    shown = show_block(gp, late["id"], screen)

    expect(shown).to_be_visible()
    expect(shown).to_contain_text("21:00")
    expect(shown).to_contain_text("Libre")
    expect(shown).to_have_attribute("aria-label", re.compile(r"21:00–21:15.*partagé avec le SAS"))
    expect(shown.locator(".ag-mark-sas")).to_have_text("SAS")
    # The grid reaches past 21:00: the 21:00 row and its block are drawn, the block whole.
    expect(gp.locator(".ag-calendar .fc-timegrid-slot[data-time='21:00:00']").first).to_be_visible()
    title = shown.locator(".ag-slot-title")
    assert visible_characters(title)[0] >= len("Libre"), visible_characters(title)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_booked_appointment_is_moved_from_its_block_and_the_patient_is_told(
    browser: Browser, live_server: str, contexts: list[BrowserContext], screen: str
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    me = api(gp, "GET", "/api/agenda/me")
    site = me["sites"][0]["id"]
    # Both within the triage's deadline (P2: 24 hours): a later move would be refused.
    first = open_slot(gp, site, datetime.now(PARIS) + timedelta(hours=2))
    later = open_slot(gp, site, datetime.now(PARIS) + timedelta(hours=5))
    operator = person(contexts, browser, live_server, "operator", "desktop")
    family = "Quéré" if screen == "desktop" else "Morvan"
    request = intake(
        operator, family, "Yann", "06 98 76 33 44" if screen == "desktop" else "06 98 76 55 66"
    )
    path = f"/api/regulation/requests/{request['id']}"
    api(operator, "POST", f"{path}/hold", {"slot_id": first["id"]})
    api(operator, "POST", f"{path}/confirm", {"slot_id": first["id"]})

    gp.goto("/agenda")
    booked = show_block(gp, first["id"], screen)
    expect(booked).to_have_attribute("data-state", "booked")
    booked.click()
    details = gp.get_by_role("dialog", name="Créneau")
    expect(details).to_contain_text("Régulation de la CPTS")  # who booked, not the slot's source
    expect(details).to_contain_text("Consultation à venir")
    details.get_by_role("button", name="Déplacer le rendez-vous").click()
    dialog = gp.get_by_role("dialog", name="Déplacer le rendez-vous")
    dialog.get_by_role("button", name="Déplacer").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Choisissez un créneau.")
    new_time = datetime.fromisoformat(later["start_at"]).astimezone(PARIS)
    choice = dialog.get_by_label("Nouveau créneau")
    # (By its slot: its label has the day's date too when the slot runs past midnight.)
    option = choice.locator(f"option[value='{later['id']}']")
    expect(option).to_contain_text(f"{new_time:%H:%M}")
    choice.select_option(value=str(later["id"]))
    dialog.get_by_label("Motif (transmis à la régulation)").fill("Retard au cabinet")
    dialog.get_by_role("button", name="Déplacer").click()

    expect(dialog).to_be_hidden()
    expect(gp.get_by_role("status").filter(has_text="Rendez-vous déplacé au")).to_contain_text(
        "Le patient est prévenu par SMS."
    )
    moved = show_block(gp, later["id"], screen)
    expect(moved).to_have_attribute("data-state", "booked")

    # The request follows, and the patient's SMS is queued with the new time.
    back = api(operator, "GET", path)
    assert datetime.fromisoformat(back["consultation_at"]) == datetime.fromisoformat(
        later["start_at"]
    )
    assert back["timeline"][-1]["kind"] == "appointment_moved"
    coordinator = person(contexts, browser, live_server, "coordinator", "desktop")
    coordinator.get_by_role("link", name="Voir les messages SMS (démonstration)").click()
    table = coordinator.get_by_test_id("sms-messages")
    to_patient = table.locator("tr[data-template='patient_rdv_deplace']").filter(
        has_text=f"à {new_time:%H}h{new_time:%M}"
    )
    expect(to_patient.first).to_contain_text("est déplacé au")
    expect(to_patient.first).not_to_contain_text(family)


def test_on_a_phone_the_week_reads_whole_and_every_tab_is_in_view(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    gp = person(contexts, browser, live_server, "effector", "phone")
    me = api(gp, "GET", "/api/agenda/me")
    site = me["sites"][0]["id"]
    opened = [
        open_slot_at(gp, site, tomorrow_at(hour, 15), minutes=minutes)["id"]
        for minutes, hour in ((15, 8), (15, 12), (20, 13))
    ]
    gp.goto("/agenda")
    expect(heading(gp)).to_have_text("Mon agenda SNP")

    tabs = gp.get_by_role("navigation", name="Sections de l'agenda").get_by_role("link")
    expect(tabs).to_have_count(4)
    for n in range(4):
        box = tabs.nth(n).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 390, (tabs.nth(n).inner_text(), box)

    calendar = gp.locator(".ag-calendar")
    calendar.get_by_role("button", name="Semaine", exact=True).click()
    expect(calendar.locator(".fc-listWeek-view")).to_be_visible()
    for slot_id in opened:
        expect(show_block(gp, slot_id, "phone")).to_be_visible()
    titles = calendar.locator(".fc-list-event .ag-slot-title")
    assert titles.count() >= 3
    for n in range(titles.count()):
        text = titles.nth(n).inner_text()
        shown = visible_characters(titles.nth(n))[0]
        assert shown >= min(4, len(text)), (text, shown)
        assert shown == len(text), (text, shown)  # nothing cut at all


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_half_day_absence_is_drawn_and_its_slots_are_gone(
    browser: Browser, live_server: str, contexts: list[BrowserContext], screen: str
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    me = api(gp, "GET", "/api/agenda/me")
    site = me["sites"][0]["id"]
    days = 2 if screen == "desktop" else 3
    when = datetime.now(PARIS).date() + timedelta(days=days)
    morning = open_slot_at(
        gp, site, datetime(when.year, when.month, when.day, 16, tzinfo=PARIS), 20
    )
    kept_day = datetime.fromisoformat(morning["start_at"]).astimezone(PARIS).date()
    at_17 = datetime(kept_day.year, kept_day.month, kept_day.day, 17, tzinfo=PARIS)
    afternoon = open_slot_at(gp, site, at_17, 20)
    assert datetime.fromisoformat(afternoon["start_at"]).astimezone(PARIS).date() == kept_day

    gp.goto("/agenda/disponibilites")
    expect(heading(gp)).to_have_text("Disponibilités et absences")
    gp.get_by_role("button", name="Déclarer une absence").click()
    dialog = gp.get_by_role("dialog", name="Déclarer une absence")
    dialog.get_by_label("Du", exact=True).fill(kept_day.isoformat())
    dialog.get_by_label("Au (inclus)").fill(kept_day.isoformat())
    dialog.get_by_label("Seulement certaines heures").check()
    dialog.get_by_label("De", exact=True).fill("16:30")
    dialog.get_by_label("À", exact=True).fill("19:00")
    dialog.get_by_label("Motif (facultatif)").fill("Réunion CPTS")
    dialog.get_by_role("button", name="Enregistrer l'absence").click()
    expect(dialog).to_be_hidden()
    expect(gp.get_by_role("status").filter(has_text="Absence enregistrée")).to_contain_text(
        "1 créneau libre retiré"
    )
    # The desktop and phone runs each declare one, on different days.
    declared = gp.get_by_role("row").filter(has_text="Réunion CPTS")
    expect(declared.filter(has_text=kept_day.strftime("%d/%m/%Y"))).to_contain_text(
        "de 16:30 à 19:00"
    )

    gp.get_by_role("navigation", name="Sections de l'agenda").get_by_role(
        "link", name="Semaine"
    ).click()
    expect(heading(gp)).to_have_text("Mon agenda SNP")
    expect(show_block(gp, morning["id"], screen)).to_be_visible()
    drawn = gp.locator(".ag-calendar .fc-bg-event.ag-absence")
    expect(drawn.first).to_be_visible()
    expect(drawn.first).to_contain_text("Absent — Réunion CPTS")
    expect(block(gp, afternoon["id"])).to_have_count(0)
    if screen == "phone":  # the phone's week list says it too, with its hours, on its day
        calendar = gp.locator(".ag-calendar")
        calendar.get_by_role("button", name="Semaine", exact=True).click()
        expect(calendar.locator(".fc-listWeek-view")).to_be_visible()
        expect(show_block(gp, morning["id"], screen)).to_be_visible()
        day = kept_day.isoformat()
        # The absence's row under its day's header (the rows of a day follow their header).
        listed = calendar.locator(
            "xpath=.//tr[contains(@class, 'ag-absence')]"
            f"[preceding-sibling::tr[contains(@class, 'fc-list-day')][1][@data-date='{day}']]"
        )
        expect(listed).to_have_count(1)
        expect(listed).to_contain_text("Absent — Réunion CPTS")
        expect(listed).to_contain_text("16:30")
        expect(listed).to_contain_text("jusqu'à 19:00")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_pattern_preview_lists_the_slots_it_would_skip_for_a_collision(
    browser: Browser, live_server: str, contexts: list[BrowserContext], screen: str
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    me = api(gp, "GET", "/api/agenda/me")
    days = 5 if screen == "desktop" else 6
    when = datetime.now(PARIS).date() + timedelta(days=days)
    clash = open_slot_at(
        gp, me["sites"][0]["id"], datetime(when.year, when.month, when.day, 7, 10, tzinfo=PARIS), 20
    )
    day = datetime.fromisoformat(clash["start_at"]).astimezone(PARIS).date()

    gp.goto("/agenda/disponibilites")
    expect(heading(gp)).to_have_text("Disponibilités et absences")
    gp.get_by_role("button", name="Nouvelle disponibilité").click()
    dialog = gp.get_by_role("dialog", name="Nouvelle disponibilité récurrente")
    weekday = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")[
        day.weekday()
    ]
    dialog.get_by_role("checkbox", name=weekday, exact=True).check()
    dialog.get_by_label("De", exact=True).fill("07:00")
    dialog.get_by_label("À", exact=True).fill("07:40")
    dialog.get_by_label("Minutes par créneau").fill("20")
    dialog.get_by_label("Une deuxième plage horaire les mêmes jours").check()
    dialog.get_by_label("Puis de").fill("06:00")
    dialog.get_by_label("Jusqu'à", exact=True).fill("06:20")
    dialog.get_by_label("Ouvrir aussi les jours fériés").check()
    dialog.get_by_label("Une semaine sur deux").check()
    dialog.get_by_label("Valable à partir du").fill(day.isoformat())
    dialog.get_by_label("Jusqu'au (inclus, facultatif)").fill(day.isoformat())
    dialog.get_by_role("button", name="Aperçu").click()

    report = dialog.get_by_role("region", name="Aperçu")
    expect(report).to_contain_text("1 créneau sera ouvert")  # 06:00 (07:00 and 07:20 clash)
    expect(report).to_contain_text("2 créneaux ne seront pas ouverts")
    skipped = report.locator("li[data-reason='collision']")
    expect(skipped).to_have_count(2)
    expect(skipped.first).to_contain_text("07:00–07:20")
    expect(skipped.first).to_contain_text("Chevauche le créneau du")
    expect(skipped.first).to_contain_text("07:10–07:30")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_my_activity_page_shows_this_month_and_the_statement(
    browser: Browser, live_server: str, contexts: list[BrowserContext], screen: str
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    gp.goto("/agenda")
    gp.get_by_role("navigation", name="Sections de l'agenda").get_by_role(
        "link", name="Mon activité"
    ).click()
    expect(heading(gp)).to_have_text("Mon activité")
    month = gp.get_by_role("region", name="Ce mois-ci")
    expect(month).to_contain_text("Patients vus via la CPTS")
    expect(month).to_contain_text("Actes éligibles à la majoration SNP")
    expect(month).to_contain_text("Heures de créneaux proposées")
    statement = gp.get_by_role("region", name="Mon relevé d'activité SNP (indemnisation)")
    expect(statement.locator("tbody tr")).to_have_count(13)
    assert gp.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[screen]["width"]


def ics_with_an_all_day_event(day: date, uid: str) -> bytes:
    """A timed SNP event 05:00-05:40 (two 20-minute slots) and an all-day SNP event, that day."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Tests//Agenda//FR",
        "BEGIN:VEVENT",
        f"UID:{uid}-matin",
        "DTSTAMP:20300101T000000Z",
        f"DTSTART;TZID=Europe/Paris:{day:%Y%m%d}T050000",
        f"DTEND;TZID=Europe/Paris:{day:%Y%m%d}T054000",
        "SUMMARY:Consultations SNP",
        "END:VEVENT",
        "BEGIN:VEVENT",
        f"UID:{uid}-journee",
        "DTSTAMP:20300101T000000Z",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        "SUMMARY:Garde SNP",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_an_ics_file_with_an_all_day_event_is_previewed_then_imported_with_chosen_options(
    browser: Browser, live_server: str, contexts: list[BrowserContext], screen: str
) -> None:
    gp = person(contexts, browser, live_server, "effector", screen)
    me = api(gp, "GET", "/api/agenda/me")
    day = datetime.now(PARIS).date() + timedelta(days=9 if screen == "desktop" else 10)
    gp.goto("/agenda/calendriers")
    expect(heading(gp)).to_have_text("Calendriers (ICS)")
    card = gp.get_by_role("region", name="Importer un fichier ICS")
    card.get_by_label("Fichier de calendrier (.ics)").set_input_files(
        {
            "name": "agenda.ics",
            "mimeType": "text/calendar",
            "buffer": ics_with_an_all_day_event(day, f"e2e-{screen}"),
        }
    )
    card.get_by_role("button", name="Voir l'aperçu").click()

    dialog = gp.get_by_role("dialog", name="Aperçu de l'import")
    expect(dialog).to_contain_text("2 créneaux à créer")
    expect(dialog).to_contain_text("« journée entière » : 1 ignoré, 0 converti.")
    skipped = dialog.locator("tr[data-action='skip']")
    expect(skipped).to_have_count(1)
    expect(skipped).to_contain_text("Événement « journée entière » non converti.")
    dialog.get_by_role("button", name="Modifier les options").click()

    if len(me["sites"]) > 1:
        card.get_by_label("Lieu de consultation des créneaux").select_option(
            label=me["sites"][-1]["name"]
        )
    card.get_by_role("checkbox", name="Régulation SNP").uncheck()
    card.get_by_label("Partager avec le SAS", exact=False).uncheck()
    card.get_by_label("Événements « journée entière »").select_option(
        label="Les convertir en créneaux"
    )
    card.get_by_label("Début de la plage").fill("06:00")
    card.get_by_label("Fin de la plage").fill("07:00")
    card.get_by_label("Durée d'un créneau (minutes)").fill("30")
    card.get_by_role("button", name="Voir l'aperçu").click()

    expect(dialog).to_contain_text("4 créneaux à créer")
    expect(dialog).to_contain_text("« journée entière » : 0 ignoré, 1 converti.")
    created = dialog.locator("tr[data-action='create']")
    expect(created).to_have_count(4)
    expect(created.nth(2)).to_contain_text("06:00–06:30")
    dialog.get_by_role("button", name="Importer", exact=True).click()

    report = card.get_by_role("status")
    expect(report).to_contain_text("Créneaux créés4")
    expect(report).to_contain_text("Journées entières converties1")
    expect(dialog).to_have_count(0)
    start = datetime(day.year, day.month, day.day, tzinfo=PARIS)
    slots = api(
        gp,
        "GET",
        f"/api/agenda/slots?start={quote(start.isoformat())}"
        f"&end={quote((start + timedelta(days=1)).isoformat())}",
    )
    imported = [s for s in slots if s["source"] == "ics"]
    assert len(imported) == 4
    assert {(tuple(s["visibility"]), s["shared_with_sas"], s["site_id"]) for s in imported} == {
        (("CPTS",), False, me["sites"][-1]["id"])
    }
