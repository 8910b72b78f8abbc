"""INT_R02: regulator accounts created and maintained by the SAS platform."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.practitioner import Practitioner
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from sas import fhir
from sas.models import SasPractitionerAccount
from snp.audit import AuditEntry
from snp.auth.models import LoginSession, User
from snp.identifiers import rpps_with_check_digit
from tests.factories import login
from tests.sas.fake_platform import PlatformDriver

RPPS = rpps_with_check_digit("1000290937")


def practitioner(
    *,
    national: str | None = None,
    technical: str | None = None,
    email: str = "dr.regul@sas.example.fr",
    active: bool = True,
    family: str = "Régul",
    given: str = "Jeanne",
) -> dict[str, Any]:
    identifiers = []
    if national is not None:
        identifiers.append(
            {
                "type": {"coding": [{"system": fhir.ID_TYPE_SYSTEM, "code": "IDNPS"}]},
                "system": fhir.IDNPS_SYSTEM,
                "value": national,
            }
        )
    if technical is not None:
        identifiers.append(
            {
                "type": {"coding": [{"system": fhir.ID_TYPE_SYSTEM, "code": "INTRN"}]},
                "system": fhir.SAS_SYSTEM,
                "value": technical,
            }
        )
    return {
        "resourceType": "Practitioner",
        "meta": {"source": fhir.SAS_SYSTEM},
        "identifier": identifiers,
        "active": active,
        "name": [{"family": family, "given": [given]}],
        "telecom": [{"system": "email", "value": email}],
    }


async def _user(session: AsyncSession, email: str) -> User:
    user = await session.scalar(select(User).where(User.email == email))
    assert user is not None
    await session.refresh(user)
    return user


async def test_post_creates_a_sas_regulator_account(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    response = await driver.create_practitioner(practitioner(national="8" + RPPS))
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    body = response.json()
    Practitioner.model_validate(body)
    assert response.headers["location"] == f"https://snp.example.fr/fhir/Practitioner/{body['id']}"
    assert body["identifier"][0]["value"] == "8" + RPPS
    user = await _user(session, "dr.regul@sas.example.fr")
    assert user.role == "sas_regulator"
    assert user.active is True
    assert user.full_name == "Jeanne Régul"
    trail = await session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "sas_practitioner")
    )
    assert trail == 1


async def test_national_ids_are_stored_as_received(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    """The platform is the authority on its regulators' ids: no prefixing, no key check."""
    response = await driver.create_practitioner(practitioner(national=RPPS))
    assert response.status_code == 201
    assert response.json()["identifier"][0]["value"] == RPPS
    wrong_key = "8" + RPPS[:-1] + str((int(RPPS[-1]) + 1) % 10)
    other = await driver.create_practitioner(practitioner(national=wrong_key, email="b@sas.fr"))
    assert other.status_code == 201, other.text
    assert other.json()["identifier"][0]["value"] == wrong_key


async def test_both_fhir_content_types_accepted_others_refused(driver: PlatformDriver) -> None:
    first = await driver.create_practitioner(
        practitioner(technical=str(uuid.uuid4()), email="a@sas.fr"), "application/json+fhir"
    )
    assert first.status_code == 201
    second = await driver.create_practitioner(
        practitioner(technical=str(uuid.uuid4()), email="b@sas.fr"), "application/fhir+json"
    )
    assert second.status_code == 201
    refused = await driver.create_practitioner(
        practitioner(technical=str(uuid.uuid4()), email="c@sas.fr"), "text/plain"
    )
    assert refused.status_code == 415
    assert refused.json()["resourceType"] == "OperationOutcome"


