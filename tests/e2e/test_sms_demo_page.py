"""Browser journeys of notifications: the coordinator's SMS demo page (console backend) shows
the messages a booking causes and simulates the patient's ANNULER; the operators' console shows
an SMS broadcast live until an effector takes the patient, and an undeliverable SMS as an alert
to phone the person.

This module runs its own server (`live_server` below overrides the package's): the same demo
territory, with the console backend told to fail one number (`SNP_SMS_CONSOLE_UNDELIVERABLE`).

Set-up goes through the API (the booking journey itself is `test_regulation.py`'s); what is
checked goes through the UI. The server is shared: patients get names unique to each test.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import module_server
from tests.e2e.test_regulation import (
    age_label,
    api,
    fill_identity,
    heading,
    open_slot,
    person,
)
from tests.regulation.test_booking_journey import ANSWERS

pytestmark = pytest.mark.e2e

PARIS = ZoneInfo("Europe/Paris")
AGE = age_label(date(1986, 3, 14))
UNDELIVERABLE = "+33698760099"


# `snp serve` on the demo territory, one number undeliverable on the console backend.
live_server = module_server(
    "e2e-sms",
    {
        "SNP_SMS_BACKEND": "console",
        "SNP_SMS_CONSOLE_UNDELIVERABLE": UNDELIVERABLE,
        "SNP_SMS_DISPATCH_INTERVAL_SECONDS": "0.5",
    },
)


def intake(operator: Page, family: str, given: str, phone: str) -> dict[str, Any]:
    """A call taken and triaged at once (fever, P2), kept in the operator's hands."""
    created: dict[str, Any] = api(
        operator,
        "POST",
        "/api/regulation/requests",
        {
            "family_name": family,
            "given_name": given,
            "birth_date": "1986-03-14",
            "sex": "male",
            "phone": phone,
            "commune_insee": "35236",
            "mobility": "can_travel",
            "sms_consent": True,
            "motif": "fever",
            "answers": ANSWERS,
        },
    )
    return created


def paris_hhmm(value: str) -> str:
    moment = datetime.fromisoformat(value).astimezone(PARIS)
    return f"{moment:%H}h{moment:%M}"


