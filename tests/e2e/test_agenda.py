"""Browser journeys through the agenda: the effector's week and recurring availability, the
coordination's CSV import and directory, and the map of free slots without map tiles.

Fixtures (`live_server`, `page`) and the demo accounts come from `tests/e2e/conftest.py`. The demo
effector account is Dr Anne Martin; the demo territory has 12 communes and no slot until a test
opens some. Chromium here has no internet: the map's tile requests are also aborted explicitly, so
the map test proves the map works without tiles.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from composition import demo
from snp.identifiers import rpps_with_check_digit
from tests.e2e.conftest import DEMO_ACCOUNTS

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
LOGIN_PATH = "/connexion"
TILES = re.compile(r"^https?://([a-z0-9-]+\.)*tile\.openstreetmap\.org/")
CSV_HEADER = (
    "rpps,family_name,given_name,specialty_code,phone,email,site_name,address_line,"
    "postal_code,city,insee_code,latitude,longitude,structure_id"
)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Navigation principale")


def login_as(page: Page, live_server: str, role: str, home: str) -> None:
    email, password = DEMO_ACCOUNTS[role]
    page.goto(live_server + LOGIN_PATH)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(live_server + home)


def free_slots(page: Page) -> Locator:
    return page.locator(".fc-event[data-state='free']")


def show_next_week(page: Page) -> None:
    """Next week always holds a full week of the new availability (today's may be over)."""
    calendar = page.locator(".ag-calendar")
    title = calendar.locator(".fc-toolbar-title")
    before = title.inner_text()
    calendar.get_by_role("button", name="Semaine suivante").click()
    expect(title).not_to_have_text(before)


# --- Effector -----------------------------------------------------------------------------------


def test_effector_creates_recurring_availability_sees_and_deletes_a_slot(
    page: Page, live_server: str
) -> None:
    login_as(page, live_server, "effector", "/agenda")
    expect(heading(page)).to_have_text("Mon agenda SNP")
    expect(page.locator(".ag-calendar .fc-timegrid")).to_be_visible()

    # Recurring availability: every weekday 14:00-16:00 in 20-minute slots, from today.
    page.get_by_role("navigation", name="Sections de l'agenda").get_by_role(
        "link", name="Disponibilités et absences"
    ).click()
    expect(heading(page)).to_have_text("Disponibilités et absences")
    page.get_by_role("button", name="Nouvelle disponibilité").click()
    dialog = page.get_by_role("dialog", name="Nouvelle disponibilité récurrente")
    for day in ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"):
        dialog.get_by_role("checkbox", name=day, exact=True).check()
    dialog.get_by_label("De", exact=True).fill("14:00")
    dialog.get_by_label("À", exact=True).fill("16:00")
    dialog.get_by_label("Minutes par créneau").fill("20")
    expect(dialog.get_by_label("Valable à partir du")).to_have_value(
        datetime.now(PARIS).date().isoformat()
    )
    dialog.get_by_role("button", name="Créer la disponibilité").click()

    expect(dialog).to_be_hidden()
    created = page.get_by_role("status").filter(has_text="Disponibilité créée")
    expect(created).to_contain_text(re.compile(r"\d+ créneaux ouverts"))
    opened = re.search(r"(\d+) créneaux ouverts", created.inner_text())
    assert opened is not None
    # Four weeks of weekdays (the default horizon) less today's past slots and public holidays
    # (up to four in four weeks in May): at least two weeks' worth in any case.
    assert int(opened.group(1)) >= 6 * 5 * 2, opened.group(0)
    row = page.get_by_role("region", name="Mes disponibilités récurrentes").get_by_role("row")
    expect(row.filter(has_text="Du lundi au vendredi")).to_contain_text("14:00–16:00")
    expect(row.filter(has_text="Du lundi au vendredi")).to_contain_text("20 min")

    # The slots are in the calendar: six a day, shown in Paris time.
    page.get_by_role("link", name="Semaine", exact=True).click()
    expect(heading(page)).to_have_text("Mon agenda SNP")
    show_next_week(page)
    expect(free_slots(page).first).to_be_visible()
    shown = free_slots(page).count()
    assert shown > 0
    assert shown % 6 == 0, shown
    first = free_slots(page).first
    expect(first).to_contain_text("14:00")
    expect(first).to_contain_text("Libre")
    expect(first).to_have_attribute(
        "aria-label", re.compile(r"^Libre, .+, 14:00–14:20, Cabinet, partagé avec le SAS$")
    )

    # An overlapping slot is refused with the server's message naming the conflicting slot.
    start = datetime.fromisoformat(first.get_attribute("data-start") or "").astimezone(PARIS)
    page.get_by_role("button", name="Ajouter un créneau").click()
    dialog = page.get_by_role("dialog", name="Nouveau créneau")
    dialog.get_by_label("Date").fill(start.date().isoformat())
    dialog.get_by_label("Début").fill("14:10")
    dialog.get_by_label("Fin").fill("14:30")
    dialog.get_by_role("button", name="Ouvrir le créneau").click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_contain_text("Le créneau n'a pas été enregistré")
    expect(alert).to_contain_text("Chevauche le créneau du")
    dialog.get_by_role("button", name="Annuler").click()
    expect(dialog).to_be_hidden()

    # Delete one slot: a confirmation, then it disappears.
    slot_id = first.get_attribute("data-slot-id")
    first.click()
    details = page.get_by_role("dialog", name="Créneau")
    expect(details).to_contain_text("Libre")
    expect(details).to_contain_text("Disponibilité récurrente")
    details.get_by_role("button", name="Supprimer ce créneau").click()
    confirm = page.get_by_role("dialog", name="Supprimer le créneau ?")
    confirm.get_by_role("button", name="Confirmer la suppression").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="supprimé")).to_be_visible()
    gone = page.locator(f".fc-event[data-slot-id='{slot_id}']")
    expect(gone).to_have_count(0)
    expect(free_slots(page)).to_have_count(shown - 1)

    # The server agrees: after a reload the slot is still gone.
    page.reload()
    expect(heading(page)).to_have_text("Mon agenda SNP")
    show_next_week(page)
    expect(free_slots(page)).to_have_count(shown - 1)
    expect(gone).to_have_count(0)


