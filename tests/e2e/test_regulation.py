"""Browser journeys of regulation: referral -> live console -> claim -> triage -> booking.

Two browser contexts play two people at once (a pharmacist on a phone, an operator at a desk).
"Live" means without reloading: the console page is marked before the action and the mark is
checked after (a reload would drop it). Fixtures (`live_server`, `browser`, `page`) come from
`tests/e2e/conftest.py`; patients get names unique to each test since the server is shared.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.e2e.conftest import DEMO_ACCOUNTS, contexts

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the conftest's fixture, imported from here by other journeys

PHONE = {"width": 390, "height": 844}


# -- helpers -----------------------------------------------------------------------------------


def new_context(browser: Browser, live_server: str, *, phone: bool = False) -> BrowserContext:
    options: dict[str, Any] = {
        "base_url": live_server,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
    }
    if phone:
        options.update(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context


def person(
    contexts: list[BrowserContext],
    browser: Browser,
    live_server: str,
    role: str,
    *,
    phone: bool = False,
) -> Page:
    context = new_context(browser, live_server, phone=phone)
    contexts.append(context)
    page = context.new_page()
    login(page, role)
    return page


def login(page: Page, role: str) -> None:
    email, password = DEMO_ACCOUNTS[role]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def api(page: Page, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """Call the API with the page's session (and its CSRF token for unsafe methods)."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf"), "")
    response = page.context.request.fetch(
        path, method=method, data=body, headers={"X-CSRF-Token": csrf} if body is not None else {}
    )
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json() if response.status != 204 else None


def open_slot(page: Page, site_id: int, after: datetime) -> Any:
    """Open a 20-minute slot at the first free time from `after` (other journeys sharing the
    server may have opened slots too)."""
    csrf = next((c["value"] for c in page.context.cookies() if c["name"] == "snp_csrf"), "")
    start = after.replace(second=0, microsecond=0)
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
            return response.json()
        assert "Chevauche" in response.text(), response.text()
        start += timedelta(minutes=25)
    raise AssertionError("no free time for a slot")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def handling(page: Page) -> Locator:
    """The request page's bar saying who handles it (or how it ended)."""
    return page.get_by_role("region", name="Traitement de la demande")


def mark_document(page: Page) -> None:
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def queue_row(page: Page, patient: str) -> Locator:
    return page.get_by_test_id("queue").get_by_test_id("queue-row").filter(has_text=patient)


def answer(page: Page, question: str, choice: str, *, ends_form: bool = False) -> None:
    """Tick an answer; `ends_form` when the answer makes the form go away (a red flag on a
    request being triaged is recorded at once), so that only the click is checked."""
    option = page.get_by_role("group", name=re.compile(re.escape(question))).get_by_label(
        choice, exact=True
    )
    if ends_form:
        option.click()
    else:
        option.check()


def answer_fever_questions(page: Page) -> None:
    """The risk factors (asked for every motif: none here), then the fever's questions."""
    page.get_by_role("button", name="Aucun facteur de risque (tout « Non »)").click()
    answer(page, "Depuis quand dure la fièvre", "De 2 à 5 jours")
    answer(page, "La fièvre est-elle bien tolérée", "Oui")


def fill_identity(page: Page, family: str, given: str, birth: str, phone: str) -> None:
    page.get_by_label("Nom", exact=True).fill(family)
    page.get_by_label("Prénom").fill(given)
    page.get_by_label("Date de naissance").fill(birth)
    page.get_by_label("Téléphone mobile").fill(phone)
    page.get_by_label("Commune").select_option(label="Redon (35600)")


def refer(page: Page, family: str, given: str) -> None:
    """The pharmacist's referral form, on a phone."""
    page.get_by_role("link", name="Orienter un patient").click()
    expect(heading(page)).to_have_text("Orienter un patient")
    fill_identity(page, family, given, "1985-03-14", "06 98 76 54 32")
    page.get_by_label("Motif (facultatif)").select_option(label="Fièvre")
    page.get_by_role("button", name="Envoyer à la régulation").click()
    expect(heading(page)).to_have_text("Mes orientations")


def age_label(birth: date) -> str:
    today = datetime.now(ZoneInfo("Europe/Paris")).date()
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return f"{years} ans"


# -- (a) a referral reaches a console live, then is claimed and triaged ------------------------