async def test_conditional_put_creates_when_unknown_then_updates(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    technical = str(uuid.uuid4())
    token = f"{fhir.SAS_SYSTEM}|{technical}"
    created = await driver.put_practitioner(token, practitioner(technical=technical))
    assert created.status_code == 200, created.text
    assert "location" in created.headers
    account_id = created.json()["id"]
    updated = await driver.put_practitioner(
        token, practitioner(technical=technical, family="Dupont", email="new@sas.example.fr")
    )
    assert updated.status_code == 200
    assert updated.json()["id"] == account_id
    user = await _user(session, "new@sas.example.fr")
    assert user.full_name == "Jeanne Dupont"
    count = await session.scalar(select(func.count()).select_from(SasPractitionerAccount))
    assert count == 1


async def test_update_attaches_the_national_id_to_a_technical_account(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    technical = str(uuid.uuid4())
    await driver.create_practitioner(practitioner(technical=technical))
    response = await driver.put_practitioner(
        f"{fhir.SAS_SYSTEM}|{technical}", practitioner(technical=technical, national="8" + RPPS)
    )
    assert response.status_code == 200, response.text
    values = {i["value"] for i in response.json()["identifier"]}
    assert values == {technical, "8" + RPPS}
    # From now on the national id finds the same account.
    again = await driver.put_practitioner(
        f"{fhir.IDNPS_SYSTEM}|8{RPPS}", practitioner(technical=technical, national="8" + RPPS)
    )
    assert again.json()["id"] == response.json()["id"]
    count = await session.scalar(select(func.count()).select_from(SasPractitionerAccount))
    assert count == 1


async def test_active_false_withdraws_access_and_closes_sessions(
    session: AsyncSession, driver: PlatformDriver, client: httpx.AsyncClient
) -> None:
    body = practitioner(national="8" + RPPS)
    await driver.create_practitioner(body)
    user = await _user(session, "dr.regul@sas.example.fr")
    from snp.auth import service

    await service.set_password(session, service_actor(), user, "un mot de passe choisi")
    await session.commit()
    await login(client, user.email, "un mot de passe choisi")
    response = await driver.put_practitioner(
        f"{fhir.IDNPS_SYSTEM}|8{RPPS}", practitioner(national="8" + RPPS, active=False)
    )
    assert response.status_code == 200
    assert response.json()["active"] is False
    user = await _user(session, user.email)
    assert user.active is False
    sessions = await session.scalar(
        select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id)
    )
    assert sessions == 0
    assert (await client.get("/api/auth/me")).status_code == 401


def service_actor() -> Any:
    from snp.actor import Actor

    return Actor.system("tests")


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"{not json", 400),
        (b'{"resourceType": "Patient"}', 400),
        (b'{"resourceType": "Practitioner", "active": "peut-etre"}', 400),
        (b'{"resourceType": "Practitioner", "name": [{"family": "X", "given": ["Y"]}]}', 422),
    ],
)
async def test_malformed_or_refused_bodies(
    driver: PlatformDriver, session: AsyncSession, raw: bytes, status: int
) -> None:
    response = await driver.client.post(
        "/fhir/Practitioner",
        content=raw,
        headers={**driver.headers, "Content-Type": "application/fhir+json"},
    )
    assert response.status_code == status, response.text
    assert response.json()["resourceType"] == "OperationOutcome"
    count = await session.scalar(select(func.count()).select_from(User))
    assert count == 0  # never a half-written account


@pytest.mark.parametrize(
    "change",
    [
        {"national": "8" * 65},  # longer than any national id
        {"national": "   "},
        {"email": "pas-une-adresse"},
    ],
)
async def test_business_rules_are_422(driver: PlatformDriver, change: dict[str, str]) -> None:
    args: dict[str, Any] = {"national": "8" + RPPS}
    args.update(change)
    response = await driver.create_practitioner(practitioner(**args))
    assert response.status_code == 422, response.text
    assert response.json()["issue"][0]["code"] == "business-rule"


async def test_name_is_required(driver: PlatformDriver) -> None:
    body = practitioner(national="8" + RPPS)
    del body["name"]
    response = await driver.create_practitioner(body)
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["name.0.family"]


async def test_a_repeated_post_updates_the_account(
    session: AsyncSession, driver: PlatformDriver
) -> None:
    first = await driver.create_practitioner(practitioner(national="8" + RPPS))
    assert first.status_code == 201
    again = await driver.create_practitioner(practitioner(national="8" + RPPS, email="x@y.fr"))
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"]
    assert await session.scalar(select(func.count()).select_from(SasPractitionerAccount)) == 1
    assert (await _user(session, "x@y.fr")).role == "sas_regulator"


async def test_an_email_of_another_account_is_422(driver: PlatformDriver) -> None:
    assert (await driver.create_practitioner(practitioner(national="8" + RPPS))).status_code == 201
    same_mail = await driver.create_practitioner(practitioner(technical=str(uuid.uuid4())))
    assert same_mail.status_code == 422


async def test_put_without_or_with_bad_identifier_is_400(driver: PlatformDriver) -> None:
    body = practitioner(national="8" + RPPS)
    missing = await driver.client.put(
        "/fhir/Practitioner",
        content=b"{}",
        headers={**driver.headers, "Content-Type": "application/fhir+json"},
    )
    assert missing.status_code == 400
    bad = await driver.put_practitioner("no-bar", body)
    assert bad.status_code == 400
