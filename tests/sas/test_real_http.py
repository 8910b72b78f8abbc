"""The fake SAS platform calls our FHIR routes over real HTTP (uvicorn), with the subject header
the TLS proxy sets: INT_R02 then INT_R04 as the platform chains them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import create_app
from sas import fhir
from tests.conftest import test_settings
from tests.sas.conftest import PUBLIC_URL, arrange_supply, period
from tests.sas.fake_platform import SAS_SUBJECTS_SETTING, PlatformDriver
from tests.sas.test_practitioners import RPPS, practitioner
from tests.support.postgres import free_port


@pytest.fixture
def served(db_url: str, session: AsyncSession) -> Iterator[str]:
    """Our app in uvicorn on a free port (its own thread and event loop); the database is the
    one the `session` fixture arranges (emptied first by the `app` fixture)."""
    settings = test_settings(
        db_url, sas_client_subjects=SAS_SUBJECTS_SETTING, public_base_url=PUBLIC_URL
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, start_scheduler=False),
            host="127.0.0.1",
            port=port,
            log_config=None,
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped at start"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


async def test_platform_creates_a_regulator_then_searches_slots_over_http(
    served: str, session: AsyncSession
) -> None:
    supply = await arrange_supply(session)
    async with httpx.AsyncClient(base_url=served, timeout=7.0) as http:
        driver = PlatformDriver(http)
        created = await driver.create_practitioner(practitioner(national="8" + RPPS))
        assert created.status_code == 201, created.text
        start, end = period()
        ids = [f"{fhir.IDNPS_SYSTEM}|8{supply.first.national_id}", supply.second.national_id]
        response = await driver.search_slots(ids, start, end)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/fhir+json")
        assert response.json()["total"] == 3
        anonymous = await http.get("/fhir/metadata")
        assert anonymous.status_code == 403
