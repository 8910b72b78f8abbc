"""Schemathesis over every operation of the API, logged in as an operator and as the
coordinator, through a real server (uvicorn, keep-alive connections): no input gives a 5xx.

Examples per operation are few (`EXAMPLES`) so the run stays well under a minute; the
generated inputs differ on every run (no example database), so the suite keeps probing.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from composition.app import create_app
from snp.auth.roles import Role
from snp.db import Database
from tests.conftest import empty_database, test_settings
from tests.factories import PASSWORD, create_user
from tests.support.postgres import free_port

EXAMPLES = 4
# Ends the fuzzing session itself; every other operation is fuzzed.
SKIPPED = {("POST", "/api/auth/logout")}


async def _prepare(db_url: str) -> None:
    database = Database(db_url)
    try:
        await empty_database(database)
        async with database.sessionmaker() as session:
            for role in (Role.OPERATOR, Role.COORDINATOR):
                await create_user(session, role)
    finally:
        await database.dispose()


@pytest.fixture(scope="module")
def served(db_url: str) -> Iterator[str]:
    """The app served by uvicorn in a thread, with an operator and a coordinator account."""
    asyncio.run(_prepare(db_url))
    app = create_app(test_settings(db_url, cookie_secure=False), start_scheduler=False)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def logged_in(base: str, role: Role) -> requests.Session:
    session = requests.Session()
    answer = session.post(
        f"{base}/api/auth/login", json={"email": f"{role.value}@example.fr", "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    session.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return session


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.COORDINATOR])
def test_no_generated_input_makes_a_server_error(served: str, role: Role) -> None:
    app = create_app(test_settings("sqlite+aiosqlite:///:memory:"), start_scheduler=False)
    schema = schemathesis.openapi.from_dict(app.openapi())
    session = logged_in(served, role)
    server_errors: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) > 50
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue

        @given(data=st.data())
        @settings(
            max_examples=EXAMPLES,
            phases=[Phase.generate],
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        def probe(data: st.DataObject) -> None:
            case = data.draw(operation.as_strategy())  # noqa: B023 (called in this iteration)
            response = case.call(base_url=served, session=session)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:200]}"
                )

        probe()
    assert server_errors == []
    # Still logged in and served on the same connections: nothing above broke the session.
    assert session.get(f"{served}/api/auth/me").status_code == 200
