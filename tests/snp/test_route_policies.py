"""Every route declares who may call it; only login, health and the UI's files are open."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import BaseRoute

from composition.app import create_app
from snp.settings import Settings

OPEN_ROUTES = {
    ("POST", "/api/auth/login"),
    ("GET", "/healthz"),
    ("GET", "/{path:path}"),  # the web UI's static files and SPA fallback
    ("GET", "/api/agenda/ics/feed/{token}.ics"),  # calendar apps; the secret token is the key
    # Twilio's webhooks: no session, every request must carry a valid X-Twilio-Signature.
    ("POST", "/api/notifications/twilio/status"),
    ("POST", "/api/notifications/twilio/inbound"),
    # Password reset by link: the one-time token in the body is the key.
    ("POST", "/api/password-reset/check"),
    ("POST", "/api/password-reset/use"),
    # « Mot de passe oublié » of SAS regulators: the same answer whether an account exists.
    ("POST", "/api/sas/password-forgotten"),
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