# --- Coordination: CSV import and directory ----------------------------------------------------


def csv_row(rpps: str, family: str, given: str, phone: str, email: str) -> str:
    commune = demo.COMMUNES[0]
    return ",".join(
        [
            rpps,
            family,
            given,
            "SM54",
            phone,
            email,
            f"Cabinet de {commune.name}",
            "12 rue de la Gare",
            commune.postal_code,
            commune.name,
            commune.insee_code,
            f"{commune.latitude:.4f}",
            f"{commune.longitude:.4f}",
            "",
        ]
    )


def upload(page: Page, name: str, content: str) -> None:
    page.get_by_label("Fichier CSV").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}
    )
    page.get_by_role("button", name="Importer", exact=True).click()


def test_coordinator_imports_effectors_sees_errors_then_the_new_effector(
    page: Page, live_server: str
) -> None:
    login_as(page, live_server, "coordinator", "/coordination")
    nav(page).get_by_role("link", name="Annuaire").click()
    expect(heading(page)).to_have_text("Annuaire des effecteurs")
    page.get_by_role("link", name="Importer un fichier CSV").click()
    expect(heading(page)).to_have_text("Importer des effecteurs")

    good_rpps = rpps_with_check_digit("1099887766")
    bad_rpps = good_rpps[:-1] + str((int(good_rpps[-1]) + 1) % 10)
    broken = "\n".join(
        [
            CSV_HEADER,
            csv_row(bad_rpps, "Testeur", "Zoé", "+33611223344", "zoe.testeur@example.fr"),
            csv_row(good_rpps, "Testeur", "Zoé", "pas-un-numero", "zoe.testeur@example.fr"),
        ]
    )
    upload(page, "effecteurs-erreurs.csv", broken)

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Aucun effecteur importé")
    errors = page.get_by_role("region", name=re.compile("Erreurs du fichier"))
    rows = errors.get_by_role("row")
    expect(rows.filter(has_text="rpps").first).to_have_text(re.compile(r"^\s*2\s*rpps"))
    expect(rows.filter(has_text="phone").first).to_have_text(re.compile(r"^\s*3\s*phone"))
    expect(page.get_by_text("Import réussi")).to_have_count(0)

    # Nothing was imported.
    page.goto(live_server + "/coordination/annuaire?q=Testeur")
    expect(page.get_by_text("Aucun effecteur ne correspond à « Testeur »")).to_be_visible()

    page.goto(live_server + "/coordination/annuaire/import")
    valid = "\n".join(
        [CSV_HEADER, csv_row(good_rpps, "Testeur", "Zoé", "06 11 22 33 44", "zoe@example.fr")]
    )
    upload(page, "effecteurs.csv", valid)
    report = page.get_by_role("status").filter(has_text="Import réussi")
    expect(report).to_be_visible()
    effectors_row = report.get_by_role("row", name=re.compile("^Effecteurs"))
    expect(effectors_row).to_have_text(re.compile(r"Effecteurs\s*1\s*0\s*0"))

    # The new effector is in the directory, and their profile opens.
    report.get_by_role("link", name="Ouvrir l'annuaire").click()
    page.get_by_role("searchbox").fill("Testeur")
    page.get_by_role("button", name="Rechercher").click()
    table = page.get_by_role("region", name="Effecteurs de l'annuaire")
    row = table.get_by_role("row", name=re.compile("TESTEUR Zoé"))
    expect(row).to_contain_text(good_rpps)
    expect(row).to_contain_text("Actif")
    row.get_by_role("link", name="TESTEUR Zoé").click()
    expect(heading(page)).to_have_text("Zoé Testeur")
    expect(page.get_by_label("Téléphone portable")).to_have_value("06 11 22 33 44")


