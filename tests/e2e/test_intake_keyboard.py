"""Browser journeys of issue 16, point 4: the new call in the order of the conversation.

At 1280x800 and from the keyboard only: N on the console puts the focus in the family name;
the identity (who and how old) comes first, then the red flags of that age, then the motif and
its questions, then the rest; the request is triaged and a slot booked without the mouse, and
every dialog of the request page gives the focus back to the button that opened it. The
infant's red flag comes right after the age and is never answered behind the operator's back.
Fixtures come from `tests/e2e/conftest.py`; the patients' names and numbers are unique to this
file since the server is shared."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, expect

from snp.kit import PARIS
from tests.e2e.test_regulation import api, contexts, heading, open_slot, person

pytestmark = pytest.mark.e2e
__all__ = ["contexts"]  # the fixture, shared with the regulation journeys

DESK: ViewportSize = {"width": 1280, "height": 800}
# The page's height at 1280x800 once an adult's call about a fever is filled in: 5,163 px with
# the red flags first in a half-width column (issue 16), 2,903 px reordered and compacted.
MAX_FORM_HEIGHT = 3_000
INFANT_FLAG = "Fièvre ou signe de gravité chez un nourrisson de moins de 3 mois"
ALL_NO = "Aucun signe d'alerte (tout « Non »)"
FOCUSED = """() => {
  const el = document.activeElement;
  return el ? (el.id || el.getAttribute('aria-label') || el.textContent.trim()) : null;
}"""


def focused(page: Page) -> str | None:
    result: str | None = page.evaluate(FOCUSED)
    return result


def expect_focus_inside(page: Page, container: Locator) -> None:
    assert container.evaluate("(el) => el.contains(document.activeElement)"), focused(page)


def tab_to(page: Page, target: Locator, limit: int = 80) -> int:
    """Press Tab until `target` has the focus; the number of Tab presses it took."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("(el) => el === document.activeElement"):
            return count
    raise AssertionError(f"{target} never got the focus; ended on {focused(page)}")


def flags_section(page: Page) -> Locator:
    return page.get_by_role("region", name="Signes d'alerte vitale")


def flag_groups(page: Page) -> Locator:
    return flags_section(page).locator("fieldset.flag-question")


def answer_no_with_keys(page: Page, group: Locator) -> None:
    """Tab into a yes/no group (none chosen: the focus is on « Oui »), then → picks « Non »."""
    page.keyboard.press("Tab")
    expect(group.get_by_label("Oui", exact=True)).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(group.get_by_label("Non", exact=True)).to_be_checked()
    expect(group.get_by_label("Non", exact=True)).to_be_focused()


def months_ago(months: int) -> datetime:
    return datetime.now(PARIS) - relativedelta(months=months, days=3)


def date_keys(born: date) -> str:
    """What is typed in Chromium's date field: its two first parts (day and month, in the order
    of the browser's language) then the year; the day equals the month so either order reads."""
    assert born.day == born.month
    return born.strftime("%d%m%Y")


def open_new_call_with_n(page: Page) -> None:
    page.goto("/regulation")
    expect(heading(page)).to_have_text("File d'attente")
    page.keyboard.press("n")
    expect(heading(page)).to_have_text("Nouvel appel")
    # Once the form is there (the protocol loads), the focus is in its first field.
    expect(page.get_by_label("Nom", exact=True)).to_be_focused()


