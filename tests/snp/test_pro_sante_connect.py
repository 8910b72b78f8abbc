"""Login with Pro Santé Connect against a local fake provider: authorization code with PKCE,
state bound to the browser, nonce checked in the signed ID token, account matched by RPPS, no
TOTP step after it (a strong login), and clear refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import select

from snp.audit import AuditEntry
from snp.auth.models import User
from snp.auth.roles import Role
from tests.factories import create_user
from tests.snp.mfa_support import StrongApp, enrol, strong_app
from tests.support.fake_oidc import (
    CLIENT_ID,
    CLIENT_SECRET,
    FakeProSanteConnect,
    running_provider,
)

RPPS = "10001234567"


@pytest.fixture(scope="module")
def provider() -> Iterator[FakeProSanteConnect]:
    with running_provider() as running:
        yield running


@pytest.fixture
async def strong(db_url: str, provider: FakeProSanteConnect) -> AsyncIterator[StrongApp]:
    provider.rpps = RPPS
    provider.wrong_nonce = False
    async for built in strong_app(
        db_url,
        psc_issuer=provider.issuer,
        psc_client_id=CLIENT_ID,
        psc_client_secret=CLIENT_SECRET,
        public_base_url="http://testserver",
    ):
        yield built


async def regulator_with_rpps(strong: StrongApp, rpps: str = RPPS) -> User:
    user = await create_user(strong.session, Role.REGULATOR, email="dr.martin@example.fr")
    user.rpps = rpps
    await strong.session.commit()
    return user


async def go_to_provider(strong: StrongApp) -> str:
    """Our redirection to the provider, then the provider's back: the callback URL."""
    started = await strong.client.get("/api/auth/psc/login")
    assert started.status_code == 303, started.text
    async with httpx.AsyncClient() as browser:
        back = await browser.get(started.headers["location"])
    assert back.status_code == 302, back.text
    return str(back.headers["location"])


def path_and_query(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.path}?{parsed.query}"


async def test_the_login_page_offers_psc_only_when_configured(
    strong: StrongApp, client: httpx.AsyncClient
) -> None:
    assert (await strong.client.get("/api/auth/psc")).json() == {"enabled": True}
    assert (await client.get("/api/auth/psc")).json() == {"enabled": False}
    off = await client.get("/api/auth/psc/login")
    assert off.status_code == 303
    assert off.headers["location"] == "/connexion?erreur_psc=indisponible"


async def test_a_professional_logs_in_with_psc_without_a_code_step(
    strong: StrongApp, provider: FakeProSanteConnect
) -> None:
    await regulator_with_rpps(strong)
    callback = await go_to_provider(strong)
    asked = provider.authorize_requests[-1]
    assert asked["code_challenge_method"] == "S256"
    assert asked["nonce"]
    assert asked["redirect_uri"] == "http://testserver/api/auth/psc/callback"
    back = await strong.client.get(path_and_query(callback))
    assert back.status_code == 303
    assert back.headers["location"] == "/"
    me = await strong.client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["user"]["email"] == "dr.martin@example.fr"
    entry = await strong.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "login", AuditEntry.detail == "method=psc")
    )
    assert entry is not None
    # The state works once.
    again = await strong.client.get(path_and_query(callback))
    assert again.headers["location"] == "/connexion?erreur_psc=expire"


async def test_an_unknown_rpps_is_refused_and_no_account_is_created(strong: StrongApp) -> None:
    await regulator_with_rpps(strong, rpps="10009999999")
    callback = await go_to_provider(strong)
    back = await strong.client.get(path_and_query(callback))
    assert back.headers["location"] == "/connexion?erreur_psc=inconnu"
    assert (await strong.client.get("/api/auth/me")).status_code == 401
    users = list(await strong.session.scalars(select(User.email)))
    assert users == ["dr.martin@example.fr"]


async def test_a_deactivated_account_is_refused(strong: StrongApp) -> None:
    user = await regulator_with_rpps(strong)
    user.active = False
    await strong.session.commit()
    callback = await go_to_provider(strong)
    back = await strong.client.get(path_and_query(callback))
    assert back.headers["location"] == "/connexion?erreur_psc=inconnu"


async def test_a_state_not_started_in_this_browser_is_refused(strong: StrongApp) -> None:
    await regulator_with_rpps(strong)
    callback = await go_to_provider(strong)
    forged = parse_qs(urlparse(callback).query)
    strong.client.cookies.clear()  # another browser: the victim of a login CSRF
    back = await strong.client.get(
        "/api/auth/psc/callback", params={"code": forged["code"][0], "state": forged["state"][0]}
    )
    assert back.headers["location"] == "/connexion?erreur_psc=expire"
    assert (await strong.client.get("/api/auth/me")).status_code == 401


async def test_an_unknown_state_is_refused(strong: StrongApp) -> None:
    await regulator_with_rpps(strong)
    callback = await go_to_provider(strong)
    code = parse_qs(urlparse(callback).query)["code"][0]
    strong.client.cookies.set("snp_psc_state", "x" * 43, path="/api/auth/psc")
    back = await strong.client.get(
        "/api/auth/psc/callback", params={"code": code, "state": "x" * 43}
    )
    assert back.headers["location"] == "/connexion?erreur_psc=expire"


async def test_an_id_token_with_another_nonce_is_refused(
    strong: StrongApp, provider: FakeProSanteConnect
) -> None:
    await regulator_with_rpps(strong)
    provider.wrong_nonce = True
    callback = await go_to_provider(strong)
    back = await strong.client.get(path_and_query(callback))
    assert back.headers["location"] == "/connexion?erreur_psc=refus"
    assert (await strong.client.get("/api/auth/me")).status_code == 401


async def test_coordinators_record_the_rpps_of_an_account(strong: StrongApp) -> None:
    coordinator = await create_user(strong.session, Role.COORDINATOR)
    target = await create_user(strong.session, Role.EFFECTOR, email="gp@example.fr")
    await enrol(strong.client, coordinator.email)
    bad = await strong.client.patch(f"/api/users/{target.id}", json={"rpps": "123"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "rpps"]
    ok = await strong.client.patch(f"/api/users/{target.id}", json={"rpps": "100 0123 4567"})
    assert ok.status_code == 200
    assert ok.json()["rpps"] == "10001234567"
    other = await create_user(strong.session, Role.EFFECTOR, email="gp2@example.fr")
    taken = await strong.client.patch(f"/api/users/{other.id}", json={"rpps": "10001234567"})
    assert taken.status_code == 409
