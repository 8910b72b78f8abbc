"""Fixtures of the SAS tests: the app configured for the SAS (client subject, public URL, the
fake platform's URL), the fake platform (one per session, emptied per test) and the driver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from composition.app import create_app
from snp import territory
from snp.db import Database
from snp.identifiers import finess_with_check_digit
from tests.agenda.slot_factories import create_effector, create_slot, in_days
from tests.conftest import empty_database, test_settings
from tests.sas.fake_platform import SAS_SUBJECTS_SETTING, FakeSasPlatform, PlatformDriver

PUBLIC_URL = "https://snp.example.fr"
PROXY_ADDRESS = "203.0.113.7"  # the test client's address: it stands for the TLS proxy
CPTS_FINESS = finess_with_check_digit("35000917")


@pytest.fixture(scope="session")
def sas_platform_server() -> Iterator[FakeSasPlatform]:
    platform = FakeSasPlatform().start()
    yield platform
    platform.stop()


@pytest.fixture
def sas_platform(sas_platform_server: FakeSasPlatform) -> FakeSasPlatform:
    platform = sas_platform_server
    platform.received.clear()
    platform.appointments.clear()
    platform.creations = 0
    platform.fail_next(0)
    platform.hang_next(0)
    platform.refuse_next([])
    return platform


@pytest.fixture
async def app(db_url: str, sas_platform: FakeSasPlatform) -> AsyncIterator[FastAPI]:
    settings = test_settings(
        db_url,
        sas_client_subjects=f"CN=autre,OU=AUTRE;{SAS_SUBJECTS_SETTING}",
        trusted_proxies=f"127.0.0.1,::1,{PROXY_ADDRESS}",
        public_base_url=PUBLIC_URL,
        sas_platform_url=sas_platform.url,
        sas_timeout_seconds=1.0,
        sas_retry_base_seconds=30.0,
    )
    application = create_app(settings, start_scheduler=False)
    database: Database = application.state.db
    await empty_database(database)
    yield application
    await database.dispose()


@pytest.fixture
def driver(client: httpx.AsyncClient) -> PlatformDriver:
    return PlatformDriver(client)


@dataclass
class Supply:
    first: Effector  # two sites
    second: Effector
    times: list[datetime]


async def arrange_supply(session: AsyncSession) -> Supply:
    """Our CPTS; an effector with two sites and a second one; free, booked, unshared slots."""
    await territory.set_cpts(
        session, name="CPTS du Pays de Redon", finess=CPTS_FINESS, phone="02 99 00 00 00"
    )
    await session.commit()
    first = await create_effector(session, family_name="Martin", sites=2)
    second = await create_effector(session, family_name="Durand")
    times = [in_days(1, 9), in_days(1, 10), in_days(2, 9), in_days(2, 11)]
    await create_slot(session, first, times[0])  # site 1
    await create_slot(
        session, first, times[1], site_id=first.sites[1].id, kinds=frozenset({"AMB", "HH"})
    )
    await create_slot(session, first, times[2], shared_with_sas=False)  # kept for the CPTS
    await create_slot(
        session, second, times[3], visibility=frozenset({"SNP", "PUBLIC"}), kinds=frozenset({"VR"})
    )
    return Supply(first, second, times)


def period(days_from: int = 0, days_to: int = 5) -> tuple[str, str]:
    return (
        in_days(days_from, 0).isoformat(timespec="milliseconds"),
        in_days(days_to, 23).isoformat(timespec="milliseconds"),
    )
