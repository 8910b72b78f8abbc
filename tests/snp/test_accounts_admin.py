"""Accounts for the coordination: list with filters and last login, create (the service's rules,
also for the CLI), change role, deactivate and reactivate; every change audited."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth import Role
from snp.auth.models import User
from tests.factories import PASSWORD, create_user, logged_in_as, login
from tests.support.cli_process import run_snp


async def user_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def audit_of_user(session: AsyncSession, user_id: int, action: str) -> list[str | None]:
    rows = await session.scalars(
        select(AuditEntry.detail).where(
            AuditEntry.entity == "user",
            AuditEntry.entity_id == str(user_id),
            AuditEntry.action == action,
        )
    )
    return list(rows)


async def test_the_list_filters_by_role_active_and_text_and_shows_the_last_login(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, Role.OPERATOR, email="lea.operatrice@example.fr")
    gone = await create_user(session, Role.OPERATOR, email="ancien@example.fr")
    gone.active = False
    await session.commit()
    await create_user(session, Role.EFFECTOR, email="dr.martin@example.fr")
    await logged_in_as(client, session, Role.COORDINATOR)

    async def emails(**params: str) -> list[str]:
        response = await client.get("/api/users", params=params)
        assert response.status_code == 200, response.text
        return [u["email"] for u in response.json()["items"]]

    assert await emails(role="operator") == ["ancien@example.fr", "lea.operatrice@example.fr"]
    assert await emails(role="operator", active="true") == ["lea.operatrice@example.fr"]
    assert await emails(active="false") == ["ancien@example.fr"]
    assert await emails(search="MARTIN") == ["dr.martin@example.fr"]
    assert await emails(search="%") == []  # a wildcard is searched as a character
    listed = (await client.get("/api/users", params={"role": "coordinator"})).json()
    assert listed["total"] == 1
    assert listed["items"][0]["last_login_at"] is not None
    operator = (await client.get("/api/users", params={"search": "lea"})).json()["items"][0]
    assert (operator["active"], operator["last_login_at"]) == (True, None)


async def test_creating_an_account_applies_the_rules_and_names_the_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    base = {"full_name": "Léa Opératrice", "role": "operator"}
    bad_email = await client.post("/api/users", json={**base, "email": "notanemail"})
    assert bad_email.status_code == 422
    assert bad_email.json()["detail"][0]["loc"] == ["body", "email"]
    assert "Adresse e-mail invalide" in bad_email.json()["detail"][0]["msg"]
    short = await client.post(
        "/api/users", json={**base, "email": "lea@example.fr", "password": "court"}
    )
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "password"]
    blank = await client.post("/api/users", json={**base, "full_name": " ", "email": "l@x.fr"})
    assert blank.json()["detail"][0]["loc"] == ["body", "full_name"]
    assert await user_count(session) == 1

    created = await client.post("/api/users", json={**base, "email": "Lea@Example.fr"})
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "lea@example.fr"
    link = await client.post(f"/api/password-reset/users/{created.json()['id']}")
    assert link.status_code == 201  # no password given: the owner chooses it through a link
    assert await audit_of_user(session, created.json()["id"], "create") == [None]


async def test_role_change_deactivation_and_reactivation_are_audited(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator = await create_user(session, Role.OPERATOR)
    operator_id = operator.id
    await logged_in_as(client, session, Role.COORDINATOR)

    # The operator has an open session, which deactivation closes.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver"
    ) as operator_client:
        await login(operator_client, operator.email)
        url = f"/api/users/{operator_id}"

        promoted = await client.patch(url, json={"role": "regulator"})
        assert promoted.status_code == 200, promoted.text
        assert promoted.json()["role"] == "regulator"
        deactivated = await client.patch(url, json={"active": False})
        assert deactivated.json()["active"] is False
        assert (await operator_client.get("/api/auth/me")).status_code == 401
        refused = await operator_client.post(
            "/api/auth/login", json={"email": operator.email, "password": PASSWORD}
        )
        assert refused.status_code == 401
        reactivated = await client.patch(url, json={"active": True})
        assert reactivated.json()["active"] is True
        await login(operator_client, operator.email)

    assert await audit_of_user(session, operator_id, "update") == ["role", "active", "active"]


async def test_a_coordinator_cannot_lock_themselves_out(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    me = await logged_in_as(client, session, Role.COORDINATOR)
    url = f"/api/users/{me.id}"
    deactivate = await client.patch(url, json={"active": False})
    assert deactivate.status_code == 422
    assert deactivate.json()["detail"][0]["loc"] == ["body", "active"]
    demote = await client.patch(url, json={"role": "operator"})
    assert demote.json()["detail"][0]["loc"] == ["body", "role"]
    assert (await client.patch(url, json={"full_name": "Moi"})).status_code == 200
    assert (await client.patch("/api/users/999", json={"active": False})).status_code == 404


async def test_only_coordinators_administer_accounts(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    other = await create_user(session, Role.REGULATOR)
    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.get("/api/users")).status_code == 403
    assert (await client.patch(f"/api/users/{other.id}", json={"active": False})).status_code == 403


async def test_the_cli_refuses_what_the_api_refuses(
    db_url: str, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    status, out, err = await run_snp(
        db_url, "user", "add", "--role", "operator", "--email", "notanemail"
    )
    assert (status, out) == (1, "")
    assert err == "Adresse e-mail invalide : « notanemail » (attendu : nom@domaine.fr).\n"
    status, _, err = await run_snp(
        db_url,
        "user",
        "add",
        "--role",
        "operator",
        "--email",
        "a@example.fr",
        "--password",
        "court",
    )
    assert status == 1
    assert err == "Mot de passe trop court (au moins 10 caractères).\n"
    assert await user_count(session) == 0