def test_a_booking_shows_the_effector_and_patient_sms_and_annuler_frees_the_slot(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    slot = open_slot(effector, me["sites"][0]["id"], datetime.now(UTC) + timedelta(hours=3))

    operator = person(contexts, browser, live_server, "operator")
    request = intake(operator, "Tanguy", "Ewen", "06 98 76 12 34")
    path = f"/api/regulation/requests/{request['id']}"
    api(operator, "POST", f"{path}/hold", {"slot_id": slot["id"]})
    booking = api(operator, "POST", f"{path}/confirm", {"slot_id": slot["id"]})
    at = paris_hhmm(booking["appointment"]["start_at"])

    coordinator = person(contexts, browser, live_server, "coordinator")
    coordinator.get_by_role("link", name="Voir les messages SMS (démonstration)").click()
    expect(heading(coordinator)).to_have_text("Messages SMS (démonstration)")
    table = coordinator.get_by_test_id("sms-messages")

    to_effector = table.locator("tr[data-template='effecteur_rdv']").filter(
        has_text=f"Patient E.T., {AGE}"
    )
    expect(to_effector).to_contain_text(f"à {at} (au cabinet)")
    expect(to_effector).to_contain_text("Effecteur")
    expect(to_effector).to_contain_text("06 98 76 12 34")  # the patient's phone, for the effector
    to_patient = table.locator("tr[data-template='patient_rdv_cabinet']").filter(
        has_text=f"à {at} avec Dr Anne Martin"
    )
    expect(to_patient).to_have_count(1)
    expect(to_patient).to_contain_text("06 •• •• 12 34")  # the number masked on screen
    expect(to_patient).to_contain_text("répondez ANNULER")
    expect(to_patient).not_to_contain_text("Tanguy")

    # Filters: only the effectors' messages.
    coordinator.get_by_label("Destinataire", exact=True).select_option(label="Effecteur")
    expect(table.locator("tr[data-audience='patient']")).to_have_count(0)
    expect(to_effector).to_be_visible()
    coordinator.get_by_label("Destinataire", exact=True).select_option(label="Tous")

    # The patient answers ANNULER (simulated from their number): slot freed, effector told.
    to_patient.get_by_role("button", name=re.compile("^Répondre depuis ce numéro")).click()
    expect(coordinator.get_by_label("Numéro de l'expéditeur")).to_have_value("+33698761234")
    coordinator.get_by_label("Texte du SMS").fill("Annuler")
    coordinator.get_by_role("button", name="Simuler la réception").click()
    expect(
        coordinator.get_by_role("status").filter(has_text="Réponse traitée (ANNULER)")
    ).to_contain_text("RDV annulé, créneau libéré, effecteur prévenu")
    expect(
        table.locator("tr[data-template='patient_annulation_confirmee']").filter(
            has_text=f"à {at} avec Dr Anne Martin"
        )
    ).to_have_count(1)
    expect(
        table.locator("tr[data-template='effecteur_annulation']").filter(has_text=f"E.T., {AGE}")
    ).to_contain_text(f"à {at}")
    # Regulation puts the request back in the queue, to triage (red flags) and book again.
    back = api(operator, "GET", path)
    assert (back["status"], back["priority"]) == ("received", None)
    assert back["rebook_reason"]
    assert back["retriage_reason"]


def test_the_operator_console_follows_a_broadcast_live_until_an_effector_takes_the_patient(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    operator = person(contexts, browser, live_server, "operator")
    expect(heading(operator)).to_have_text("File d'attente")
    panel = operator.get_by_role("region", name="Diffusions SMS en cours")
    expect(operator.get_by_role("region", name="SMS non distribués : à appeler")).to_contain_text(
        "Aucun SMS en échec."
    )

    request = intake(operator, "Le Bihan", "Gwenaël", "06 98 76 56 78")
    started = api(
        operator,
        "POST",
        "/api/notifications/broadcasts",
        {"request_id": request["id"], "place": "Redon", "effector_ids": [me["id"]]},
    )
    item = (
        panel.get_by_test_id("sms-broadcasts")
        .locator("li")
        .filter(has_text=f"Demande n° {request['id']}")
    )
    expect(item).to_contain_text("En attente d'une réponse")
    expect(item).to_contain_text(f"code {started['code']}")
    expect(item).to_contain_text("1 effecteur sollicité")

    # The effector answers OUI from their phone (simulated on the coordinator's demo page).
    coordinator = person(contexts, browser, live_server, "coordinator")
    coordinator.goto("/coordination/sms")
    coordinator.get_by_label("Numéro de l'expéditeur").fill(me["phone"])
    coordinator.get_by_label("Texte du SMS").fill(f"OUI {started['code']}")
    coordinator.get_by_role("button", name="Simuler la réception").click()
    expect(
        coordinator.get_by_role("status").filter(has_text="Réponse traitée (OUI)")
    ).to_contain_text("patient confié")

    # The operator's console follows without reload.
    expect(item).to_contain_text("Pris par Dr Anne Martin")
    expect(item).to_contain_text("1 réponse")


def test_an_undeliverable_sms_becomes_an_alert_on_the_operator_console_until_acknowledged(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    slot = open_slot(effector, me["sites"][0]["id"], datetime.now(UTC) + timedelta(hours=5))
    operator = person(contexts, browser, live_server, "operator")
    expect(heading(operator)).to_have_text("File d'attente")
    alerts = operator.get_by_role("region", name="SMS non distribués : à appeler")
    expect(alerts).to_contain_text("Aucun SMS en échec.")

    request = intake(operator, "Morvan", "Youenn", "06 98 76 00 99")
    path = f"/api/regulation/requests/{request['id']}"
    api(operator, "POST", f"{path}/hold", {"slot_id": slot["id"]})
    api(operator, "POST", f"{path}/confirm", {"slot_id": slot["id"]})

    # The patient's confirmation cannot be delivered: the console says whom to phone, live.
    alert = alerts.get_by_test_id("sms-alerts").locator("li").filter(has_text="06 98 76 00 99")
    expect(alert).to_contain_text("Appeler patient 06 98 76 00 99", timeout=15_000)
    expect(alert).to_contain_text("Confirmation au cabinet")
    expect(alert).to_contain_text("Numéro invalide.")
    expect(alert).to_contain_text(f"Demande n° {request['id']}")
    alert.get_by_role("button", name="Marquer traité").click()
    expect(alert).to_have_count(0)
    expect(alerts).to_contain_text("Aucun SMS en échec.")


def test_a_pharmacist_who_leaves_a_mobile_gets_the_outcome_by_sms(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    pharmacist.get_by_role("link", name="Orienter un patient").click()
    fill_identity(pharmacist, "Riou", "Soazig", "1972-05-02", "06 98 76 33 44")
    pharmacist.get_by_label("Motif (facultatif)").select_option(label="Fièvre")
    pharmacist.get_by_text("Plus d'informations (facultatif)").click()
    pharmacist.get_by_label("Votre portable (facultatif)").fill("06 11 22 33 55")
    pharmacist.get_by_role("button", name="Envoyer à la régulation").click()
    expect(heading(pharmacist)).to_have_text("Mes orientations")
    mine = next(
        r
        for r in api(pharmacist, "GET", "/api/regulation/referrals/mine")["items"]
        if r["given_name"] == "Soazig"
    )

    operator = person(contexts, browser, live_server, "operator")
    path = f"/api/regulation/requests/{mine['id']}"
    api(operator, "POST", f"{path}/claim", {})
    api(operator, "POST", f"{path}/triage", {"answers": ANSWERS})  # advice only once triaged
    api(operator, "POST", f"{path}/close", {"outcome": "medical_advice"})

    coordinator = person(contexts, browser, live_server, "coordinator")
    coordinator.goto("/coordination/sms")
    coordinator.get_by_label("Destinataire", exact=True).select_option(label="Adresseur")
    told = (
        coordinator.get_by_test_id("sms-messages")
        .locator("tr[data-template='referent_issue']")
        .filter(has_text=f"(demande {mine['id']})")
    )
    expect(told).to_contain_text(f"votre patient S. R. (demande {mine['id']})")
    expect(told).to_contain_text("conseil médical donné par téléphone")
    expect(told).to_contain_text("06 •• •• 33 55")
    expect(told).not_to_contain_text("Riou")
