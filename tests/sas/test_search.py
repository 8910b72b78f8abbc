"""INT_R04 (CPTS): `GET /fhir/Slot`, one test per rule of SAS-INTERFACE.md."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector, Site
from sas import fhir
from snp.identifiers import rpps_with_check_digit
from snp.kit import PARIS
from tests.agenda.slot_factories import book, create_slot, in_days
from tests.sas.conftest import CPTS_FINESS, PUBLIC_URL, arrange_supply, period
from tests.sas.fake_platform import PlatformDriver

IDNPS = fhir.IDNPS_SYSTEM


def ident(effector: Effector, prefix: bool = True, system: bool = True) -> str:
    value = ("8" if prefix else "") + effector.national_id
    return f"{IDNPS}|{value}" if system else value


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle.get("entry", []) if e["resource"]["resourceType"] == kind]


def assert_no_empty(value: Any, path: str = "$") -> None:
    assert value not in ("", [], {}, None), f"empty element at {path}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert_no_empty(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_no_empty(item, f"{path}[{index}]")


async def search_all(session: AsyncSession, driver: PlatformDriver) -> tuple[Any, dict[str, Any]]:
    supply = await arrange_supply(session)
    start, end = period()
    response = await driver.search_slots([ident(supply.first), ident(supply.second)], start, end)
    assert response.status_code == 200, response.text
    return supply, response.json()


async def test_the_bundle_and_every_resource_parse_with_fhir_r4b_models(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    _, bundle = await search_all(session, driver)
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        for contained in resource.get("contained", []):
            get_fhir_model_class(contained["resourceType"]).model_validate(contained)


async def test_searchset_with_total_one_self_link_and_search_modes(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    _, bundle = await search_all(session, driver)
    assert bundle["type"] == "searchset"
    assert bundle["meta"]["profile"] == [fhir.BUNDLE_PROFILE]
    slots = resources(bundle, "Slot")
    assert bundle["total"] == len(slots) == 3  # the unshared slot is not exposed
    assert len(bundle["link"]) == 1
    assert bundle["link"][0]["relation"] == "self"
    assert bundle["link"][0]["url"].startswith("http://testserver/fhir/Slot?")
    for entry in bundle["entry"]:
        mode = "match" if entry["resource"]["resourceType"] == "Slot" else "include"
        assert entry["search"] == {"mode": mode}
        resource = entry["resource"]
        assert entry["fullUrl"] == f"{PUBLIC_URL}/fhir/{resource['resourceType']}/{resource['id']}"


async def test_no_empty_elements_anywhere(session: AsyncSession, driver: PlatformDriver) -> None:
    _, bundle = await search_all(session, driver)
    assert_no_empty(bundle)


async def test_profiles_on_every_resource(session: AsyncSession, driver: PlatformDriver) -> None:
    _, bundle = await search_all(session, driver)
    expected = {
        "Slot": fhir.SLOT_PROFILE,
        "Schedule": fhir.SCHEDULE_PROFILE,
        "Practitioner": fhir.PRACTITIONER_PROFILE,
        "PractitionerRole": fhir.PRACTITIONER_ROLE_PROFILE,
        "HealthcareService": fhir.HEALTHCARE_SERVICE_PROFILE,
        "Organization": fhir.ORGANIZATION_PROFILE,
    }
    seen = set()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        seen.add(resource["resourceType"])
        assert resource["meta"]["profile"] == [expected[resource["resourceType"]]]
    assert seen == set(expected)
    for role in resources(bundle, "PractitionerRole"):
        assert role["contained"][0]["meta"]["profile"] == [fhir.LOCATION_PROFILE]


async def test_slot_content_codes_and_times(session: AsyncSession, driver: PlatformDriver) -> None:
    supply, bundle = await search_all(session, driver)
    slots = {s["start"]: s for s in resources(bundle, "Slot")}
    first = slots[supply.times[0].isoformat(timespec="seconds")]
    assert first["status"] == "free"
    assert re.search(r"[+-]\d\d:\d\d$", first["end"])
    assert {c["system"] for c in first["meta"]["security"]} == {fhir.VISIBILITY_SYSTEM}
    assert [c["code"] for c in first["meta"]["security"]] == ["SNP", "CPTS"]
    assert first["serviceType"][0] == {"coding": [{"system": fhir.ACT_CODE_SYSTEM, "code": "AMB"}]}
    assert first["specialty"] == [{"coding": [{"system": fhir.SPECIALTY_SYSTEM, "code": "SM54"}]}]
    assert first["appointmentType"] == {
        "coding": [{"system": fhir.APPOINTMENT_TYPE_SYSTEM, "code": "ROUTINE"}]
    }
    home = slots[supply.times[1].isoformat(timespec="seconds")]
    assert [t["coding"][0]["code"] for t in home["serviceType"][:2]] == ["AMB", "HH"]
    other = slots[supply.times[3].isoformat(timespec="seconds")]
    assert [c["code"] for c in other["meta"]["security"]] == ["PUBLIC", "SNP"]


async def test_comment_is_the_booking_page_of_that_very_slot(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply, bundle = await search_all(session, driver)
    for slot in resources(bundle, "Slot"):
        schedule_id = slot["schedule"]["reference"].removeprefix("Schedule/")
        effector_id = schedule_id.split("-")[0]
        assert slot["comment"] == (
            f"{PUBLIC_URL}/sas/effecteurs/{effector_id}/creneaux/{slot['id']}?origin=sas"
        )
    assert any(str(supply.first.id) in s["comment"] for s in resources(bundle, "Slot"))


async def test_one_schedule_per_effector_and_site_with_both_actors(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply, bundle = await search_all(session, driver)
    schedules = resources(bundle, "Schedule")
    first_sites = {s.id for s in supply.first.sites}
    first_schedules = [s for s in schedules if s["id"].startswith(f"{supply.first.id}-")]
    assert {int(s["id"].split("-")[1]) for s in first_schedules} == first_sites
    assert len(schedules) == 3
    for schedule in schedules:
        practitioner, role = schedule["actor"]
        assert practitioner["reference"].startswith("Practitioner/")
        assert role["reference"] == f"PractitionerRole/{schedule['id']}"
    ids = {f"{r['resourceType']}/{r['id']}" for e in bundle["entry"] for r in [e["resource"]]}
    for slot in resources(bundle, "Slot"):
        assert slot["schedule"]["reference"] in ids
    for schedule in schedules:
        assert {a["reference"] for a in schedule["actor"]} <= ids
    assert len(resources(bundle, "Practitioner")) == 2  # once each, however many sites


async def test_practitioner_identifier_always_prefixed_with_idnps_type(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    start, end = period()
    # Sent without prefix and without system: still found, answered prefixed.
    response = await driver.search_slots(
        [ident(supply.first, prefix=False, system=False)], start, end
    )
    bundle = response.json()
    (practitioner,) = resources(bundle, "Practitioner")
    assert practitioner["identifier"] == [
        {
            "type": {"coding": [{"system": fhir.ID_TYPE_SYSTEM, "code": "IDNPS"}]},
            "system": IDNPS,
            "value": "8" + supply.first.national_id,
        }
    ]
    assert practitioner["name"] == [{"family": "Martin", "given": ["Anne"]}]
    prefixed = await driver.search_slots([ident(supply.first)], start, end)
    assert prefixed.json()["total"] == bundle["total"] == 2


async def test_location_is_contained_in_the_role_with_one_address_line(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    _, bundle = await search_all(session, driver)
    for role in resources(bundle, "PractitionerRole"):
        (location,) = role["contained"]
        assert location["resourceType"] == "Location"
        assert role["location"] == [{"reference": f"#{location['id']}"}]
        address = location["address"]
        assert len(address["line"]) == 1
        assert address["city"] == "Redon"
        assert address["postalCode"] == "35600"
        assert role["practitioner"]["reference"].startswith("Practitioner/")
    assert resources(bundle, "Location") == []  # never a separate entry


async def test_phone_numbers_are_e164_french(session: AsyncSession, driver: PlatformDriver) -> None:
    _, bundle = await search_all(session, driver)
    phones = [
        t["value"]
        for kind in ("PractitionerRole", "Organization")
        for r in resources(bundle, kind)
        for t in r["telecom"]
    ]
    assert phones
    assert all(re.fullmatch(r"\+33\d{9}", p) for p in phones), phones


async def test_role_carries_the_structure_identifier_of_the_site(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    site_id = supply.first.sites[0].id
    await session.execute(update(Site).where(Site.id == site_id).values(structure_id="1350009177"))
    await session.commit()
    start, end = period()
    bundle = (await driver.search_slots([ident(supply.first)], start, end)).json()
    roles = {r["id"]: r for r in resources(bundle, "PractitionerRole")}
    with_structure = roles[f"{supply.first.id}-{site_id}"]
    assert with_structure["organization"] == {
        "identifier": {
            "type": {"coding": [{"system": fhir.ID_TYPE_SYSTEM, "code": "IDNST"}]},
            "system": fhir.IDNST_SYSTEM,
            "value": "1350009177",
        }
    }
    assert "organization" not in roles[f"{supply.first.id}-{supply.first.sites[1].id}"]


async def test_cpts_healthcare_service_and_organization_linkage(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    _, bundle = await search_all(session, driver)
    (service,) = resources(bundle, "HealthcareService")
    (organization,) = resources(bundle, "Organization")
    assert service["providedBy"] == {"reference": f"Organization/{organization['id']}"}
    assert organization["name"] == "CPTS du Pays de Redon"
    assert organization["meta"]["profile"] == [fhir.ORGANIZATION_PROFILE]
    assert organization["meta"]["profile"][0].endswith("sas-cpts-organization-aggregator")
    (identifier,) = organization["identifier"]
    # FrOrganizationAgregateurCPTS fixes the fr-core system; the FAQ's coding goes beside it.
    assert {"system": fhir.FR_CORE_ID_TYPE_SYSTEM, "code": "IDNST"} in identifier["type"]["coding"]
    assert identifier["system"] == fhir.IDNST_SYSTEM
    for slot in resources(bundle, "Slot"):
        cpts = [t for t in slot["serviceType"] if "extension" in t]
        if any(c["code"] == "CPTS" for c in slot["meta"]["security"]):
            assert cpts == [
                {
                    "extension": [
                        {
                            "url": fhir.SERVICE_TYPE_EXTENSION,
                            "valueReference": {"reference": f"HealthcareService/{service['id']}"},
                        }
                    ],
                    "coding": [{"system": fhir.ESTABLISHMENT_SYSTEM, "code": "604"}],
                }
            ]
        else:
            assert cpts == []


async def test_finess_is_prefixed_with_1_and_ten_digits(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    _, bundle = await search_all(session, driver)
    (organization,) = resources(bundle, "Organization")
    value = organization["identifier"][0]["value"]
    assert value == "1" + CPTS_FINESS
    assert re.fullmatch(r"^1[0-9]{9}$", value)


async def test_no_cpts_resources_when_no_slot_is_cpts_visible(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    start, end = period()
    bundle = (await driver.search_slots([ident(supply.second)], start, end)).json()
    assert bundle["total"] == 1
    assert resources(bundle, "HealthcareService") == resources(bundle, "Organization") == []


async def test_booked_held_and_past_slots_are_not_free(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    extra = await create_slot(session, supply.second, in_days(3, 15))
    await book(session, extra)
    start, end = period()
    bundle = (await driver.search_slots([ident(supply.second)], start, end)).json()
    assert bundle["total"] == 1


async def test_period_bounds_are_respected(session: AsyncSession, driver: PlatformDriver) -> None:
    supply = await arrange_supply(session)
    start = in_days(2, 0).isoformat()
    end = in_days(2, 23).isoformat()
    bundle = (await driver.search_slots([ident(supply.first)], start, end)).json()
    assert bundle["total"] == 0  # day 2's slot of the first effector is not shared
    end_exact = supply.times[1].isoformat()  # `le` includes a slot starting exactly then
    bundle = (
        await driver.search_slots([ident(supply.first)], in_days(1, 0).isoformat(), end_exact)
    ).json()
    assert bundle["total"] == 2


async def test_unknown_practitioners_give_an_empty_bundle(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    start, end = period()
    response = await driver.search_slots(
        [f"{IDNPS}|8{rpps_with_check_digit('1999999999')}"], start, end
    )
    assert response.status_code == 200
    bundle = response.json()
    assert bundle["total"] == 0
    assert "entry" not in bundle
    assert len(bundle["link"]) == 1
    # The CPTS bundle profile requires a Slot: an empty answer declares the individual one.
    assert bundle["meta"]["profile"] == [fhir.EMPTY_BUNDLE_PROFILE]
    Bundle.model_validate(bundle)
    assert_no_empty(bundle)


async def test_count_is_accepted_and_ignored_as_the_one_link_bundle_demands(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    """The CPTS bundle profile allows exactly one link (self): no paging, so `_count` cannot
    truncate the answer without a way to the rest; every matching slot comes back."""
    supply = await arrange_supply(session)
    start, end = period()
    response = await driver.search_slots(
        [ident(supply.first), ident(supply.second)], start, end, extra=[("_count", "1")]
    )
    bundle = response.json()
    assert bundle["total"] == 3
    assert len(resources(bundle, "Slot")) == 3
    assert [link["relation"] for link in bundle["link"]] == ["self"]


async def test_twenty_five_identifiers_accepted_twenty_six_refused(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    start, end = period()
    ids = [f"{IDNPS}|8{rpps_with_check_digit(f'1{n:09d}')}" for n in range(900, 926)]
    assert (await driver.search_slots(ids[:25], start, end)).status_code == 200
    refused = await driver.search_slots(ids, start, end)
    assert refused.status_code == 400
    outcome = refused.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert "25" in outcome["issue"][0]["diagnostics"]


def _outcome(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    body: dict[str, Any] = response.json()
    get_fhir_model_class("OperationOutcome").model_validate(body)
    assert body["issue"][0]["severity"] == "error"
    assert body["issue"][0]["diagnostics"]
    return body


@pytest.mark.parametrize(
    "params",
    [
        [("start", "ge2026-12-01T08:00:00+01:00")],  # no upper bound
        [("start", "le2026-12-01T08:00:00+01:00")],  # no lower bound
        [("start", "ge2026-13-01T08:00:00+01:00"), ("start", "le2026-12-02T08:00:00+01:00")],
        [("start", "2026-12-01T08:00:00+01:00"), ("start", "le2026-12-02T08:00:00+01:00")],
    ],
)
async def test_malformed_dates_are_400(
    driver: PlatformDriver, params: list[tuple[str, str | int | float | bool | None]]
) -> None:
    response = await driver.client.get(
        "/fhir/Slot",
        params=[*params, ("schedule.actor:Practitioner.identifier", f"{IDNPS}|810002909371")],
        headers=driver.headers,
    )
    body = _outcome(response, 400)
    assert body["issue"][0]["code"] == "invalid"


async def test_missing_identifiers_are_400(driver: PlatformDriver) -> None:
    start, end = period()
    response = await driver.client.get(
        f"/fhir/Slot?start=ge{quote(start)}&start=le{quote(end)}", headers=driver.headers
    )
    _outcome(response, 400)


async def test_odd_or_unknown_identifiers_find_nothing_and_leave_the_others(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    """The guide: a search succeeds as soon as it can be executed."""
    supply = await arrange_supply(session)
    start, end = period()
    odd = ["abc", "urn:oid:1.2.3|810002909371", f"{IDNPS}|12345", f"{IDNPS}|8{'9' * 11}"]
    response = await driver.search_slots([*odd, ident(supply.second)], start, end)
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 1
    alone = await driver.search_slots(odd, start, end)
    assert alone.status_code == 200
    assert alone.json()["total"] == 0


async def test_a_date_time_without_offset_is_read_in_paris_time(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    paris = supply.times[3].astimezone(PARIS).replace(tzinfo=None)
    exact = paris.isoformat(timespec="seconds")  # as the guide's example: no offset
    response = await driver.search_slots([ident(supply.second)], exact, exact)
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 1


async def test_gt_and_lt_are_strict(session: AsyncSession, driver: PlatformDriver) -> None:
    supply = await arrange_supply(session)
    exact = supply.times[3].isoformat()
    ids = [ident(supply.second)]
    for low, high, expected in (("ge", "le", 1), ("gt", "le", 0), ("ge", "lt", 0)):
        response = await driver.client.get(
            "/fhir/Slot",
            params=[
                ("start", f"{low}{exact}"),
                ("start", f"{high}{exact}"),
                ("schedule.actor:Practitioner.identifier", ",".join(ids)),
                ("status", "free"),
            ],
            headers=driver.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["total"] == expected, (low, high)


async def test_no_limit_on_the_period(session: AsyncSession, driver: PlatformDriver) -> None:
    supply = await arrange_supply(session)
    far = await create_slot(session, supply.second, in_days(45, 10))
    response = await driver.search_slots(
        [ident(supply.second)], in_days(0, 0).isoformat(), in_days(60, 0).isoformat()
    )
    assert response.status_code == 200, response.text
    assert str(far.id) in {s["id"] for s in resources(response.json(), "Slot")}


async def test_business_rule_refusals_are_422(driver: PlatformDriver) -> None:
    ids = [f"{IDNPS}|810002909371"]
    reversed_period = await driver.search_slots(
        ids, in_days(3, 0).isoformat(), in_days(1, 0).isoformat()
    )
    assert _outcome(reversed_period, 422)["issue"][0]["code"] == "business-rule"
    booked = await driver.search_slots(
        ids, in_days(1).isoformat(), in_days(2).isoformat(), extra=[("status", "busy")]
    )
    _outcome(booked, 422)


async def test_example_request_of_the_guide_with_unencoded_plus(driver: PlatformDriver) -> None:
    # The guide's example, with the offsets' "+" left raw in the URL (decoded as a space).
    query = (
        "_include=Slot:schedule&_include:iterate=Schedule:actor"
        "&_include=Slot:service-type-reference&_include:iterate=HealthcareService:organization"
        "&start=ge2024-06-12T16:20:00.000+02:00&start=le2024-06-15T16:20:00.000+02:00"
        f"&schedule.actor:Practitioner.identifier={IDNPS}|810002909371,{IDNPS}|810001288385"
        "&status=free&_format=json"
    )
    response = await driver.client.get(f"/fhir/Slot?{query}", headers=driver.headers)
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 0


async def test_responses_are_fhir_json_whatever_the_accept_header(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    start, end = period()
    for accept in ("application/json+fhir", "application/fhir+json"):
        driver.headers["Accept"] = accept
        response = await driver.search_slots([ident(supply.first)], start, end)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/fhir+json")


async def test_unknown_fhir_route_is_a_404_operation_outcome(driver: PlatformDriver) -> None:
    response = await driver.client.get("/fhir/Patient", headers=driver.headers)
    _outcome(response, 404)


async def test_capability_statement_describes_what_we_support(driver: PlatformDriver) -> None:
    response = await driver.client.get("/fhir/metadata", headers=driver.headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    statement = response.json()
    get_fhir_model_class("CapabilityStatement").model_validate(statement)
    assert statement["fhirVersion"] == "4.0.1"
    assert set(statement["format"]) == {"application/fhir+json", "application/json+fhir"}
    assert statement["implementationGuide"] == ["https://interop.esante.gouv.fr/ig/fhir/sas"]
    by_type = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert set(by_type) == {"Slot", "Schedule", "Practitioner"}
    assert [i["code"] for i in by_type["Slot"]["interaction"]] == ["read", "search-type"]
    assert {p["name"] for p in by_type["Slot"]["searchParam"]} == {
        "start",
        "schedule.actor:Practitioner.identifier",
        "status",
    }
    assert [i["code"] for i in by_type["Schedule"]["interaction"]] == ["read", "search-type"]
    assert [p["name"] for p in by_type["Schedule"]["searchParam"]] == ["actor"]
    assert {i["code"] for i in by_type["Practitioner"]["interaction"]} == {
        "read",
        "search-type",
        "create",
        "update",
    }
    assert fhir.REGULATOR_PROFILE in by_type["Practitioner"]["supportedProfile"]
    assert by_type["Practitioner"]["updateCreate"] is True
    assert_no_empty(statement)


async def test_api_paths_keep_their_json_error_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/sas/effectors/1/slots")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_dates_helper() -> None:
    assert fhir.fhir_datetime(datetime.fromisoformat("2026-07-01T10:00:00+00:00")) == (
        "2026-07-01T12:00:00+02:00"
    )


async def test_adeli_practitioners_are_found_and_answered_with_prefix_0(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    supply = await arrange_supply(session)
    await session.execute(
        update(Effector)
        .where(Effector.id == supply.second.id)
        .values(national_id="351234567", national_id_kind="ADELI")
    )
    await session.commit()
    start, end = period()
    for token in (f"{IDNPS}|0351234567", "351234567"):
        bundle = (await driver.search_slots([token], start, end)).json()
        assert bundle["total"] == 1
        (practitioner,) = resources(bundle, "Practitioner")
        assert practitioner["identifier"][0]["value"] == "0351234567"
