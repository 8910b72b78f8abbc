"""The `CPTS` visibility code never goes without its `604` serviceType and HealthcareService:
no CPTS configured, or a Corsican FINESS (`2A…`/`2B…`) that the guide's invariant
`^1[0-9]{9}$` cannot express, leaves the code out, and a slot visible only to CPTS structures
is then not shown at all (it would be shown more widely than its effector chose)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from snp import territory
from snp.identifiers import finess_with_check_digit
from snp.territory.models import Cpts
from tests.agenda.slot_factories import create_effector, create_slot, in_days
from tests.sas.conftest import period
from tests.sas.fake_platform import PlatformDriver
from tests.sas.test_search import ident, resources


def codes(slot: dict[str, Any]) -> list[str]:
    return [c["code"] for c in slot["meta"].get("security", [])]


def cpts_service_types(slot: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in slot.get("serviceType", []) if "extension" in t]


async def arrange(session: AsyncSession, finess: str | None) -> tuple[Any, int, int]:
    if finess is None:
        await session.execute(delete(Cpts))
    else:
        await territory.set_cpts(session, name="CPTS de Corse", finess=finess, phone="0495000000")
    await session.commit()
    effector = await create_effector(session)
    shared = await create_slot(session, effector, in_days(1, 9))  # SNP + CPTS
    only_cpts = await create_slot(session, effector, in_days(1, 10), visibility=frozenset({"CPTS"}))
    return effector, shared.id, only_cpts.id


@pytest.mark.parametrize(
    "finess", [None, finess_with_check_digit("2A000001"), finess_with_check_digit("2B000001")]
)
async def test_no_cpts_code_without_its_service_type_and_healthcare_service(
    session: AsyncSession, driver: PlatformDriver, finess: str | None
) -> None:
    effector, shared, only_cpts = await arrange(session, finess)
    start, end = period()
    bundle = (await driver.search_slots([ident(effector)], start, end)).json()
    slots = resources(bundle, "Slot")
    assert [s["id"] for s in slots] == [str(shared)]  # the CPTS-only slot is not shown
    assert str(only_cpts) not in {s["id"] for s in slots}
    (slot,) = slots
    assert codes(slot) == ["SNP"]
    assert cpts_service_types(slot) == []
    assert resources(bundle, "HealthcareService") == []
    assert resources(bundle, "Organization") == []
    assert bundle["total"] == 1


async def test_with_an_expressible_finess_the_code_comes_with_its_service(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    effector, shared, only_cpts = await arrange(session, finess_with_check_digit("35000917"))
    start, end = period()
    bundle = (await driver.search_slots([ident(effector)], start, end)).json()
    slots = {s["id"]: s for s in resources(bundle, "Slot")}
    assert set(slots) == {str(shared), str(only_cpts)}
    for slot in slots.values():
        assert "CPTS" in codes(slot)
        (service_type,) = cpts_service_types(slot)
        assert service_type["coding"][0]["code"] == "604"
    (service,) = resources(bundle, "HealthcareService")
    assert service_type["extension"][0]["valueReference"]["reference"] == (
        f"HealthcareService/{service['id']}"
    )