def type_identity(page: Page, family: str, given: str, born: date, phone: str) -> None:
    """Who and how old, typed as the caller says it: name, first name, birth date, sex, phone."""
    expect(page.get_by_label("Nom", exact=True)).to_be_focused()
    page.keyboard.type(family)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Prénom")).to_be_focused()
    page.keyboard.type(given)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Date de naissance")).to_be_focused()
    page.keyboard.type(date_keys(born))
    expect(page.get_by_label("Date de naissance")).to_have_value(born.isoformat())
    # Chromium's date field keeps one Tab stop of its own (its calendar button) after the year.
    sex = page.get_by_role("group", name="Sexe")
    tab_to(page, sex.get_by_label("Femme"), limit=2)
    page.keyboard.press("Space")
    expect(sex.get_by_label("Femme")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Téléphone mobile")).to_be_focused()
    page.keyboard.type(phone)


def test_the_whole_intake_and_the_booking_from_the_keyboard(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    open_slot(effector, me["sites"][0]["id"], datetime.now(UTC) + timedelta(minutes=40))
    operator = person(contexts, browser, live_server, "operator")
    operator.set_viewport_size(DESK)

    # N on the console: the focus is in the family name at once (no Tab stop to the first field).
    open_new_call_with_n(operator)
    assert focused(operator) == "appel-family_name"
    type_identity(operator, "Le Floch", "Katell", date(1979, 5, 5), "06 47 58 69 70")

    # Then the red flags of her age, each answered with the keyboard.
    all_no = flags_section(operator).get_by_role("button", name=ALL_NO)
    assert tab_to(operator, all_no) == 1
    groups = flag_groups(operator)
    expect(groups.first).to_be_visible()
    shown = groups.count()
    legends = groups.locator("legend").all_inner_texts()
    assert not any(INFANT_FLAG in legend for legend in legends)  # not at 47
    assert any("Douleur thoracique" in legend for legend in legends)
    for n in range(shown):
        answer_no_with_keys(operator, groups.nth(n))

    # Then the motif and its questions (risk factors first: they are asked for every motif).
    no_risk = operator.get_by_role("button", name="Aucun facteur de risque (tout « Non »)")
    assert tab_to(operator, no_risk) == 1
    operator.keyboard.press("Enter")
    motif = operator.get_by_label("Motif", exact=True)
    tab_to(operator, motif, limit=12)
    operator.keyboard.type("Fi")
    expect(motif).to_have_value("fever")
    duration = operator.get_by_role("group", name=re.compile("Depuis quand dure la fièvre"))
    operator.keyboard.press("Tab")
    expect_focus_inside(operator, duration)
    operator.keyboard.press("ArrowRight")
    expect(duration.get_by_label("De 2 à 5 jours")).to_be_checked()
    tolerated = operator.get_by_role("group", name=re.compile("La fièvre est-elle bien tolérée"))
    operator.keyboard.press("Tab")
    expect(tolerated.get_by_label("Oui", exact=True)).to_be_focused()
    operator.keyboard.press("Space")
    expect(tolerated.get_by_label("Oui", exact=True)).to_be_checked()

    # Then the rest: where she is.
    commune = operator.get_by_label("Commune")
    tab_to(operator, commune, limit=6)
    operator.keyboard.type("Redon")
    expect(commune).to_have_value("35236")

    # The whole form at 1280x800, everything shown, before it is sent.
    height = operator.evaluate("document.documentElement.scrollHeight")
    print(f"intake page height at 1280x800: {height} px")  # the figure for the report
    assert height <= MAX_FORM_HEIGHT, height

    submit = operator.get_by_role("button", name="Enregistrer et trier")
    tab_to(operator, submit, limit=20)
    operator.keyboard.press("Enter")
    expect(heading(operator)).to_have_text("Demande de Katell LE FLOCH")
    expect(operator.get_by_role("region", name="Résultat du tri")).to_contain_text("P2")
    expect(operator.get_by_role("heading", name="Créneaux proposés")).to_be_focused()

    # A slot booked with the keyboard; Escape in the dialog gives the focus back to its button.
    candidates = operator.get_by_role("region", name="Créneaux proposés")
    book = candidates.get_by_role("button", name=re.compile("^Réserver avec Dr Anne Martin")).first
    tab_to(operator, book, limit=10)
    operator.keyboard.press("Enter")
    dialog = operator.get_by_role("dialog", name="Confirmez avec le patient au téléphone")
    confirm = dialog.get_by_role("button", name="Le patient accepte : confirmer le rendez-vous")
    expect(confirm).to_be_focused()
    operator.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(book).to_be_focused()
    expect(book).to_be_enabled()
    operator.keyboard.press("Enter")
    expect(confirm).to_be_focused()
    operator.keyboard.press("Enter")
    expect(heading(operator)).to_have_text("File d'attente")
    expect(
        operator.get_by_role("status").filter(has_text="Rendez-vous réservé avec Dr Anne Martin")
    ).to_be_visible()


def test_the_request_pages_dialogs_give_the_focus_back_to_their_button(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    effector = person(contexts, browser, live_server, "effector")
    me = api(effector, "GET", "/api/agenda/me")
    slot = open_slot(effector, me["sites"][0]["id"], datetime.now(UTC) + timedelta(hours=20))
    operator = person(contexts, browser, live_server, "operator")
    document = api(operator, "GET", "/api/regulation/protocols/current")["document"]
    answers: dict[str, Any] = {flag["id"]: False for flag in document["red_flags"]}
    answers |= {factor["id"]: False for factor in document.get("risk_factors") or []}
    answers |= {"fever_duration": "under_48h", "fever_tolerated": True, "chronic_disease": True}
    created = api(
        operator,
        "POST",
        "/api/regulation/requests",
        {
            "family_name": "Le Roux",
            "given_name": "Tugdual",
            "birth_date": "1966-10-09",
            "sex": "male",
            "phone": "06 58 69 70 81",
            "commune_insee": "35236",
            "motif": "fever",
            "answers": answers,
        },
    )
    path = f"/api/regulation/requests/{created['id']}"
    api(operator, "POST", f"{path}/hold", {"slot_id": slot["id"]})
    api(operator, "POST", f"{path}/confirm", {"slot_id": slot["id"]})
    operator.set_viewport_size(DESK)
    operator.goto(f"/regulation/demandes/{created['id']}")
    expect(heading(operator)).to_have_text("Demande de Tugdual LE ROUX")

    for opener, title in [
        ("Déplacer le rendez-vous", "Déplacer le rendez-vous"),
        ("Annuler le rendez-vous", "Annuler le rendez-vous"),
    ]:
        button = operator.get_by_role("button", name=opener).first
        tab_to(operator, button)
        operator.keyboard.press("Enter")
        dialog = operator.get_by_role("dialog", name=title)
        expect(dialog).to_be_visible()
        expect_focus_inside(operator, dialog)
        operator.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        expect(button).to_be_focused()


def test_an_infants_red_flag_comes_right_after_the_age_and_is_never_answered_silently(
    browser: Browser, live_server: str, contexts: list[BrowserContext]
) -> None:
    operator = person(contexts, browser, live_server, "operator")
    operator.set_viewport_size(DESK)
    open_new_call_with_n(operator)
    flags = flags_section(operator)
    all_no = flags.get_by_role("button", name=ALL_NO)

    # Age not known yet: every age's flags are shown, the age-specific ones labelled by age, and
    # « tout Non » waits for the birth date.
    def age_tag(reason: str) -> Locator:
        return flags.get_by_role("group", name=re.compile(reason)).locator(".tag-age")

    expect(age_tag(INFANT_FLAG)).to_have_text("Nourrisson de moins de 3 mois")
    expect(age_tag("Douleur thoracique")).to_have_text("À partir de 2 ans")
    expect(age_tag("Détresse respiratoire")).to_have_count(0)  # asked at every age
    expect(all_no).to_be_disabled()
    expect(flags).to_contain_text("Saisissez d'abord la date de naissance")

    # An adult's birth date first, every flag answered « Non » in one go...
    type_identity(operator, "Le Goff", "Nolwenn", date(1996, 3, 3), "06 69 70 81 92")
    expect(all_no).to_be_enabled()
    expect(flags.get_by_role("group", name=re.compile(INFANT_FLAG))).to_have_count(0)
    all_no.click()
    expect(flags.locator("fieldset.flag-question input:checked")).to_have_count(
        flag_groups(operator).count()
    )

    # ...then corrected to a 2-month-old's: the infant flag appears unanswered, first, right
    # after the age, and marked as still to ask.
    birth = operator.get_by_label("Date de naissance")
    birth.fill(months_ago(2).date().isoformat())
    infant = flags.get_by_role("group", name=re.compile(INFANT_FLAG))
    expect(infant).to_be_visible()
    expect(flag_groups(operator).first).to_contain_text(INFANT_FLAG)
    expect(infant.locator("input:checked")).to_have_count(0)
    expect(infant).to_have_class(re.compile(r"\bflag-pending\b"))
    expect(flags.get_by_role("status")).to_contain_text("1 signe d'alerte propre à cet âge")

    # Submission is refused by that field until it is answered.
    operator.get_by_label("Motif", exact=True).select_option(label="Fièvre")
    operator.get_by_role("button", name="Aucun facteur de risque (tout « Non »)").click()
    operator.get_by_role("group", name=re.compile("Depuis quand dure la fièvre")).get_by_label(
        "Moins de 48 heures"
    ).check()
    operator.get_by_role("group", name=re.compile("La fièvre est-elle bien tolérée")).get_by_label(
        "Oui", exact=True
    ).check()
    operator.get_by_label("Commune").select_option(label="Redon (35600)")
    operator.get_by_role("button", name="Enregistrer et trier").click()
    summary = operator.get_by_role("alert").filter(has_text="La demande n'a pas été enregistrée")
    expect(summary).to_contain_text(INFANT_FLAG)
    expect(infant).to_contain_text("Réponse obligatoire")
    expect(heading(operator)).to_have_text("Nouvel appel")

    # Answered « Oui »: the 15 at once, with what is known.
    infant.get_by_label("Oui", exact=True).check()
    call_15 = operator.get_by_role("alert").filter(has_text="Appelez le 15 maintenant")
    expect(call_15).to_contain_text(INFANT_FLAG)
