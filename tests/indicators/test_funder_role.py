"""The read-only funder (ARS, CPAM): aggregated indicators, the ACI contract, reports and
exports of aggregated tables, never a patient. The route matrix below is the whole list of
what the role may call: a new route opened to funders fails this test until it is reviewed."""

from __future__ import annotations

import httpx
from fastapi.routing import APIRoute, APIWebSocketRoute
from sqlalchemy.ext.asyncio import AsyncSession

from composition.app import create_app
from snp.auth.roles import Role
from snp.settings import Settings
from tests.factories import logged_in_as
from tests.indicators import dataset
from tests.snp.test_route_policies import all_routes, policies

# Every route a funder may call, and why it shows no patient.
FUNDER_ROUTES = {
    ("GET", "/api/indicators/dashboard"),  # aggregated counts
    ("GET", "/api/indicators/export.csv"),  # aggregated tables only (checked below)
    ("GET", "/api/indicators/export.xlsx"),
    ("GET", "/api/indicators/aci/contract"),  # the contract (no patient in it)
    ("GET", "/api/indicators/aci/contract/versions"),
    ("GET", "/api/indicators/aci/years/{year}"),
    ("GET", "/api/indicators/aci/figures"),
    ("GET", "/api/indicators/aci/orientation"),
    # The phone line's figures: counts and delays, operators' names, never a number.
    ("GET", "/api/indicators/calls"),
    ("GET", "/api/indicators/calls/export.csv"),
    ("GET", "/api/indicators/calls/export.xlsx"),
    # Open to every logged-in user: the session, the territory, the effectors' directory
    # (professionals, not patients), the live socket (messages are addressed to roles and
    # users; none to funders).
    ("GET", "/api/auth/me"),
    ("POST", "/api/auth/logout"),
    ("POST", "/api/auth/password"),
    # Their own second factor (optional for a funder): status, self-enrolment, recovery codes.
    ("GET", "/api/auth/mfa"),
    ("POST", "/api/auth/mfa/self-enrolment"),
    ("POST", "/api/auth/mfa/recovery-codes"),
    ("GET", "/api/territory"),
    ("GET", "/api/agenda/effectors"),
    ("GET", "/api/agenda/effectors/{effector_id}"),
    ("GET", "/api/agenda/me"),  # the caller's own effector profile: 404 for a funder
    ("WS", "/ws"),
}
YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


def test_the_routes_open_to_funders_are_exactly_the_reviewed_ones() -> None:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"), start_scheduler=False)
    opened: set[tuple[str, str]] = set()
    for route in all_routes(app.routes):
        if isinstance(route, APIRoute | APIWebSocketRoute):
            for kind, roles in policies(route.dependant):
                if kind == "roles" and Role.FUNDER.value in roles:
                    methods = sorted(getattr(route, "methods", None) or {"WS"})
                    opened.update((m, route.path) for m in methods)
    assert opened <= FUNDER_ROUTES, opened - FUNDER_ROUTES
    assert ("GET", "/api/indicators/dashboard") in opened


async def test_a_funder_reads_aggregates_but_no_patient(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await dataset.load(session)
    await session.commit()
    await logged_in_as(client, session, Role.FUNDER)
    assert (await client.get("/api/indicators/dashboard", params=YEAR)).status_code == 200
    national = await client.get("/api/indicators/export.csv", params=YEAR | {"table": "national"})
    assert national.status_code == 200
    for table in ("records", "consultations"):
        refused = await client.get("/api/indicators/export.csv", params=YEAR | {"table": table})
        assert refused.status_code == 403, table
        assert refused.json()["detail"][0]["loc"] == ["query", "table"]
        xlsx = await client.get("/api/indicators/export.xlsx", params=YEAR | {"table": table})
        assert xlsx.status_code == 403, table
    assert (await client.get("/api/indicators/records", params=YEAR)).status_code == 403
    assert (await client.get("/api/regulation/requests")).status_code == 403
    assert (
        await client.get("/api/indicators/compensation", params={"year": 2026})
    ).status_code == 403
    assert (await client.put("/api/indicators/aci/contract", json={})).status_code == 403
