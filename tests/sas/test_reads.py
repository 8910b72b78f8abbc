"""The reads and searches the guide's server requirements (SAS-gestionnaireagendaCPTS) list:
Slot read, Schedule read and search by actor, Practitioner read and search by identifier —
each answering what the slot search includes, 404 for an unknown id."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.schedule import Schedule
from fhir.resources.R4B.slot import Slot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot as SlotRow
from sas import fhir
from tests.agenda.slot_factories import book
from tests.sas.conftest import arrange_supply, period
from tests.sas.fake_platform import PlatformDriver
from tests.sas.test_practitioners import practitioner
from tests.sas.test_search import ident, resources


async def _get(driver: PlatformDriver, path: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = await driver.client.get(path, params=params, headers=driver.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    body: dict = response.json()  # type: ignore[type-arg]
    return body


async def test_a_slot_reads_as_the_search_returns_it(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    start, end = period()
    bundle = (await driver.search_slots([ident(supply.first)], start, end)).json()
    searched = resources(bundle, "Slot")[0]
    read = await _get(driver, f"/fhir/Slot/{searched['id']}")
    Slot.model_validate(read)
    assert read == searched


async def test_a_booked_unshared_or_unknown_slot_is_404(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    start, end = period()
    bundle = (await driver.search_slots([ident(supply.first)], start, end)).json()
    slot = resources(bundle, "Slot")[0]
    row = await session.get(SlotRow, int(slot["id"]))
    assert row is not None
    await book(session, row)
    unshared = supply.times[2]  # the first effector's day-2 slot, kept for the CPTS
    unshared_id = await session.scalar(
        select(SlotRow.id).where(
            SlotRow.start_at == unshared, SlotRow.effector_id == supply.first.id
        )
    )
    paths = [f"/fhir/Slot/{slot['id']}", f"/fhir/Slot/{unshared_id}", "/fhir/Slot/999999"]
    for path in [*paths, "/fhir/Slot/abc"]:
        response = await driver.client.get(path, headers=driver.headers)
        assert response.status_code == 404, path
        assert response.json()["resourceType"] == "OperationOutcome"


async def test_schedules_read_and_searched_by_actor(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    first = supply.first
    by_practitioner = await _get(driver, "/fhir/Schedule", actor=f"Practitioner/{first.id}")
    Bundle.model_validate(by_practitioner)
    ids = [s["id"] for s in resources(by_practitioner, "Schedule")]
    assert ids == [f"{first.id}-{site.id}" for site in first.sites]
    assert by_practitioner["total"] == 2
    key = ids[1]
    read = await _get(driver, f"/fhir/Schedule/{key}")
    Schedule.model_validate(read)
    assert read["meta"]["profile"] == [fhir.SCHEDULE_PROFILE]
    assert read["actor"] == [
        {"reference": f"Practitioner/{first.id}"},
        {"reference": f"PractitionerRole/{key}"},
    ]
    by_role = await _get(driver, "/fhir/Schedule", actor=f"PractitionerRole/{key}")
    assert [s["id"] for s in resources(by_role, "Schedule")] == [key]
    nobody = await _get(driver, "/fhir/Schedule", actor="Practitioner/999999")
    assert nobody["total"] == 0
    mismatched = f"{supply.second.id}-{first.sites[0].id}"  # a site of another effector
    response = await driver.client.get(f"/fhir/Schedule/{mismatched}", headers=driver.headers)
    assert response.status_code == 404


async def test_effector_practitioners_read_and_searched_by_identifier(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    read = await _get(driver, f"/fhir/Practitioner/{supply.first.id}")
    Practitioner.model_validate(read)
    assert read["meta"]["profile"] == [fhir.PRACTITIONER_PROFILE]
    assert read["identifier"][0]["value"] == "8" + supply.first.national_id
    for token in (ident(supply.first), supply.first.national_id):
        found = await _get(driver, "/fhir/Practitioner", identifier=token)
        assert [p["id"] for p in resources(found, "Practitioner")] == [str(supply.first.id)]
    unknown = await driver.client.get("/fhir/Practitioner/999999", headers=driver.headers)
    assert unknown.status_code == 404


async def test_regulator_accounts_read_back_as_fr_practitioner_regul(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    created = await driver.create_practitioner(practitioner(national="3456780581/11242343"))
    assert created.status_code == 201, created.text
    account_id = created.json()["id"]
    assert created.json()["meta"]["profile"] == [fhir.REGULATOR_PROFILE]
    read = await _get(driver, f"/fhir/Practitioner/{account_id}")
    assert read == created.json()
    found = await _get(
        driver, "/fhir/Practitioner", identifier=f"{fhir.IDNPS_SYSTEM}|3456780581/11242343"
    )
    assert [p["id"] for p in resources(found, "Practitioner")] == [account_id]