def test_referral_appears_live_on_an_open_console_then_is_claimed_and_triaged(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    expect(heading(operator)).to_have_text("File d'attente")
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    mark_document(operator)

    refer(pharmacist, "Kerlouan", "Maëlle")

    expect(
        pharmacist.get_by_role("status").filter(has_text="Orientation de Maëlle Kerlouan envoyée")
    ).to_be_visible()
    mine = pharmacist.get_by_test_id("referral").filter(has_text="Maëlle KERLOUAN")
    expect(mine).to_contain_text("Reçue, à trier")

    # The operator's console, opened before, shows it without reload.
    row = queue_row(operator, "Maëlle KERLOUAN")
    expect(row).to_be_visible(timeout=5_000)
    assert_not_reloaded(operator)
    for text in ("À trier", "Fièvre", "Redon", "Pharmacie", age_label(date(1985, 3, 14)), "Libre"):
        expect(row).to_contain_text(text)

    # Claimed from the keyboard: the row has focus, "P" takes it and opens it.
    row.focus()
    operator.keyboard.press("p")
    expect(operator).to_have_url(re.compile(r"/regulation/demandes/\d+$"))
    expect(heading(operator)).to_have_text("Demande de Maëlle KERLOUAN")
    expect(handling(operator)).to_contain_text("Vous la traitez.")
    # The pharmacist's page follows, live too.
    expect(mine).to_contain_text("En cours de traitement")

    # Triage with the protocol: red flags first (all "no"), then the motif's questions.
    operator.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
    expect(operator.get_by_label("Motif", exact=True)).to_have_value("fever")
    answer_fever_questions(operator)
    operator.get_by_role("button", name="Enregistrer le tri").click()

    result = operator.get_by_role("region", name="Résultat du tri")
    expect(result).to_contain_text("P2")
    expect(result).to_contain_text("Consultation au cabinet")
    # The version in force (another journey sharing the server may have published a new one).
    expect(result).to_contain_text(re.compile(r"Version du protocole \d+"))
    expect(operator.get_by_role("region", name="Historique")).to_contain_text("Triée : P2")


# -- (b) a red flag: "Appelez le 15", never queued ---------------------------------------------


def test_red_flag_during_a_call_shows_call_15_and_never_queues(
    page: Page, live_server: str
) -> None:
    login(page, "operator")
    page.get_by_role("link", name="Nouvel appel").click()
    expect(heading(page)).to_have_text("Nouvel appel")
    fill_identity(page, "Le Bihan", "Yves", "1952-07-01", "06 55 44 33 22")
    page.get_by_role("group", name="Sexe").get_by_label("Homme").check()

    answer(page, "Douleur thoracique", "Oui")

    # At once, before anything is sent: the unmistakable alert, the flag named.
    alert = page.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Signe d'alerte : Douleur thoracique.")
    # Triage ends there: the motif's questions are gone.
    expect(page.get_by_role("heading", name="Questions du motif")).to_have_count(0)

    # Recorded from the alert itself (the patient's identity is already typed).
    alert.get_by_role("button", name="Consigner l'appel : patient réorienté vers le 15").click()

    expect(heading(page)).to_have_text("Demande de Yves LE BIHAN")
    expect(page.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")).to_contain_text(
        "Douleur thoracique"
    )
    expect(handling(page)).to_contain_text("Clôturée : Réorientée vers le 15 (SAMU)")
    expect(page.get_by_role("region", name="Historique")).to_contain_text(
        "Signe d'alerte : réorientée vers le 15 : Douleur thoracique"
    )
    queue = api(page, "GET", "/api/regulation/queue")
    assert all(item["family_name"] != "Le Bihan" for item in queue["items"])
    page.get_by_role("link", name="Retour à la file").click()
    expect(heading(page)).to_have_text("File d'attente")
    expect(page.get_by_test_id("queue-row").filter(has_text="Yves LE BIHAN")).to_have_count(0)


def test_red_flag_on_a_referral_blocks_it_and_tells_to_call_15(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    pharmacist.get_by_role("link", name="Orienter un patient").click()
    fill_identity(pharmacist, "Tanguy", "Rozenn", "1979-11-30", "07 81 22 33 44")

    pharmacist.get_by_role("checkbox", name=re.compile("^Détresse respiratoire")).check()

    alert = pharmacist.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")
    expect(alert).to_contain_text("Signe d'alerte : Détresse respiratoire.")
    pharmacist.get_by_role("button", name="Enregistrer : patient orienté vers le 15").click()
    expect(pharmacist.get_by_text("Orientation vers le 15 enregistrée.")).to_be_visible()
    pharmacist.get_by_role("link", name="Voir mes orientations").click()
    mine = pharmacist.get_by_test_id("referral").filter(has_text="Rozenn TANGUY")
    expect(mine).to_contain_text("Réorientée vers le 15")
    expect(mine).to_contain_text("le patient doit appeler le 15 immédiatement")

    queue = api(operator, "GET", "/api/regulation/queue")
    assert all(item["family_name"] != "Tanguy" for item in queue["items"])
    expect(operator.get_by_test_id("queue-row").filter(has_text="Rozenn TANGUY")).to_have_count(0)


def test_red_flag_found_while_triaging_a_referral_takes_it_out_of_the_queue(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    refer(pharmacist, "Guillou", "Erwan")
    row = queue_row(operator, "Erwan GUILLOU")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Prendre en charge la demande de Erwan GUILLOU").click()
    expect(heading(operator)).to_have_text("Demande d'Erwan GUILLOU")

    answer(operator, "Suspicion de méningite ou de purpura fulminans", "Oui", ends_form=True)

    alert = operator.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")
    expect(alert).to_contain_text("Suspicion de méningite ou de purpura fulminans")
    # Recorded at once, without another click.
    expect(handling(operator)).to_contain_text("Clôturée : Réorientée vers le 15 (SAMU)")
    mine = pharmacist.get_by_test_id("referral").filter(has_text="Erwan GUILLOU")
    expect(mine).to_contain_text("Réorientée vers le 15")
    operator.get_by_role("link", name="Retour à la file").click()
    expect(heading(operator)).to_have_text("File d'attente")
    expect(operator.get_by_test_id("queue-row").filter(has_text="Erwan GUILLOU")).to_have_count(0)


# -- (c) refused submissions keep what was typed ------------------------------------------------


def test_intake_validation_error_is_shown_by_the_field_and_keeps_everything(
    page: Page, live_server: str
) -> None:
    login(page, "operator")
    page.goto("/regulation/appel")
    fill_identity(page, "Morvan", "Soizic", "1991-09-09", "06 12")
    page.get_by_role("group", name="Sexe").get_by_label("Femme").check()
    page.get_by_role("group", name="Médecin traitant").get_by_label("Oui").check()
    page.get_by_label("Nom du médecin traitant").fill("Dr Le Goff")
    page.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
    page.get_by_label("Motif", exact=True).select_option(label="Fièvre")
    answer_fever_questions(page)
    page.get_by_label("Notes (facultatif)").fill("Fièvre à 39 depuis hier soir.")

    page.get_by_role("button", name="Enregistrer et trier").click()

    summary = page.get_by_role("alert").filter(has_text="La demande n'a pas été enregistrée")
    expect(summary).to_contain_text("Téléphone mobile : Numéro de téléphone invalide.")
    phone = page.get_by_label("Téléphone mobile")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("Numéro de téléphone invalide"))
    # Nothing typed is lost.
    expect(phone).to_have_value("06 12")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Morvan")
    expect(page.get_by_label("Prénom")).to_have_value("Soizic")
    expect(page.get_by_label("Date de naissance")).to_have_value("1991-09-09")
    expect(page.get_by_label("Commune")).to_have_value("35236")
    expect(page.get_by_role("group", name="Sexe").get_by_label("Femme")).to_be_checked()
    expect(page.get_by_label("Nom du médecin traitant")).to_have_value("Dr Le Goff")
    expect(page.get_by_label("Motif", exact=True)).to_have_value("fever")
    expect(
        page.get_by_role("group", name=re.compile("Depuis quand dure la fièvre")).get_by_label(
            "De 2 à 5 jours"
        )
    ).to_be_checked()
    expect(
        page.get_by_role(
            "group",
            name="Douleur thoracique — Douleur, gêne ou oppression dans la poitrine",
            exact=False,
        ).get_by_label("Non")
    ).to_be_checked()
    expect(page.get_by_label("Notes (facultatif)")).to_have_value("Fièvre à 39 depuis hier soir.")

    phone.fill("06 12 34 56 70")
    page.get_by_role("button", name="Enregistrer et trier").click()
    expect(heading(page)).to_have_text("Demande de Soizic MORVAN")
    expect(page.get_by_role("region", name="Résultat du tri")).to_contain_text("P2")


def test_referral_validation_error_on_a_phone_keeps_everything(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    pharmacist.get_by_role("link", name="Orienter un patient").click()
    pharmacist.get_by_label("Nom", exact=True).fill("Riou")
    pharmacist.get_by_label("Prénom").fill("Anna")
    pharmacist.get_by_label("Téléphone mobile").fill("06 77 88 99 00")
    pharmacist.get_by_label("Commune").select_option(label="Redon (35600)")
    pharmacist.get_by_label("Message pour la régulation (facultatif)").fill("Otite probable.")

    pharmacist.get_by_role("button", name="Envoyer à la régulation").click()

    birth = pharmacist.get_by_label("Date de naissance")
    expect(birth).to_have_attribute("aria-invalid", "true")
    expect(birth).to_have_accessible_description(re.compile("Champ obligatoire"))
    expect(pharmacist.get_by_label("Nom", exact=True)).to_have_value("Riou")
    expect(pharmacist.get_by_label("Prénom")).to_have_value("Anna")
    expect(pharmacist.get_by_label("Téléphone mobile")).to_have_value("06 77 88 99 00")
    expect(pharmacist.get_by_label("Commune")).to_have_value("35236")
    expect(pharmacist.get_by_label("Message pour la régulation (facultatif)")).to_have_value(
        "Otite probable."
    )

    birth.fill("2019-06-02")
    pharmacist.get_by_role("button", name="Envoyer à la régulation").click()
    expect(pharmacist.get_by_test_id("referral").filter(has_text="Anna RIOU")).to_contain_text(
        "Reçue, à trier"
    )


# -- (d) booking the proposed slot --------------------------------------------------------------


def test_operator_books_the_proposed_slot_and_the_pharmacist_sees_the_outcome(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    # The demo ships no slots: the effector opens one at their practice.
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    # Soon after the travel margin (30 min), so that it ranks among the first.
    open_slot(effector, me["sites"][0]["id"], datetime.now(UTC) + timedelta(minutes=40))

    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    refer(pharmacist, "Le Gall", "Nolwenn")
    mine = pharmacist.get_by_test_id("referral").filter(has_text="Nolwenn LE GALL")
    mark_document(pharmacist)

    operator = person(contexts, browser, live_server, "operator")
    row = queue_row(operator, "Nolwenn LE GALL")
    row.get_by_role("button", name="Prendre en charge la demande de Nolwenn LE GALL").click()
    operator.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
    answer_fever_questions(operator)
    operator.get_by_role("button", name="Enregistrer le tri").click()
    expect(operator.get_by_role("region", name="Résultat du tri")).to_contain_text("P2")

    candidates = operator.get_by_role("region", name="Créneaux proposés")
    # The demo effector's best slot: ours, or one another journey opened before (the matching
    # proposes at most two slots per effector).
    proposed = candidates.get_by_test_id("candidate").filter(has_text="Dr Anne Martin").first
    expect(proposed).to_contain_text("Dr Anne Martin")
    expect(proposed).to_contain_text("Cabinet médical de Redon")
    expect(proposed).to_contain_text("score")
    proposed.get_by_role("button", name=re.compile("^Réserver avec Dr Anne Martin")).click()

    dialog = operator.get_by_role("dialog", name="Confirmez avec le patient au téléphone")
    expect(dialog).to_contain_text("Dr Anne Martin")
    expect(dialog).to_contain_text("Consultation au cabinet")
    # What the effector's agenda will show of the patient (minimum necessary).
    agenda_label = dialog.locator("dt", has_text="Inscrit dans l'agenda").locator("xpath=../dd")
    patient_label = agenda_label.inner_text().strip()
    assert patient_label
    dialog.get_by_role("button", name="Le patient accepte : confirmer le rendez-vous").click()

    expect(heading(operator)).to_have_text("File d'attente")
    expect(
        operator.get_by_role("status").filter(has_text="Rendez-vous réservé avec Dr Anne Martin")
    ).to_be_visible()
    expect(queue_row(operator, "Nolwenn LE GALL")).to_have_count(0)

    # The pharmacist's list follows live: booked, with the consultation time.
    expect(mine).to_contain_text("Rendez-vous pris")
    expect(mine).to_contain_text("Consultation")
    assert_not_reloaded(pharmacist)

    # The effector sees the appointment in their agenda page.
    effector.goto("/agenda")
    upcoming = effector.get_by_role("region", name="Mes prochains patients")
    expect(upcoming).to_contain_text(patient_label)
    expect(upcoming).to_contain_text("Cabinet médical de Redon")
