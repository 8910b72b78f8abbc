"""With `SNP_MFA_REQUIRED=true`, no link opens a session around the second factor: an accepted
invitation goes on to the enrolment step of a first login, the coordinator created by the
first-run setup enrols at their first login, and a « mot de passe oublié » link logs nobody in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from snp import first_run
from snp.auth.models import LoginSession, User
from snp.auth.roles import Role
from snp.db import Database
from tests.factories import create_user
from tests.snp.mail_helpers import link_in, mails_to
from tests.snp.mfa_support import (
    StrongApp,
    code_at,
    code_step,
    enrol,
    log_out,
    password_step,
    strong_app,
)
from tests.snp.test_first_run import SETUP

NEW_PASSWORD = "mon mot de passe à moi"


@pytest.fixture
async def strong(db_url: str) -> AsyncIterator[StrongApp]:
    async for running in strong_app(db_url):
        yield running


async def open_sessions(strong: StrongApp) -> int:
    strong.session.expire_all()
    return int(await strong.session.scalar(select(func.count()).select_from(LoginSession)) or 0)


async def invitation_token(strong: StrongApp, email: str, role: Role) -> str:
    """A coordinator (enrolled) invites `email`; returns the e-mailed token, logged out."""
    coordinator = await create_user(strong.session, Role.COORDINATOR)
    await enrol(strong.client, coordinator.email)
    response = await strong.client.post(
        "/api/invitations", json={"email": email, "full_name": "Claire Durand", "role": role}
    )
    assert response.status_code == 201, response.text
    await log_out(strong.client)
    [message] = await mails_to(strong.session, email)
    path, token = link_in(message.text_body)
    assert path == "/invitation"
    return token


async def test_an_accepted_invitation_leads_to_the_enrolment_not_to_a_session(
    strong: StrongApp,
) -> None:
    token = await invitation_token(strong, "ide.durand@exemple.fr", Role.OPERATOR)
    sessions_before = await open_sessions(strong)
    accepted = await strong.client.post(
        "/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"user": None, "csrf_token": None, "second_factor": "enrolment"}
    assert "snp_session" not in accepted.cookies
    assert await open_sessions(strong) == sessions_before
    assert (await strong.client.get("/api/auth/me")).status_code == 401
    # The same enrolment step as a first login, bound to this browser by the login-step cookie.
    shown = await strong.client.post("/api/auth/mfa/enrolment")
    assert shown.status_code == 200, shown.text
    secret = str(shown.json()["secret"])
    confirmed = await strong.client.post(
        "/api/auth/mfa/enrolment/confirm", json={"code": code_at(secret)}
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["user"]["email"] == "ide.durand@exemple.fr"
    assert len(confirmed.json()["recovery_codes"]) == 10
    assert (await strong.client.get("/api/auth/me")).status_code == 200
    # The link is spent; the next login asks the password, then the code.
    strong.client.headers["X-CSRF-Token"] = confirmed.json()["csrf_token"]
    await log_out(strong.client)
    again = await strong.client.post(
        "/api/invitations/accept", json={"token": token, "password": "un autre mot de passe"}
    )
    assert again.status_code == 422
    assert await password_step(strong.client, "ide.durand@exemple.fr", NEW_PASSWORD) == "totp"
    assert (await code_step(strong.client, code_at(secret, 1))).status_code == 200


async def test_an_invitation_for_a_role_without_patient_data_opens_the_session(
    strong: StrongApp,
) -> None:
    token = await invitation_token(strong, "financeur@ars.fr", Role.FUNDER)
    accepted = await strong.client.post(
        "/api/invitations/accept", json={"token": token, "password": NEW_PASSWORD}
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["second_factor"] is None
    assert accepted.json()["user"]["role"] == "funder"
    assert (await strong.client.get("/api/auth/me")).status_code == 200


async def test_the_first_coordinator_enrols_at_their_first_login(strong: StrongApp) -> None:
    database: Database = strong.app.state.db
    async with database.transaction() as work:
        code = await first_run.prepare(work)
    assert code is not None
    done = await strong.client.post("/api/setup", json={"code": code, **SETUP})
    assert done.status_code == 201, done.text
    assert "snp_session" not in done.cookies
    assert await open_sessions(strong) == 0
    assert (await strong.client.get("/api/auth/me")).status_code == 401
    step = await password_step(
        strong.client, SETUP["coordinator_email"], SETUP["coordinator_password"]
    )
    assert step == "enrolment"


async def test_a_password_forgotten_link_never_logs_in_nor_removes_the_second_factor(
    strong: StrongApp,
) -> None:
    user = await create_user(strong.session, Role.SAS_REGULATOR, email="dr.regul@sas.fr")
    user_id, email = user.id, user.email
    secret, _ = await enrol(strong.client, email)
    await log_out(strong.client)
    asked = await strong.client.post("/api/password-reset/request", json={"email": email})
    assert asked.status_code == 202
    [message] = await mails_to(strong.session, email)
    _, token = link_in(message.text_body)
    used = await strong.client.post(
        "/api/password-reset/use", json={"token": token, "password": NEW_PASSWORD}
    )
    assert used.status_code == 204
    assert "snp_session" not in used.cookies
    assert await open_sessions(strong) == 0
    assert (await strong.client.get("/api/auth/me")).status_code == 401
    strong.session.expire_all()
    stored = await strong.session.get(User, user_id)
    assert stored is not None
    assert stored.totp_secret == secret
    assert await password_step(strong.client, email, NEW_PASSWORD) == "totp"
