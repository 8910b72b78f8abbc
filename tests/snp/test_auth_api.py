"""Login, sessions, CSRF and throttling, as the web UI and an attacker see them."""

from __future__ import annotations

import httpx
import pytest
from argon2 import Type, profiles
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth import service as auth_service
from snp.auth.models import LoginSession, User
from snp.auth.roles import Role
from snp.auth.service import verify_password
from tests.factories import PASSWORD, create_user, login

BAD = "Adresse e-mail ou mot de passe incorrect."


async def test_login_sets_an_httponly_samesite_session_cookie(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, Role.OPERATOR, email="op@example.fr")
    response = await client.post(
        "/api/auth/login", json={"email": "OP@example.fr ", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["user"] == {
        "id": response.json()["user"]["id"],
        "email": "op@example.fr",
        "full_name": "Test operator",
        "role": "operator",
    }
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("snp_session="))
    assert "HttpOnly" in session_cookie
    assert "SameSite=lax" in session_cookie
    csrf_cookie = next(c for c in cookies if c.startswith("snp_csrf="))
    assert "HttpOnly" not in csrf_cookie


async def test_passwords_are_stored_as_argon2_hashes(session: AsyncSession) -> None:
    user = await create_user(session)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_production_passwords_use_rfc_9106_argon2id_parameters() -> None:
    assert auth_service.PASSWORD_PARAMETERS == profiles.RFC_9106_LOW_MEMORY
    assert auth_service.PASSWORD_PARAMETERS.type is Type.ID


async def test_a_wrong_login_never_tells_whether_the_account_exists(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, email="known@example.fr")
    wrong_password = await client.post(
        "/api/auth/login", json={"email": "known@example.fr", "password": "nope"}
    )
    unknown_account = await client.post(
        "/api/auth/login", json={"email": "unknown@example.fr", "password": "nope"}
    )
    assert wrong_password.status_code == unknown_account.status_code == 401
    assert wrong_password.json() == unknown_account.json()
    assert wrong_password.json()["detail"][0]["msg"] == BAD


async def test_an_inactive_account_cannot_log_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, email="gone@example.fr")
    user.active = False
    await session.commit()
    response = await client.post(
        "/api/auth/login", json={"email": "gone@example.fr", "password": PASSWORD}
    )
    assert response.status_code == 401
    assert response.json()["detail"][0]["msg"] == BAD


async def test_repeated_failures_lock_the_email_for_a_while(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, email="target@example.fr")
    statuses = []
    for _ in range(8):  # the default lock threshold
        r = await client.post(
            "/api/auth/login", json={"email": "target@example.fr", "password": "guess"}
        )
        statuses.append(r.status_code)
    assert statuses[:7] == [401] * 7
    assert statuses[7] == 429
    # Even the right password is refused while locked, with a French explanation.
    locked = await client.post(
        "/api/auth/login", json={"email": "target@example.fr", "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.json()["detail"][0]["msg"]


async def test_a_successful_login_resets_the_failure_count(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, email="typo@example.fr")
    for _ in range(5):
        await client.post("/api/auth/login", json={"email": "typo@example.fr", "password": "x"})
    await login(client, "typo@example.fr")
    for _ in range(5):
        r = await client.post("/api/auth/login", json={"email": "typo@example.fr", "password": "x"})
        assert r.status_code == 401


async def test_me_returns_the_current_user_and_401_without_session(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    assert (await client.get("/api/auth/me")).status_code == 401
    user = await create_user(session, Role.COORDINATOR)
    csrf = await login(client, user.email)
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json() == {
        "user": {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "role": "coordinator",
        },
        "csrf_token": csrf,
    }


async def test_writes_need_the_csrf_token(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await create_user(session, Role.COORDINATOR)
    csrf = await login(client, user.email)
    del client.headers["X-CSRF-Token"]
    new_user = {
        "email": "new@example.fr",
        "full_name": "Nouvelle",
        "role": "operator",
        "password": "long enough password",
    }
    refused = await client.post("/api/users", json=new_user)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"][0]["msg"]
    forged = await client.post("/api/users", json=new_user, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    accepted = await client.post("/api/users", json=new_user, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


async def test_logout_ends_the_session_in_the_database(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session)
    await login(client, user.email)
    assert await session.scalar(select(func.count()).select_from(LoginSession)) == 1
    assert (await client.post("/api/auth/logout")).status_code == 204
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(LoginSession)) == 0
    assert (await client.get("/api/auth/me")).status_code == 401


async def test_roles_are_enforced(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await create_user(session, Role.REFERRER)
    await login(client, user.email)
    response = await client.get("/api/users")
    assert response.status_code == 403
    assert response.json()["detail"][0]["msg"].startswith("Accès réservé")


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"email": "pas-un-email", "password": "x"}, "email", "Adresse e-mail invalide."),
        ({"email": "a@example.fr", "password": ""}, "password", "Champ obligatoire."),
        ({"password": "x"}, "email", "Champ obligatoire."),
    ],
)
async def test_bad_login_input_gets_a_french_422_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, str], field: str, message: str
) -> None:
    response = await client.post("/api/auth/login", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {"loc": ["body", field], "msg": message} in [
        {"loc": d["loc"], "msg": d["msg"]} for d in detail
    ]


async def test_malformed_json_is_a_422_not_a_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Le corps de la requête n'est pas un JSON valide."


async def test_coordinator_creates_accounts_and_duplicates_are_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.COORDINATOR)
    await login(client, user.email)
    body = {
        "email": "Regul@Example.fr",
        "full_name": "Dr R",
        "role": "regulator",
        "password": "long enough password",
    }
    created = await client.post("/api/users", json=body)
    assert created.status_code == 201
    assert created.json()["email"] == "regul@example.fr"
    again = await client.post("/api/users", json=body)
    assert again.status_code == 409
    assert again.json()["detail"][0]["loc"] == ["body", "email"]
    short = await client.post("/api/users", json={**body, "email": "b@example.fr", "password": "x"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "password"]
    assert await session.scalar(select(func.count()).select_from(User)) == 2
