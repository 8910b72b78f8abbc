"""Browser journey of the CPTS phone line on the console backend: a call rings and shows live
on the operator's console, the operator takes it, the new request opens with the caller's
number, is triaged and a proposed slot booked, and the call log says the call became that
request; a second caller hangs up while waiting and their callback task appears; « Rappeler »
from a request logs the attempt."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_regulation import answer_fever_questions, api, login, open_slot

pytestmark = pytest.mark.e2e

ALWAYS_OPEN = {
    "SNP_VOICE_BACKEND": "console",
    "SNP_VOICE_OPEN_DAYS": "[1,2,3,4,5,6,7]",
    "SNP_VOICE_OPENS_AT": "00:00",
    "SNP_VOICE_CLOSES_AT": "23:59:59",
}


live_server = module_server("e2e-voice", ALWAYS_OPEN)


def board(page: Page) -> Any:
    return api(page, "GET", "/api/voice/board")


def test_a_call_is_taken_triaged_booked_and_logged_and_a_missed_caller_is_a_callback_task(
    browser: Browser, page: Page, live_server: str
) -> None:
    coordinator_context = browser.new_context(
        base_url=live_server, locale="fr-FR", timezone_id="Europe/Paris"
    )
    effector_context = browser.new_context(
        base_url=live_server, locale="fr-FR", timezone_id="Europe/Paris"
    )
    coordinator = coordinator_context.new_page()
    effector = effector_context.new_page()
    try:
        login(coordinator, "coordinator")
        # The demo ships no slots: the effector opens one at their practice, soon after the
        # travel margin (30 min) so that it is proposed.
        login(effector, "effector")
        site_id = api(effector, "GET", "/api/agenda/me")["sites"][0]["id"]
        open_slot(effector, site_id, datetime.now(UTC) + timedelta(minutes=40))
        login(page, "operator")
        page.goto("/regulation")
        line = page.get_by_role("region", name="Ligne téléphonique")
        line.get_by_label("Téléphone à faire sonner").fill("06 11 11 11 11")
        line.get_by_role("button", name="Disponible", exact=True).click()
        expect(line.get_by_test_id("my-presence")).to_have_text("Vous êtes : Disponible")

        # A call rings: it shows on the console without a reload, its number masked.
        api(coordinator, "POST", "/api/voice/console/calls", {"sender": "06 45 67 89 01"})
        waiting = line.get_by_test_id("waiting-calls")
        expect(waiting).to_contain_text("06 •• •• •• 01")
        expect(waiting).to_contain_text("numéro inconnu")
        # The title bar says it too, the queue keeping the screen.
        expect(page.get_by_test_id("phone-bar")).to_have_text(
            "Ligne : Disponible · 1 appel en attente"
        )

        # Taking it opens the new request with the caller's number.
        waiting.get_by_role("button", name="Prendre l'appel").click()
        expect(page).to_have_url(re.compile(r"/regulation/appel\?telephone="))
        expect(page.get_by_label("Téléphone mobile")).to_have_value("+33645678901")
        assert board(page)["me"]["state"] == "on_call"
        # The operator triages during the call; the request is linked to the call.
        page.get_by_label("Nom", exact=True).fill("Appelant")
        page.get_by_label("Prénom").fill("Loïc")
        page.get_by_label("Date de naissance").fill("1988-04-12")
        page.get_by_label("Commune").select_option(label="Redon (35600)")
        page.get_by_role("group", name="Sexe").get_by_label("Homme").check()
        page.get_by_role("button", name="Aucun signe d'alerte (tout « Non »)").click()
        page.get_by_label("Motif", exact=True).select_option(label="Fièvre")
        answer_fever_questions(page)
        page.get_by_role("button", name="Enregistrer et trier").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Demande de Loïc APPELANT")
        request_id = int(page.url.rsplit("/", 1)[1])
        expect(page.get_by_role("region", name="Résultat du tri")).to_contain_text("P2")
        [logged] = api(page, "GET", "/api/voice/calls?limit=1")["items"]
        assert (logged["outcome"], logged["request_id"]) == ("request_created", request_id)

        # Still on the phone, the operator books the proposed slot with the caller.
        candidates = page.get_by_role("region", name="Créneaux proposés")
        proposed = candidates.get_by_test_id("candidate").filter(has_text="Dr Anne Martin").first
        proposed.get_by_role("button", name=re.compile("^Réserver avec Dr Anne Martin")).click()
        dialog = page.get_by_role("dialog", name="Confirmez avec le patient au téléphone")
        expect(dialog).to_contain_text("Dr Anne Martin")
        dialog.get_by_role("button", name="Le patient accepte : confirmer le rendez-vous").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente")
        expect(
            page.get_by_role("status").filter(has_text="Rendez-vous réservé avec Dr Anne Martin")
        ).to_be_visible()
        booked = api(page, "GET", f"/api/regulation/requests/{request_id}")
        assert (booked["outcome"], booked["appointment_id"] is not None) == ("slot_booked", True)

        # A second caller hangs up while waiting: the callback task appears on the console.
        page.goto("/regulation")
        second = api(coordinator, "POST", "/api/voice/console/calls", {"sender": "0698765402"})
        expect(line.get_by_test_id("waiting-calls")).to_contain_text("06 •• •• •• 02")
        api(coordinator, "POST", f"/api/voice/console/calls/{second['id']}/hang-up", {})
        tasks = line.get_by_test_id("callback-tasks")
        expect(tasks).to_contain_text("06 •• •• •• 02")
        expect(tasks).to_contain_text("Raccroché en attente")

        # The operator hangs up the first call; the call log says what each call became.
        my_call = line.get_by_test_id("my-call")
        expect(my_call).to_contain_text("En communication avec 06 •• •• •• 01")
        my_call.get_by_role("button", name="Raccrocher").click()
        expect(my_call).to_have_count(0)
        coordinator.goto("/coordination/appels")
        log = coordinator.get_by_role("table")
        taken = log.get_by_role("row").filter(has_text=f"n° {request_id}")
        expect(taken).to_contain_text("06 •• •• •• 01")
        expect(taken).to_contain_text("Demande créée")
        missed = log.get_by_role("row").filter(has_text="06 •• •• •• 02")
        expect(missed).to_contain_text("Raccroché en attente")
    finally:
        effector_context.close()
        coordinator_context.close()


def test_rappeler_from_a_request_logs_the_attempt(
    browser: Browser, page: Page, live_server: str
) -> None:
    coordinator_context = browser.new_context(
        base_url=live_server, locale="fr-FR", timezone_id="Europe/Paris"
    )
    coordinator = coordinator_context.new_page()
    try:
        login(coordinator, "coordinator")
        login(page, "operator")
        api(page, "PUT", "/api/voice/presence", {"state": "available", "phone": "0611111111"})
        created = api(
            page,
            "POST",
            "/api/regulation/requests",
            {
                "family_name": "Rappel",
                "given_name": "Jeanne",
                "birth_date": "1979-09-02",
                "sex": "female",
                "phone": "06 11 22 33 55",
                "commune_insee": "35236",
                "mobility": "can_travel",
                "motif": "fever",
            },
        )
        page.goto(f"/regulation/demandes/{created['id']}")
        callbacks = page.get_by_role("region", name="Rappels du patient")
        callbacks.get_by_role("button", name="Rappeler par la ligne de la CPTS").click()
        expect(callbacks).to_contain_text("Votre téléphone sonne")
        [call] = [c for c in board(page)["active"] if c["direction"] == "callback"]
        api(
            coordinator,
            "POST",
            f"/api/voice/console/callbacks/{call['id']}/result",
            {"result": "no-answer"},
        )
        expect(callbacks).to_contain_text("1 appel sans réponse")
        detail = api(page, "GET", f"/api/regulation/requests/{created['id']}")
        assert [a["result"] for a in detail["callback_attempts"]] == ["no_answer"]
    finally:
        coordinator_context.close()
