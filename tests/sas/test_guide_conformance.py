"""The guide's own examples and FSH profiles (fetched from the ANS repository, see
tests/sas/guide/SOURCE.md): every INT_R02 example is accepted, and every resource we emit
follows the cardinalities, assigned values, slice cardinalities and invariants its profile's
FSH declares — read from the FSH files, not copied by hand."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from sas import fhir
from sas.models import SasOutbox
from snp.auth.models import User
from tests.sas.conftest import arrange_supply, period
from tests.sas.fake_platform import PlatformDriver
from tests.sas.guide import fsh
from tests.sas.test_outbox import book_as_regulator, regulator_logged_in
from tests.sas.test_search import ident

REGUL = fsh.load_profile("FrPractitionerRegul.fsh")


def example(number: int) -> dict[str, Any]:
    resource = fsh.load_instance(f"example-practitioner-regul{number}.fsh", REGUL)
    return {"resourceType": "Practitioner", **resource}


def is_type(kind: str) -> fsh.Predicate:
    return lambda entry: isinstance(entry, dict) and entry["resource"]["resourceType"] == kind


def has_system(system: str) -> fsh.Predicate:
    return lambda item: isinstance(item, dict) and item.get("system") == system


def coded_in(system: str) -> fsh.Predicate:
    return lambda item: any(c.get("system") == system for c in item.get("coding", []))


def has_url(url: str) -> fsh.Predicate:
    return lambda item: isinstance(item, dict) and item.get("url") == url


SLICES: dict[str, fsh.Predicate] = {
    # FrPractitionerRegul
    "IdentifiantNatPS": has_system(fhir.IDNPS_SYSTEM),
    "IdentifiantInterne": has_system(fhir.SAS_SYSTEM),
    # FrAppointmentSAS
    "appointmentOperator": has_url(fhir.OPERATOR_EXTENSION),
    # FrSlotAgregateurCPTS
    "TypeConsultation": coded_in(fhir.ACT_CODE_SYSTEM),
    "referencecpts": coded_in(fhir.ESTABLISHMENT_SYSTEM),
    "sas-servicetype-r5": has_url(fhir.SERVICE_TYPE_EXTENSION),
    # BundleAgregateurCPTS
    "slotAgregateurCPTS": is_type("Slot"),
    "scheduleAgregateurCPTS": is_type("Schedule"),
    "practitionerAgregateur": is_type("Practitioner"),
    "practitionerRole": is_type("PractitionerRole"),
    "healthcareserviceCPTS": is_type("HealthcareService"),
    "organizationAgregateurCPTS": is_type("Organization"),
    # BundleAgregateur
    "FrSlotAgregateur": is_type("Slot"),
    "FrScheduleAgregateur": is_type("Schedule"),
    "FrPractitionerAgregateur": is_type("Practitioner"),
    "FrPractitionerRoleExerciceAgregateur": is_type("PractitionerRole"),
}


def conforms(resource: dict[str, Any], file_name: str, *, min_checked: int = 1) -> None:
    profile = fsh.load_profile(file_name)
    assert profile.url in resource.get("meta", {}).get("profile", []), (
        f"{resource['resourceType']} does not declare {profile.url}"
    )
    report = fsh.check(resource, profile, SLICES)
    assert report.violations == []
    assert report.unchecked == []
    assert report.checked >= min_checked  # the reader did read rules: the test can fail


@pytest.mark.parametrize("number", [1, 2, 4])
async def test_each_regulator_example_of_the_guide_is_created(
    session: AsyncSession, driver: PlatformDriver, number: int
) -> None:
    response = await driver.create_practitioner(example(number))
    assert response.status_code == 201, response.text
    sent = example(number)["identifier"][0]["value"]
    assert response.json()["identifier"][0]["value"] == sent  # stored as received
    conforms(response.json(), "FrPractitionerRegul.fsh", min_checked=10)


async def test_the_guide_s_account_lifecycle_technical_id_national_id_then_deactivation(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    """regul4 (technical id) then regul1 attaches the national id to that same account;
    regul2 creates Jules MARIUS, whom regul3 — the FAQ's deactivation call — deactivates."""
    created = await driver.create_practitioner(example(4))
    assert created.status_code == 201
    technical = example(4)["identifier"][0]["value"]
    attached = await driver.put_practitioner(f"{fhir.SAS_SYSTEM}|{technical}", example(1))
    assert attached.status_code == 200, attached.text
    assert attached.json()["id"] == created.json()["id"]
    assert {i["value"] for i in attached.json()["identifier"]} == {
        technical,
        "3456780581/11242343",
    }
    assert (await driver.create_practitioner(example(2))).status_code == 201
    deactivated = await driver.put_practitioner(f"{fhir.IDNPS_SYSTEM}|810002673899", example(3))
    assert deactivated.status_code == 200, deactivated.text
    assert deactivated.json()["active"] is False
    user = await session.scalar(
        select(User)
        .where(User.email == "jules.marius@test.com")
        .execution_options(populate_existing=True)
    )
    assert user is not None
    assert user.active is False


