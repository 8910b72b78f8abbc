"""Browser journeys of the front desk (issue 16): a patient calling back is found, their booked
appointment is shown (who, when, where) and cancelled from the request; a new call from a number
that already has an open request is warned. Fixtures come from `tests/e2e/conftest.py`; the
patients' names and numbers are unique to this file since the server is shared."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from snp.kit import PARIS
from tests.e2e.test_regulation import api, contexts, heading, login, open_slot, person
from tests.e2e.test_triage_safety import calm_answers, new_call

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the fixture, shared with the regulation journeys


def tomorrow_at(hour: int) -> datetime:
    tomorrow = datetime.now(PARIS).date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, hour, tzinfo=PARIS)


def clock(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(PARIS).strftime("%H:%M")


def book_tomorrow(
    browser: Browser, live_server: str, opened: list[BrowserContext], body: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The demo effector opens a slot tomorrow late morning and an earlier one; an operator
    books the later one for a new request. Returns the request, appointment and earlier slot."""
    effector = person(opened, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    slot = open_slot(effector, me["sites"][0]["id"], tomorrow_at(12))
    earlier = open_slot(effector, me["sites"][0]["id"], tomorrow_at(6))
    assert earlier["start_at"] < slot["start_at"]
    booker = person(opened, browser, live_server, "operator")
    created = api(
        booker,
        "POST",
        "/api/regulation/requests",
        {"commune_insee": "35236", "motif": "fever", "answers": calm_answers(booker)} | body,
    )
    path = f"/api/regulation/requests/{created['id']}"
    api(booker, "POST", f"{path}/hold", {"slot_id": slot["id"]})
    booked = api(booker, "POST", f"{path}/confirm", {"slot_id": slot["id"]})
    return booked["request"], booked["appointment"], earlier


def test_a_patient_calling_back_is_found_by_phone_and_their_appointment_moved_then_cancelled(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    request, appointment, earlier = book_tomorrow(
        browser,
        live_server,
        contexts,
        {
            "family_name": "Kervella",
            "given_name": "Agathe",
            "birth_date": date(1958, 9, 12).isoformat(),
            "sex": "female",
            "phone": "06 31 52 73 94",
            "sms_consent": True,
        },
    )
    operator = person(contexts, browser, live_server, "operator")
    operator.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Rechercher"
    ).click()
    expect(heading(operator)).to_have_text("Rechercher une demande")
    # The page opens with the focus in its first field: the operator types at once.
    assert operator.evaluate("document.activeElement.id") == "fd-name"
    operator.get_by_label("Téléphone").fill("+33 6 31 52 73 94")
    operator.get_by_label("Téléphone").press("Enter")

    results = operator.get_by_role("region", name="Demandes trouvées")
    expect(results.get_by_role("row")).to_have_count(2)  # the header and the one request
    expect(results).to_contain_text("KERVELLA Agathe")
    expect(results).to_contain_text("Rendez-vous pris")
    results.get_by_role("link", name="KERVELLA Agathe").click()

    # French elision in the title; the booked appointment says who, when and where.
    expect(heading(operator)).to_have_text("Demande d'Agathe KERVELLA")
    booked = operator.get_by_test_id("booked-appointment")
    expect(booked).to_contain_text("Dr Anne Martin")
    expect(booked).to_contain_text("Cabinet médical de Redon")
    expect(booked).to_contain_text(clock(appointment["start_at"]))
    expect(booked).to_contain_text("Consultation au cabinet")

    # Moved to an earlier free slot of the same doctor (patient and doctor told by SMS).
    operator.get_by_role("button", name="Déplacer le rendez-vous").click()
    move = operator.get_by_role("dialog", name="Déplacer le rendez-vous")
    move.get_by_label(re.compile(clock(earlier["start_at"]))).check()
    move.get_by_label("Motif du déplacement").fill("Préfère plus tôt")
    move.get_by_role("button", name="Déplacer", exact=True).click()
    expect(operator.get_by_role("status").filter(has_text="Rendez-vous déplacé")).to_be_visible()
    expect(booked).to_contain_text(clock(earlier["start_at"]))
    moved = api(operator, "GET", f"/api/regulation/requests/{request['id']}")
    assert moved["appointments"][0]["start_at"][:16] == earlier["start_at"][:16]

    operator.get_by_role("button", name="Annuler le rendez-vous").click()
    dialog = operator.get_by_role("dialog", name="Annuler le rendez-vous")
    expect(dialog.get_by_label("Motif de l'annulation")).to_be_focused()
    dialog.get_by_role("button", name="Annuler le rendez-vous").click()
    # Nothing is cancelled without a reason.
    expect(dialog).to_contain_text("Motif de l'annulation : Champ obligatoire.")
    dialog.get_by_label("Motif de l'annulation").fill("Se sent mieux")
    dialog.get_by_role("button", name="Annuler le rendez-vous").click()

    expect(
        operator.get_by_role("status").filter(has_text="Rendez-vous annulé : le patient")
    ).to_be_visible()
    # The request is back in the queue, and its red flags must be asked again first.
    expect(operator.locator(".safety-retriage")).to_contain_text("reposez les signes d'alerte")
    appointments = operator.get_by_role("region", name="Rendez-vous")
    expect(appointments).to_contain_text("Annulé par le patient : Se sent mieux")
    expect(operator.get_by_test_id("booked-appointment")).to_have_count(0)
    # What was sent to whom, and its state, on the request itself.
    sms = operator.get_by_test_id("request-sms")
    expect(sms).to_contain_text("À : Patient (06 31 52 73 94)")
    expect(sms).to_contain_text("À : Effecteur")
    expect(sms).to_contain_text("Annulation (effecteur)")
    after = api(operator, "GET", f"/api/regulation/requests/{request['id']}")
    assert after["rebook_reason"] == "Rendez-vous annulé par le patient : Se sent mieux"
    assert after["status"] in ("waiting", "received")


def test_the_closed_list_and_a_patients_earlier_requests(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    identity = {
        "family_name": "Kerbrat",
        "given_name": "Yann",
        "birth_date": date(1975, 2, 3).isoformat(),
        "sex": "male",
        "phone": "06 41 62 83 04",
        "commune_insee": "35236",
        "motif": "fever",
    }
    earlier = api(operator, "POST", "/api/regulation/requests", identity)
    api(
        operator,
        "POST",
        f"/api/regulation/requests/{earlier['id']}/close",
        {"outcome": "cancelled_by_patient", "note": "Rappellera"},
    )
    operator.goto("/regulation/recherche")
    operator.get_by_label("Demandes", exact=True).select_option(label="Terminées")
    expect(operator).to_have_url(live_server + "/regulation/recherche?etat=closed")
    results = operator.get_by_role("region", name="Demandes trouvées")
    expect(results).to_contain_text("KERBRAT Yann")
    expect(results).to_contain_text("Annulée par le patient")

    # The same patient calls again: the new call is warned, and then the request lists the old one.
    operator.goto("/regulation/appel")
    operator.get_by_label("Nom", exact=True).fill("Kerbrat")
    operator.get_by_label("Date de naissance").fill("1975-02-03")
    warning = operator.get_by_text("Ce patient a peut-être déjà une demande en cours")
    expect(warning).to_have_count(0)  # the earlier one is closed: no warning
    today = api(operator, "POST", "/api/regulation/requests", identity)
    operator.goto("/regulation/appel")
    operator.get_by_label("Téléphone mobile").fill("0641628304")
    expect(warning).to_be_visible()
    operator.get_by_role("link", name="KERBRAT Yann", exact=False).click()
    expect(heading(operator)).to_have_text("Demande de Yann KERBRAT")
    history = operator.get_by_role("region", name="Demandes précédentes du patient")
    expect(history).to_contain_text("Annulée par le patient")
    history.get_by_role("link", name="KERBRAT Yann").click()
    expect(operator).to_have_url(live_server + f"/regulation/demandes/{earlier['id']}")
    assert today["id"] != earlier["id"]


# -- the live queue at 1280x800 (point 3) -------------------------------------------------------

DESK: ViewportSize = {"width": 1280, "height": 800}
QUEUE_MEASURES = """() => {
  const table = document.querySelector('[data-testid="queue"]');
  const box = table.closest('.table-scroll');
  const inView = (r) => r.top >= 0 && r.bottom <= window.innerHeight;
  const rows = [...table.querySelectorAll('tbody tr')];
  const clipped = [...table.querySelectorAll('button, a, td, th')].filter((el) => {
    const r = el.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return r.right > b.right + 0.5 || r.left < b.left - 0.5;
  }).length;
  const last = [...document.body.querySelectorAll('*')].reduce(
    (bottom, el) => Math.max(bottom, el.getBoundingClientRect().bottom + window.scrollY), 0);
  return {
    rowsInView: rows.filter((r) => inView(r.getBoundingClientRect())).length,
    clipped,
    overflowing: box.scrollWidth > box.clientWidth,
    pageHeight: document.documentElement.scrollHeight,
    contentBottom: Math.ceil(last),
  };
}"""


def test_the_queue_fills_a_1280x800_screen_nothing_clipped_and_the_page_ends_with_its_content(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    for n in range(18):
        api(
            operator,
            "POST",
            "/api/regulation/requests",
            {
                "family_name": f"Queue{n:02d}",
                "given_name": "Maëlle",
                "birth_date": date(1990, 1, 1 + n).isoformat(),
                "sex": "female",
                "phone": f"06 52 00 00 {n:02d}",
                "commune_insee": "35236",
                "motif": "fever",
                "claim": False,
            },
        )
    operator.set_viewport_size(DESK)
    operator.goto("/regulation")
    expect(operator.get_by_test_id("queue-row").nth(17)).to_be_attached()
    measures = operator.evaluate(QUEUE_MEASURES)
    assert measures["rowsInView"] >= 15, measures
    assert measures["clipped"] == 0, measures
    assert not measures["overflowing"], measures
    assert measures["pageHeight"] <= measures["contentBottom"] + 1, measures
    # Fresh requests to triage within the hour are not amber from their first second.
    fresh = operator.get_by_test_id("queue-row").filter(has_text="QUEUE17")
    expect(fresh).to_have_class(re.compile(r"\bqueue-row-ok\b"))
    # One Tab from the page's title reaches the new call.
    operator.keyboard.press("Tab")
    expect(operator.get_by_role("link", name="Nouvel appel")).to_be_focused()

    # Filters and order (kept in the console; every console reads the same queue).
    rows = operator.get_by_test_id("queue-row").filter(has_text="QUEUE")
    operator.get_by_label("Origine").select_option(label="Orientations de professionnels")
    expect(rows).to_have_count(0)
    expect(
        operator.get_by_role("status").filter(has_text="masquées par les filtres")
    ).to_be_visible()
    operator.get_by_label("Origine").select_option(label="Appels de patients")
    operator.get_by_label("Ordre").select_option(label="Nom du patient")
    expect(rows.first).to_contain_text("QUEUE00")
    operator.locator(".queue-controls").get_by_label("Priorité").select_option(label="P3")
    expect(rows).to_have_count(0)


def test_after_triage_the_proposed_slots_have_the_focus_and_internals_stay_behind_details(
    page: Page, live_server: str
) -> None:
    login(page, "operator")
    new_call(page, "Le Meur", "Soizic")
    slots_title = page.get_by_role("heading", name="Créneaux proposés")
    expect(slots_title).to_be_focused()  # the next step, not « Clôturer la demande »
    result = page.get_by_role("region", name="Résultat du tri")
    expect(result.locator("code")).to_be_hidden()  # the rule's internal name: behind « Détails »
    result.get_by_text("Détails du tri").click()
    expect(result.locator("code")).to_be_visible()
    expect(page.get_by_text(re.compile(r"score [\d,]+ =")).first).to_be_hidden()


def test_the_regulator_reads_the_transfer_reason_on_top_and_opens_the_protocol(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    created = api(
        operator,
        "POST",
        "/api/regulation/requests",
        {
            "family_name": "Prigent",
            "given_name": "Loeiz",
            "birth_date": date(1948, 6, 1).isoformat(),
            "sex": "male",
            "phone": "06 71 82 93 04",
            "commune_insee": "35236",
            "motif": "fever",
        },
    )
    note = "Patient sous anticoagulant, chute hier : avis médical souhaité."
    api(operator, "POST", f"/api/regulation/requests/{created['id']}/transfer", {"note": note})

    regulator = person(contexts, browser, live_server, "regulator")
    # The worklist already says why: the first line, cut with « … », in full in the title.
    regulator.goto("/regulation/avis")
    preview = regulator.get_by_test_id("queue").get_by_test_id("queue-transfer-note")
    expect(preview).to_have_text("Motif du transfert : " + note[:60].rstrip() + " …")
    expect(preview).to_have_attribute("title", note)
    regulator.goto(f"/regulation/demandes/{created['id']}")
    expect(heading(regulator)).to_have_text("Demande de Loeiz PRIGENT")
    reason = regulator.get_by_test_id("transfer-reason")
    expect(reason).to_have_text(note)
    # On top: above the claim bar and the triage, without scrolling at 1280x800.
    regulator.set_viewport_size(DESK)
    box = reason.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= DESK["height"]
    regulator.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Protocole de tri"
    ).click()
    expect(heading(regulator)).to_contain_text("Protocole")


def test_the_sms_pages_fields_have_the_apps_look(page: Page, live_server: str) -> None:
    login(page, "coordinator")
    page.goto("/coordination/sms")
    expect(heading(page)).to_contain_text("Messages SMS")
    fields = page.locator("main select, main input[type=tel], main input[type=text]")
    expect(fields.first).to_be_visible()
    borders = fields.evaluate_all("els => els.map((e) => getComputedStyle(e).borderTopWidth)")
    assert len(borders) >= 4
    assert set(borders) == {"2px"}, borders


def test_the_coordinator_supervises_the_queue_live(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    coordinator = person(contexts, browser, live_server, "coordinator")
    coordinator.goto("/coordination/supervision")
    expect(heading(coordinator)).to_have_text("Supervision de la file")
    waiting = coordinator.get_by_test_id("supervision-waiting").locator("dd")
    expect(waiting).to_have_text(re.compile(r"^\d+$"))
    before = int(waiting.inner_text())
    received = coordinator.get_by_test_id("supervision-today-received").locator("dd")
    received_before = int(received.inner_text())

    operator = person(contexts, browser, live_server, "operator")
    created = api(
        operator,
        "POST",
        "/api/regulation/requests",
        {
            "family_name": "Riou",
            "given_name": "Gwenn",
            "birth_date": date(1979, 2, 3).isoformat(),
            "sex": "female",
            "phone": "06 21 32 43 54",
            "commune_insee": "35236",
            "motif": "fever",
        },
    )
    # Live: the new request and who holds it appear without reloading.
    expect(waiting).to_have_text(str(before + 1))
    expect(received).to_have_text(str(received_before + 1))
    claims = coordinator.get_by_test_id("supervision-claims")
    expect(claims.get_by_role("link", name=f"Demande n° {created['id']}")).to_be_visible()
    expect(coordinator.get_by_text("Riou")).to_have_count(0)  # no patient identity here


def test_the_operator_sees_the_pharmacists_mobile_on_the_referral(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    pharmacist = person(contexts, browser, live_server, "referrer")
    sent = api(
        pharmacist,
        "POST",
        "/api/regulation/referrals",
        {
            "family_name": "Guillou",
            "given_name": "Nolwenn",
            "birth_date": date(1990, 9, 9).isoformat(),
            "phone": "06 55 44 33 22",
            "commune_insee": "35236",
            "motif": "urinary_burning",
            "origin": "pharmacist",
            "referrer_phone": "06 11 22 33 44",
        },
    )
    operator = person(contexts, browser, live_server, "operator")
    operator.goto(f"/regulation/demandes/{sent['id']}")
    reach = operator.get_by_test_id("referrer-phone")
    expect(reach).to_contain_text("Joindre le professionnel qui oriente")
    expect(reach.get_by_role("link")).to_have_attribute("href", "tel:+33611223344")
