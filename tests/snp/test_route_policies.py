"""Every route declares who may call it; only login, health and the UI's files are open; every
role gets exactly what each route allows."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import httpx
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.routing import BaseRoute

from composition.app import create_app
from snp.auth.roles import Role
from snp.settings import Settings
from tests.factories import create_user, login

OPEN_ROUTES = {
    ("POST", "/api/auth/login"),
    ("GET", "/healthz"),
    ("GET", "/informations-patients"),  # the public patient information notice
    ("GET", "/donnees"),  # its short link, in the patients' SMS
    ("GET", "/{path:path}"),  # the web UI's static files and SPA fallback
    ("GET", "/api/agenda/ics/feed/{token}.ics"),  # calendar apps; the secret token is the key
    # Twilio's webhooks: no session, every request must carry a valid X-Twilio-Signature.
    ("POST", "/api/notifications/twilio/status"),
    ("POST", "/api/notifications/twilio/inbound"),
    ("POST", "/api/voice/twilio/inbound"),
    ("POST", "/api/voice/twilio/wait"),
    ("POST", "/api/voice/twilio/queue-result"),
    ("POST", "/api/voice/twilio/dial-result"),
    ("POST", "/api/voice/twilio/callback-result"),
    ("POST", "/api/voice/twilio/status"),
    # Password reset by link: the one-time token in the body is the key.
    ("POST", "/api/password-reset/check"),
    ("POST", "/api/password-reset/use"),
    # « Mot de passe oublié »: the same answer whether an account exists; throttled.
    ("POST", "/api/password-reset/request"),
    # Invitations: the one-time token in the body is the key.
    ("POST", "/api/invitations/check"),
    ("POST", "/api/invitations/accept"),
    # First start: open only while there is no CPTS and no account, with the logged code.
    ("GET", "/api/setup"),
    ("POST", "/api/setup"),
    # The second step of a login: the short-lived login-step cookie set by a correct password
    # is the key (no session exists yet).
    ("POST", "/api/auth/mfa/enrolment"),
    ("POST", "/api/auth/mfa/enrolment/confirm"),
    ("POST", "/api/auth/mfa/verify"),
    # Pro Santé Connect: whether it is offered, the redirection to it and its return (the
    # state, bound to the browser by a cookie, and the provider's code are the keys).
    ("GET", "/api/auth/psc"),
    ("GET", "/api/auth/psc/login"),
    ("GET", "/api/auth/psc/callback"),
}
FRAMEWORK_ROUTES = {"/api/openapi.json", "/api/docs", "/api/docs/oauth2-redirect"}


def policies(dependant: Dependant) -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for sub in dependant.dependencies:
        policy = getattr(sub.call, "snp_policy", None)
        if policy is not None:
            found.append(policy)
        found.extend(policies(sub))
    return found


def all_routes(routes: Sequence[BaseRoute]) -> Iterator[BaseRoute]:
    """Flatten included routers (recent FastAPI keeps them as one entry per include)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from all_routes(included.routes)
        else:
            yield route


def test_every_route_has_exactly_one_explicit_policy() -> None:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"), start_scheduler=False)
    missing: list[object] = []
    open_routes: set[tuple[str, str]] = set()
    routes = list(all_routes(app.routes))
    assert len(routes) > 10
    for route in routes:
        if isinstance(route, APIRoute | APIWebSocketRoute):
            found = policies(route.dependant)
            methods = sorted(getattr(route, "methods", None) or {"WS"})
            if len(found) != 1:
                missing.append((methods, route.path, found))
            elif found[0][0] == "public":
                open_routes.update((m, route.path) for m in methods)
        else:
            assert getattr(route, "path", None) in FRAMEWORK_ROUTES, f"unexpected route {route!r}"
    assert missing == [], f"routes without exactly one policy: {missing}"
    assert open_routes == OPEN_ROUTES


def test_fhir_routes_are_reserved_to_the_sas_platform_client() -> None:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"), start_scheduler=False)
    fhir = [
        r for r in all_routes(app.routes) if isinstance(r, APIRoute) and r.path.startswith("/fhir")
    ]
    assert len(fhir) >= 4
    for route in fhir:
        assert policies(route.dependant) == [("sas_client", ())], route.path


POLICY_REFUSAL = "Accès réservé : votre rôle ne permet pas cette action."


def _sample_path(path: str) -> str:
    """A concrete URL for a route path: every parameter becomes `1`."""
    return re.sub(r"\{[^}]+\}", "1", path)


async def test_every_role_gets_exactly_what_each_route_allows(
    app: FastAPI, session: AsyncSession
) -> None:
    """The role matrix: every route with a role policy, called by every role, answers the
    policy's 403 exactly when the role is not listed, and never a 5xx."""
    clients: dict[Role, httpx.AsyncClient] = {}
    for role in Role:
        await create_user(session, role)
        transport = httpx.ASGITransport(app=app, client=(f"203.0.113.{len(clients) + 1}", 5000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        await login(client, f"{role.value}@example.fr")
        clients[role] = client
    calls = 0
    wrong: list[tuple[str, str, str, int]] = []
    try:
        for route in all_routes(app.routes):
            if not isinstance(route, APIRoute):
                continue
            [(kind, allowed)] = policies(route.dependant)
            if kind != "roles":
                continue
            for method in sorted((route.methods or set()) - {"HEAD"}):
                if (method, route.path) == ("POST", "/api/auth/logout"):
                    continue  # would end the matrix's own sessions
                for role, client in clients.items():
                    body: dict[str, object] | None = None if method in ("GET", "DELETE") else {}
                    response = await client.request(method, _sample_path(route.path), json=body)
                    calls += 1
                    refused = response.status_code == 403 and POLICY_REFUSAL in response.text
                    if response.status_code >= 500 or refused != (role.value not in allowed):
                        wrong.append((method, route.path, role.value, response.status_code))
    finally:
        for client in clients.values():
            await client.aclose()
    assert calls > 300
    assert wrong == []