async def test_an_account_without_email_is_accepted(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    body = example(2)
    del body["telecom"]
    response = await driver.create_practitioner(body)
    assert response.status_code == 201, response.text
    assert "telecom" not in response.json()
    later = await driver.put_practitioner(f"{fhir.IDNPS_SYSTEM}|810002673899", example(2))
    assert later.status_code == 200
    assert later.json()["telecom"] == [{"system": "email", "value": "jules.marius@test.com"}]


async def test_the_search_bundle_and_its_resources_follow_their_profiles(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    start, end = period()
    response = await driver.search_slots([ident(supply.first), ident(supply.second)], start, end)
    bundle = response.json()
    conforms(bundle, "BundleAgregateurCPTS.fsh", min_checked=15)
    files = {
        "Slot": "FrSlotAgregateurCPTS.fsh",
        "Schedule": "FrScheduleAgregateur.fsh",
        "Practitioner": "FrPractitionerAgregateur.fsh",
        "PractitionerRole": "FrPractitionerRoleExerciceAgregateur.fsh",
        "HealthcareService": "FrHealthcareServiceAgregateurCPTS.fsh",
        "Organization": "FrOrganizationAgregateurCPTS.fsh",
    }
    seen = set()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        seen.add(kind)
        minimum = 0 if kind == "Schedule" else 2  # FrScheduleAgregateur has only caret rules
        if kind == "Schedule":
            assert fsh.load_profile(files[kind]).url in resource["meta"]["profile"]
        else:
            conforms(resource, files[kind], min_checked=minimum)
        for contained in resource.get("contained", []):
            conforms(contained, "FrLocationAgregateur.fsh", min_checked=4)
    assert seen == set(files)


async def test_our_cpts_slot_has_the_shape_of_the_guide_s_example(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    guide = fsh.load_instance("example-slotcpts1.fsh")
    supply = await arrange_supply(session)
    start, end = period()
    bundle = (await driver.search_slots([ident(supply.first)], start, end)).json()
    ours = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Slot")

    def cpts_entry(slot: dict[str, Any]) -> dict[str, Any]:
        return next(t for t in slot["serviceType"] if coded_in(fhir.ESTABLISHMENT_SYSTEM)(t))

    assert cpts_entry(ours)["coding"] == cpts_entry(guide)["coding"]
    assert {c["system"] for c in ours["meta"]["security"]} == {
        c["system"] for c in guide["meta"]["security"]
    }
    assert ours["specialty"] == guide["specialty"]
    assert set(guide) - {"meta"} <= set(ours) | {"meta"}


async def test_an_empty_answer_follows_the_individual_bundle_profile(
    driver: PlatformDriver,
) -> None:
    start, end = period()
    bundle = (await driver.search_slots([f"{fhir.IDNPS_SYSTEM}|810002909371"], start, end)).json()
    conforms(bundle, "BundleAgregateur.fsh", min_checked=1)


async def test_the_pushed_appointment_follows_fr_appointment_sas(
    app: FastAPI, session: AsyncSession, driver: PlatformDriver, client: httpx.AsyncClient
) -> None:
    await regulator_logged_in(session, driver, client)
    await book_as_regulator(session, client)
    (row,) = list(await session.scalars(select(SasOutbox)))
    conforms(json.loads(row.payload), "FrAppointmentSAS.fsh", min_checked=20)


def test_the_fsh_reader_catches_what_the_profiles_forbid() -> None:
    """The checks above can fail: a missing operator, a Corsican FINESS, a second link."""
    appointment = fsh.load_profile("FrAppointmentSAS.fsh")
    bare = {"resourceType": "Appointment", "identifier": [{"system": "https://x", "value": "1"}]}
    missing = fsh.check(bare, appointment, SLICES).violations
    assert any("appointmentOperator" in v for v in missing)
    assert any(v.startswith("FrAppointmentSAS: start ") for v in missing)
    organization = fsh.load_profile("FrOrganizationAgregateurCPTS.fsh")
    corsican = {"identifier": [{"system": fhir.IDNST_SYSTEM, "value": "12A0000013"}]}
    assert fsh.check(corsican, organization, SLICES).violations != []
    bundle = fsh.load_profile("BundleAgregateurCPTS.fsh")
    two_links = {"type": "searchset", "total": 0, "link": [{}, {}], "entry": []}
    assert len(fsh.check(two_links, bundle, SLICES).violations) == 5  # links + 4 slices
