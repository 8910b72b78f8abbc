"""The first SMS a patient receives — the booking confirmation — links to the patient
information notice (`/donnees`, absolute, from the public address), within the two-SMS budget."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service import booking
from notifications.service import messages
from notifications.service.sms_length import measure
from notifications.service.sources import PatientContact
from notifications.service.templates import MAX_SEGMENTS, TEMPLATES, VARIABLES, load
from snp.settings import Settings
from tests.agenda.slot_factories import create_effector, create_slot, in_days
from tests.notifications.conftest import outbox_rows, patient

CONFIRMATIONS = {
    "AMB": "patient_rdv_cabinet",
    "HH": "patient_rdv_domicile",
    "VR": "patient_rdv_teleconsultation",
}


def with_public_url(monkeypatch: pytest.MonkeyPatch, settings: Settings, url: str) -> None:
    configured = settings.model_copy(update={"public_base_url": url})
    monkeypatch.setattr(messages, "settings_of", lambda _session: configured)


@pytest.mark.parametrize(("kind", "template"), sorted(CONFIRMATIONS.items()))
async def test_every_confirmation_ends_with_the_notice_link(
    session: AsyncSession,
    contacts: dict[int, PatientContact],
    sms_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    template: str,
) -> None:
    with_public_url(monkeypatch, sms_settings, "https://snp.cpts-exemple.fr/")
    contacts[1] = patient()
    slot = await create_slot(
        session, await create_effector(session), in_days(1, 10), kinds=frozenset({"AMB", kind})
    )
    await booking.hold(session, slot.id, "operator:test")
    await booking.confirm(
        session, slot.id, "operator:test", request_id=1, patient_label="x", kind=kind
    )
    await session.commit()
    confirmation = next(r for r in await outbox_rows(session) if r.template == template)
    assert confirmation.body.endswith("\nVos données : https://snp.cpts-exemple.fr/donnees")
    assert measure(confirmation.body).segments <= MAX_SEGMENTS
    reminder = next(r for r in await outbox_rows(session) if r.template == "patient_rappel")
    assert "donnees" not in reminder.body  # once is enough


async def test_without_a_public_address_the_line_is_left_out(
    session: AsyncSession, contacts: dict[int, PatientContact]
) -> None:
    contacts[1] = patient()
    slot = await create_slot(session, await create_effector(session), in_days(1, 10))
    await booking.hold(session, slot.id, "operator:test")
    await booking.confirm(session, slot.id, "operator:test", request_id=1, patient_label="x")
    await session.commit()
    confirmation = next(r for r in await outbox_rows(session) if r.audience == "patient")
    assert "Vos données" not in confirmation.body
    assert confirmation.body.endswith("répondez ANNULER à ce SMS.")


def test_a_link_too_long_for_its_room_is_left_out_rather_than_cut() -> None:
    fits = Settings(public_base_url="https://snp.cpts-exemple.fr")
    too_long = Settings(public_base_url="https://" + "x" * VARIABLES["lien_infos"] + ".fr")
    assert messages.notice_link(fits) == "https://snp.cpts-exemple.fr/donnees"
    assert messages.notice_link(too_long) == ""


def test_with_the_longest_link_every_confirmation_stays_within_two_sms() -> None:
    loaded = load()
    for template in CONFIRMATIONS.values():
        assert "lien_infos" in TEMPLATES[template]
        assert "{lien_infos}" in loaded[template].text
        assert loaded[template].worst_case.segments <= MAX_SEGMENTS


async def test_the_short_link_leads_to_the_notice(client: httpx.AsyncClient) -> None:
    short = await client.get("/donnees")
    assert short.status_code == 308
    assert short.headers["location"] == "/informations-patients"
    notice = await client.get("/donnees", follow_redirects=True)
    assert notice.status_code == 200
    assert "Vos données personnelles" in notice.text
