"""« Mot de passe oublié »: a one-time link by e-mail, the same answer whether the account exists,
throttled per address and per e-mail, single use, expiring, closing the other sessions."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.forgotten import ANSWER
from snp.auth.models import LoginSession
from snp.auth.reset import PasswordResetToken
from snp.auth.roles import Role
from snp.db import utcnow
from snp.mail import MailMessage
from tests.factories import create_user, login
from tests.snp.mail_helpers import link_in, mails_to

NEW_PASSWORD = "un tout nouveau secret"


async def ask(client: httpx.AsyncClient, email: str) -> httpx.Response:
    return await client.post("/api/password-reset/request", json={"email": email})


async def mail_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(MailMessage)) or 0)


@pytest.mark.parametrize("email", ["dr.regul@sas.fr", "inconnu@nulle-part.fr", "PAS UNE ADRESSE"])
async def test_the_answer_never_says_whether_an_account_exists(
    client: httpx.AsyncClient, session: AsyncSession, email: str
) -> None:
    await create_user(session, Role.SAS_REGULATOR, email="dr.regul@sas.fr")
    response = await ask(client, email)
    assert response.status_code == 202
    assert response.json() == {"message": ANSWER}
    expected = 1 if email == "dr.regul@sas.fr" else 0
    assert await mail_count(session) == expected


async def test_a_sas_regulator_resets_their_password_by_e_mail_and_other_sessions_close(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, Role.SAS_REGULATOR, email="dr.regul@sas.fr")
    await login(client, "dr.regul@sas.fr")
    client.cookies.clear()
    await ask(client, "Dr.Regul@sas.fr ")
    [message] = await mails_to(session, "dr.regul@sas.fr")
    assert message.kind == "password_reset"
    path, token = link_in(message.text_body)
    assert path == "/mot-de-passe/nouveau"
    used = await client.post(
        "/api/password-reset/use", json={"token": token, "password": NEW_PASSWORD}
    )
    assert used.status_code == 204
    sessions = await session.scalar(select(func.count()).select_from(LoginSession))
    assert sessions == 0  # the session opened before is closed; the reset opens none
    await login(client, "dr.regul@sas.fr", NEW_PASSWORD)
    again = await client.post(
        "/api/password-reset/use", json={"token": token, "password": "encore un autre"}
    )
    assert again.status_code == 422


async def test_the_link_expires_within_the_hour(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, Role.OPERATOR, email="op@exemple.fr")
    await ask(client, "op@exemple.fr")
    token = await session.scalar(select(PasswordResetToken))
    assert token is not None
    assert token.expires_at - token.created_at == timedelta(minutes=60)
    [message] = await mails_to(session, "op@exemple.fr")
    _, secret = link_in(message.text_body)
    await session.execute(
        update(PasswordResetToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    used = await client.post(
        "/api/password-reset/use", json={"token": secret, "password": NEW_PASSWORD}
    )
    assert used.status_code == 422


async def test_deactivated_accounts_and_accounts_without_e_mail_get_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user = await create_user(session, Role.OPERATOR, email="parti@exemple.fr")
    user.active = False
    await session.commit()
    assert (await ask(client, "parti@exemple.fr")).json() == {"message": ANSWER}
    assert await mail_count(session) == 0


@pytest.mark.parametrize("exists", [True, False])
async def test_requests_are_throttled_per_e_mail_whether_or_not_it_exists(
    client: httpx.AsyncClient, session: AsyncSession, exists: bool
) -> None:
    email = "op@exemple.fr" if exists else "personne@exemple.fr"
    await create_user(session, Role.OPERATOR, email="op@exemple.fr")
    for _ in range(5):
        assert (await ask(client, email)).status_code == 202
    refused = await ask(client, email)
    assert refused.status_code == 429
    assert refused.json()["detail"][0]["loc"] == ["body", "email"]
    assert (await ask(client, "quelquun@exemple.fr")).status_code == 202


async def test_requests_are_throttled_per_ip_address(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    statuses = [(await ask(client, f"n{i}@exemple.fr")).status_code for i in range(21)]
    assert statuses[:20] == [202] * 20
    assert statuses[20] == 429
