"""Invitations by the coordination: the account is created, its owner gets a one-time link by
e-mail, chooses a password under the shared policy and lands logged in (the second factor off, as
in every test here; with it, `test_links_and_strong_login.py`); resend and revoke."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth.models import User
from snp.auth.reset import PasswordResetToken
from snp.auth.roles import Role
from snp.db import utcnow
from tests.factories import create_user, login
from tests.snp.mail_helpers import link_in, mails_to
from tests.support.cli_process import run_snp
from tests.support.smtp import smtp_server

NEW_PASSWORD = "mon mot de passe à moi"


async def invite(
    client: httpx.AsyncClient, session: AsyncSession, email: str = "ide.durand@exemple.fr"
) -> str:
    """As a coordinator, invite an operator; returns the token e-mailed, logged out."""
    coordinator = await create_user(session, Role.COORDINATOR)
    await login(client, coordinator.email)
    response = await client.post(
        "/api/invitations", json={"email": email, "full_name": "Claire Durand", "role": "operator"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["emailed"] is True
    client.cookies.clear()
    client.headers.pop("X-CSRF-Token", None)
    [message] = await mails_to(session, email)
    assert message.kind == "invitation"
    assert "Opérateur·rice SNP" in message.text_body
    path, token = link_in(message.text_body)
    assert path == "/invitation"
    assert token in (message.html_body or "")
    return token


async def test_the_invited_person_sets_a_password_and_lands_logged_in(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    token = await invite(client, session)
    check = await client.post("/api/invitations/check", json={"token": token})
    assert check.status_code == 200
    assert check.json() == {
        "email": "ide.durand@exemple.fr",
        "full_name": "Claire Durand",
        "role": "operator",
        "needs_email": False,
    }
    accepted = await client.post(
        "/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["role"] == "operator"
    me = await client.get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["user"]["email"] == "ide.durand@exemple.fr"
    client.cookies.clear()
    await login(client, "ide.durand@exemple.fr", NEW_PASSWORD)
    again = await client.post(
        "/api/invitations/accept", json={"token": token, "password": "un autre mot de passe"}
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "token"]


async def test_the_password_policy_applies_and_a_refusal_leaves_the_link_usable(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    token = await invite(client, session)
    short = await client.post("/api/invitations/accept", json={"token": token, "password": "court"})
    assert short.status_code == 422
    assert short.json()["detail"][0]["loc"] == ["body", "password"]
    assert "10 caractères" in short.json()["detail"][0]["msg"]
    assert (await client.post("/api/invitations/check", json={"token": token})).status_code == 200


async def test_an_invitation_link_is_not_a_reset_link_and_vice_versa(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    token = await invite(client, session)
    used = await client.post(
        "/api/password-reset/use", json={"token": token, "password": NEW_PASSWORD}
    )
    assert used.status_code == 422


async def test_an_expired_invitation_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    token = await invite(client, session)
    await session.execute(
        update(PasswordResetToken).values(expires_at=utcnow() - timedelta(minutes=1))
    )
    await session.commit()
    accepted = await client.post(
        "/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert accepted.status_code == 422
    assert "expiré" in accepted.json()["detail"][0]["msg"]


async def test_resend_replaces_the_link_and_revoke_closes_the_account(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await invite(client, session)
    user = await session.scalar(select(User).where(User.email == "ide.durand@exemple.fr"))
    assert user is not None
    await login(client, "coordinator@example.fr")
    listed = (await client.get("/api/users", params={"search": "durand"})).json()["items"]
    assert listed[0]["invitation_expires_at"] is not None
    resent = await client.post(f"/api/invitations/users/{user.id}/resend")
    assert resent.status_code == 200, resent.text
    mails = await mails_to(session, "ide.durand@exemple.fr")
    assert len(mails) == 2
    _, second = link_in(mails[1].text_body)
    assert second != first
    assert (await client.post("/api/invitations/check", json={"token": first})).status_code == 422
    revoked = await client.post(f"/api/invitations/users/{user.id}/revoke")
    assert revoked.status_code == 204
    assert (await client.post("/api/invitations/check", json={"token": second})).status_code == 422
    await session.refresh(user)
    assert user.active is False
    listed = (await client.get("/api/users", params={"search": "durand"})).json()["items"]
    assert listed[0]["invitation_expires_at"] is None
    actions = set(
        await session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(user.id)))
    )
    assert {"create", "invitation", "invitation_revoked"} <= actions


async def test_an_account_in_use_is_not_reinvited(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator = await create_user(session, Role.OPERATOR)
    await login(client, operator.email)
    client.cookies.clear()
    await login(client, (await create_user(session, Role.COORDINATOR)).email)
    resent = await client.post(f"/api/invitations/users/{operator.id}/resend")
    assert resent.status_code == 422
    assert "déjà été activé" in resent.json()["detail"][0]["msg"]


async def test_invitations_obey_the_account_rules_and_only_coordinators_invite(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await login(client, (await create_user(session, Role.OPERATOR)).email)
    body = {"email": "x@exemple.fr", "full_name": "X", "role": "operator"}
    assert (await client.post("/api/invitations", json=body)).status_code == 403
    client.cookies.clear()
    await login(client, (await create_user(session, Role.COORDINATOR)).email)
    bad = await client.post("/api/invitations", json={**body, "email": "pas-une-adresse"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "email"]
    taken = await client.post("/api/invitations", json={**body, "email": "operator@example.fr"})
    assert taken.status_code == 409
    assert await mails_to(session, "pas-une-adresse") == []


async def test_the_command_line_invites_with_the_same_rules_and_sends_the_mail_itself(
    db_url: str,
    session: AsyncSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with smtp_server(tmp_path) as smtp:
        monkeypatch.setenv("SNP_SMTP_URL", smtp.url)
        status, out, err = await run_snp(
            db_url,
            "user",
            "invite",
            "--role",
            "regulator",
            "--email",
            "dr.avis@exemple.fr",
            "--name",
            "Dr Avis",
        )
        assert status == 0, err
        assert out.startswith("Invitation envoyée à dr.avis@exemple.fr (Médecin régulateur)")
        [message] = smtp.inbox.to("dr.avis@exemple.fr")
        body = message.get_body(("plain",))
        assert body is not None
        assert "/invitation?token=" in body.get_content()
        status, _, err = await run_snp(
            db_url,
            "user",
            "invite",
            "--role",
            "regulator",
            "--email",
            "pas-une-adresse",
            "--name",
            "X",
        )
        assert status == 1
        assert err == "Adresse e-mail invalide : « pas-une-adresse » (attendu : nom@domaine.fr).\n"