# --- Coordination: map without tiles -----------------------------------------------------------


def open_slot_as_coordinator(page: Page, live_server: str, hours_from_now: int) -> str:
    """Opens a free slot in the next 24 h for the directory's first effector (through the API);
    returns their name as the directory shows it."""
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf")
    listing = page.request.get(live_server + "/api/agenda/effectors?limit=1").json()
    effector = listing["items"][0]
    site_id = effector["sites"][0]["id"]
    start = (datetime.now(PARIS) + timedelta(hours=hours_from_now)).replace(
        minute=0, second=0, microsecond=0
    )
    response = page.request.post(
        live_server + "/api/agenda/slots",
        headers={"X-CSRF-Token": csrf},
        data={
            "site_id": site_id,
            "start_at": start.isoformat(),
            "end_at": (start + timedelta(minutes=20)).isoformat(),
        },
    )
    assert response.status == 201, response.text()
    return f"{effector['family_name'].upper()} {effector['given_name']}"


def test_map_shows_communes_and_sites_without_tiles(page: Page, live_server: str) -> None:
    tile_requests: list[str] = []

    def refuse_tile(route: Route) -> None:
        tile_requests.append(route.request.url)
        route.abort()

    page.route(TILES, refuse_tile)
    login_as(page, live_server, "coordinator", "/coordination")
    name = open_slot_as_coordinator(page, live_server, hours_from_now=3)

    nav(page).get_by_role("link", name="Carte").click()
    expect(heading(page)).to_have_text("Carte des créneaux libres")
    expect(page.locator(".co-map.leaflet-container")).to_be_visible()
    expect(page.locator("path.co-commune-marker")).to_have_count(len(demo.COMMUNES))
    expect(page.locator(".co-commune-label").first).to_be_visible()
    # Other journeys share this server (imports, availability): at least the demo's sites.
    expect(page.locator("path.co-site-marker").first).to_be_attached()
    demo_sites = sum(len(e.sites) for e in demo.demo_effectors())
    assert page.locator("path.co-site-marker").count() >= demo_sites
    free = page.locator("path.co-site-free")
    expect(free.first).to_be_attached()
    expect(page.get_by_test_id("map-summary")).to_contain_text(
        re.compile(r"dont [1-9]\d* avec des créneaux libres")
    )

    # No tile could load (chromium here has no internet, and the route refuses them): the
    # map is still drawn and a site's popup lists its free slots.
    assert tile_requests, "the map should try its tile layer"
    assert page.locator("img.leaflet-tile-loaded").count() == 0
    free.last.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(re.compile(r"\d+ créneaux? libres? dans les 24 h"))
    expect(popup).to_contain_text("Prochains créneaux")
    expect(
        page.get_by_role("region", name="Lieux avec des créneaux libres dans les 24 heures")
    ).to_contain_text(name)
