"""Browser journey of the referral loop (issue 16, point 8): a pharmacist on a phone refers a
woman answering every red flag « Non »; the operator's triage shows those answers pre-filled and
marked as the pharmacist's, and does not ask « S'agit-il d'un homme ? »; the operator books; the
pharmacist opens the referral and reads the doctor, the place, the date and time, on a phone
without scrolling sideways. Names are unique to this file (the server is shared)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from snp.kit import PARIS
from tests.e2e.test_regulation import api, contexts, fill_identity, heading, open_slot, person

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the fixture, shared with the regulation journeys


def test_the_pharmacists_answers_reach_the_triage_and_the_pharmacist_sees_the_doctor_and_place(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    pharmacist = person(contexts, browser, live_server, "referrer", phone=True)
    pharmacist.get_by_role("link", name="Orienter un patient").click()
    expect(heading(pharmacist)).to_have_text("Orienter un patient")
    fill_identity(pharmacist, "Quéméner", "Annaïg", "1991-04-17", "06 44 55 66 77")
    pharmacist.get_by_label("Motif (facultatif)").select_option(label="Brûlures urinaires")
    pharmacist.get_by_text("Plus d'informations (facultatif)").click()
    pharmacist.get_by_role("group", name="Sexe").get_by_label("Femme").check()
    pharmacist.get_by_role("checkbox", name=re.compile("^Aucun de ces signes")).check()
    pharmacist.get_by_role("button", name="Envoyer à la régulation").click()
    expect(heading(pharmacist)).to_have_text("Mes orientations")
    sent = next(
        r
        for r in api(pharmacist, "GET", "/api/regulation/referrals/mine")["items"]
        if r["family_name"] == "Quéméner"
    )
    sent_at = datetime.fromisoformat(sent["received_at"]).astimezone(PARIS).strftime("%H:%M")

    # The operator triages it: the pharmacist's « Non » are there, marked as theirs.
    operator = person(contexts, browser, live_server, "operator")
    request_path = f"/api/regulation/requests/{sent['id']}"
    api(operator, "POST", f"{request_path}/claim", {})
    operator.goto(f"/regulation/demandes/{sent['id']}")
    expect(heading(operator)).to_contain_text("QUÉMÉNER")
    expect(operator.get_by_role("status").filter(has_text="pré-remplis et marqués")).to_be_visible()
    chest = operator.get_by_role("group", name=re.compile("^Douleur thoracique"))
    expect(chest.get_by_label("Non", exact=True)).to_be_checked()
    expect(chest).to_contain_text(f"Réponse du pharmacien ({sent_at}) : Non")
    pregnancy = operator.get_by_role("group", name=re.compile("^Urgence obstétricale"))
    expect(pregnancy.get_by_label("Non", exact=True)).to_be_checked()

    operator.get_by_role("button", name="Aucun facteur de risque (tout « Non »)").click()
    # She is a woman: « S'agit-il d'un homme ? » is not asked.
    expect(operator.get_by_role("group", name=re.compile("S'agit-il d'un homme"))).to_have_count(0)
    operator.get_by_role("group", name=re.compile("^Fièvre, frissons")).get_by_label(
        "Oui", exact=True
    ).check()
    operator.get_by_role("button", name="Enregistrer le tri").click()
    result = operator.get_by_role("region", name="Résultat du tri")
    expect(result).to_contain_text("P2")
    expect(result).to_contain_text("Consultation au cabinet")
    triaged = api(operator, "GET", request_path)
    assert triaged["triage_answers"]["man"] is False  # from her recorded sex
    history = operator.get_by_role("region", name="Historique")
    expect(history).to_contain_text("Signes d'alerte répondus par l'orienteur")
    expect(history).to_contain_text("Réponses de l'orienteur revues au tri")

    # Booked within the deadline at the demo doctor's practice.
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    site = me["sites"][0]
    slot = open_slot(effector, site["id"], datetime.now(UTC) + timedelta(hours=1))
    api(operator, "POST", f"{request_path}/hold", {"slot_id": slot["id"]})
    api(operator, "POST", f"{request_path}/confirm", {"slot_id": slot["id"]})
    start = datetime.fromisoformat(slot["start_at"]).astimezone(PARIS)

    # The pharmacist opens the referral from the list and reads the doctor and the place.
    pharmacist.reload()
    item = pharmacist.get_by_test_id("referral").filter(has_text="Annaïg QUÉMÉNER")
    item.get_by_role("link", name="Annaïg QUÉMÉNER").click()
    expect(heading(pharmacist)).to_have_text("Suivi : Annaïg QUÉMÉNER")
    appointment = pharmacist.get_by_test_id("referral-appointment")
    expect(appointment).to_contain_text(f"{me['family_name']}")
    expect(appointment).to_contain_text(site["address_line"])
    expect(appointment).to_contain_text(site["city"])
    expect(appointment).to_contain_text(f"à {start.strftime('%H:%M')}")
    expect(appointment).to_contain_text("Rendez-vous pris")
    overflow = pharmacist.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px of horizontal scroll at 390x844"
