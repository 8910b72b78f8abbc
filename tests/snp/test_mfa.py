"""Strong login (TOTP, RFC 6238): enrolment at first login for the roles that read patient
data, then password + code; recovery codes; replay; throttling; the coordinator's reset.
Every test runs with `SNP_MFA_REQUIRED=true` (the shared test settings turn it off)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.audit import AuditEntry
from snp.auth.models import RecoveryCode, User
from snp.auth.roles import Role
from snp.auth.rules import PATIENT_DATA_ROLES
from tests.factories import PASSWORD, create_user, login
from tests.snp.mfa_support import (
    StrongApp,
    code_at,
    code_step,
    enrol,
    log_out,
    password_step,
    strong_app,
)


@pytest.fixture
async def strong(db_url: str) -> AsyncIterator[StrongApp]:
    async for built in strong_app(db_url):
        yield built


async def test_every_role_reading_patient_data_enrols_at_first_login(strong: StrongApp) -> None:
    assert Role.FUNDER not in PATIENT_DATA_ROLES
    for role in PATIENT_DATA_ROLES:
        user = await create_user(strong.session, role)
        assert await password_step(strong.client, user.email) == "enrolment"
        strong.client.cookies.clear()


async def test_enrolment_shows_a_qr_code_and_the_secret_then_a_first_code_opens_the_session(
    strong: StrongApp,
) -> None:
    user = await create_user(strong.session, Role.REGULATOR, email="dr.house@example.fr")
    assert await password_step(strong.client, user.email) == "enrolment"
    # Nothing is reachable between the two steps.
    assert (await strong.client.get("/api/auth/me")).status_code == 401
    shown = (await strong.client.post("/api/auth/mfa/enrolment")).json()
    assert shown["qr_code"].startswith("data:image/svg+xml")
    assert shown["otpauth_uri"].startswith("otpauth://totp/")
    assert f"secret={shown['secret']}" in shown["otpauth_uri"]
    again = (await strong.client.post("/api/auth/mfa/enrolment")).json()
    assert again["secret"] == shown["secret"]  # the same secret until the step expires

    wrong = await strong.client.post("/api/auth/mfa/enrolment/confirm", json={"code": "000000"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "code"]

    confirmed = await strong.client.post(
        "/api/auth/mfa/enrolment/confirm", json={"code": code_at(shown["secret"])}
    )
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["user"]["email"] == "dr.house@example.fr"
    assert len(body["recovery_codes"]) == 10
    assert len(set(body["recovery_codes"])) == 10
    me = await strong.client.get("/api/auth/me")
    assert me.status_code == 200
    # Recovery codes are stored hashed only.
    stored = list(await strong.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not set(stored) & set(body["recovery_codes"])


async def test_next_login_asks_the_code_and_refuses_a_wrong_one(strong: StrongApp) -> None:
    user = await create_user(strong.session, Role.OPERATOR)
    secret, _ = await enrol(strong.client, user.email)
    await log_out(strong.client)

    assert await password_step(strong.client, user.email) == "totp"
    wrong = await code_step(strong.client, "123456")
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["msg"] == "Code incorrect, expiré ou déjà utilisé."
    assert (await strong.client.get("/api/auth/me")).status_code == 401
    right = await code_step(strong.client, code_at(secret, 1))
    assert right.status_code == 200, right.text
    assert right.json()["user"]["role"] == "operator"
    assert (await strong.client.get("/api/auth/me")).status_code == 200


async def test_a_code_is_not_accepted_twice(strong: StrongApp) -> None:
    user = await create_user(strong.session, Role.EFFECTOR)
    secret, _ = await enrol(strong.client, user.email)
    await log_out(strong.client)
    code = code_at(secret, 1)
    assert await password_step(strong.client, user.email) == "totp"
    assert (await code_step(strong.client, code)).status_code == 200
    await log_out(strong.client)

    assert await password_step(strong.client, user.email) == "totp"
    replay = await code_step(strong.client, code)
    assert replay.status_code == 422
    # Nor the code that confirmed the enrolment (an earlier step).
    earlier = await code_step(strong.client, code_at(secret))
    assert earlier.status_code == 422


async def test_a_recovery_code_works_once(strong: StrongApp) -> None:
    user = await create_user(strong.session, Role.COORDINATOR)
    _, recovery = await enrol(strong.client, user.email)
    await log_out(strong.client)

    assert await password_step(strong.client, user.email) == "totp"
    typed = recovery[0].upper().replace("-", " ")  # as a user may type it
    used = await code_step(strong.client, typed)
    assert used.status_code == 200, used.text
    status = (await strong.client.get("/api/auth/mfa")).json()
    assert status == {"enrolled": True, "required": True, "recovery_codes_left": 9}
    await log_out(strong.client)

    assert await password_step(strong.client, user.email) == "totp"
    again = await code_step(strong.client, recovery[0])
    assert again.status_code == 422
    other = await code_step(strong.client, recovery[1])
    assert other.status_code == 200


async def test_users_regenerate_their_recovery_codes(strong: StrongApp) -> None:
    user = await create_user(strong.session, Role.REFERRER)
    _, old = await enrol(strong.client, user.email)
    renewed = await strong.client.post("/api/auth/mfa/recovery-codes")
    assert renewed.status_code == 201
    new = renewed.json()["recovery_codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    await log_out(strong.client)
    assert await password_step(strong.client, user.email) == "totp"
    assert (await code_step(strong.client, old[0])).status_code == 422
    assert (await code_step(strong.client, new[0])).status_code == 200


async def test_code_step_expires_with_its_cookie_and_cannot_be_skipped(strong: StrongApp) -> None:
    user = await create_user(strong.session, Role.OPERATOR)
    secret, _ = await enrol(strong.client, user.email)
    await log_out(strong.client)
    # No password step: no code is checked at all.
    refused = await code_step(strong.client, code_at(secret, 1))
    assert refused.status_code == 401
    assert "Étape de connexion expirée" in refused.json()["detail"][0]["msg"]


async def test_code_attempts_are_throttled(db_url: str) -> None:
    async for strong in strong_app(db_url, login_lock_after=3):
        user = await create_user(strong.session, Role.OPERATOR)
        secret, _ = await enrol(strong.client, user.email)
        await log_out(strong.client)
        assert await password_step(strong.client, user.email) == "totp"
        statuses = [(await code_step(strong.client, "000000")).status_code for _ in range(3)]
        assert statuses == [422, 422, 422]
        # Locked out: even the right code is not checked now.
        right = await code_step(strong.client, code_at(secret, 1))
        assert right.status_code == 429
        refusals = await strong.session.scalar(
            select(AuditEntry.id).where(AuditEntry.action == "login_code_refused")
        )
        assert refusals is not None


async def test_roles_without_patient_data_log_in_with_the_password_alone(
    strong: StrongApp,
) -> None:
    funder = await create_user(strong.session, Role.FUNDER)
    await login(strong.client, funder.email)
    status = (await strong.client.get("/api/auth/mfa")).json()
    assert status == {"enrolled": False, "required": False, "recovery_codes_left": 0}


async def test_when_mfa_is_not_required_every_account_uses_its_password_alone(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    regulator = await create_user(session, Role.REGULATOR)
    regulator.totp_secret = "JBSWY3DPEHPK3PXP"  # even an enrolled account
    await session.commit()
    response = await client.post(
        "/api/auth/login", json={"email": regulator.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["second_factor"] is None
    assert response.json()["user"]["role"] == "regulator"


async def test_a_coordinator_resets_a_lost_second_factor(strong: StrongApp) -> None:
    coordinator = await create_user(strong.session, Role.COORDINATOR, email="coord@example.fr")
    operator = await create_user(strong.session, Role.OPERATOR, email="op@example.fr")
    await enrol(strong.client, operator.email)
    await log_out(strong.client)
    await enrol(strong.client, coordinator.email)

    listed = (await strong.client.get("/api/users", params={"search": "op@"})).json()
    assert listed["items"][0]["mfa_enrolled"] is True
    reset = await strong.client.delete(f"/api/users/{operator.id}/mfa")
    assert reset.status_code == 204
    entry = await strong.session.scalar(
        select(AuditEntry).where(
            AuditEntry.entity_id == str(operator.id), AuditEntry.detail == "mfa"
        )
    )
    assert entry is not None
    assert entry.actor_email == "coord@example.fr"
    await log_out(strong.client)
    assert await password_step(strong.client, operator.email) == "enrolment"
    secret = await strong.session.scalar(
        select(User.totp_secret).where(User.email == "op@example.fr")
    )
    assert secret is None


async def test_only_coordinators_reset_a_second_factor(strong: StrongApp) -> None:
    funder = await create_user(strong.session, Role.FUNDER)
    await login(strong.client, funder.email)
    assert (await strong.client.delete(f"/api/users/{funder.id}/mfa")).status_code == 403


async def test_resetting_an_account_without_second_factor_is_refused(strong: StrongApp) -> None:
    funder = await create_user(strong.session, Role.FUNDER)
    coordinator = await create_user(strong.session, Role.COORDINATOR)
    await enrol(strong.client, coordinator.email)
    refused = await strong.client.delete(f"/api/users/{funder.id}/mfa")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["path", "user_id"]


async def test_a_role_without_patient_data_may_enrol_of_its_own_accord(strong: StrongApp) -> None:
    funder = await create_user(strong.session, Role.FUNDER)
    await login(strong.client, funder.email)
    begun = await strong.client.post("/api/auth/mfa/self-enrolment")
    assert begun.status_code == 200
    assert begun.json()["second_factor"] == "enrolment"
    secret = (await strong.client.post("/api/auth/mfa/enrolment")).json()["secret"]
    confirmed = await strong.client.post(
        "/api/auth/mfa/enrolment/confirm", json={"code": code_at(secret)}
    )
    assert confirmed.status_code == 200
    strong.client.headers["X-CSRF-Token"] = confirmed.json()["csrf_token"]
    again = await strong.client.post("/api/auth/mfa/self-enrolment")
    assert again.status_code == 422
    await log_out(strong.client)
    # From now on, the funder's login asks for the code too.
    assert await password_step(strong.client, funder.email) == "totp"
    assert (await code_step(strong.client, code_at(secret, 1))).status_code == 200


async def test_the_cli_resets_a_coordinator_locked_out_of_the_ui(
    db_url: str, strong: StrongApp
) -> None:
    coordinator = await create_user(strong.session, Role.COORDINATOR, email="seule@example.fr")
    await enrol(strong.client, coordinator.email)
    await log_out(strong.client)
    env = {**os.environ, "SNP_DATABASE_URL": db_url, "SNP_LOG_LEVEL": "WARNING"}

    async def cli(email: str) -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "composition.cli",
            "user",
            "reset-mfa",
            email,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await process.communicate()
        return int(process.returncode or 0), out.decode()

    code, out = await cli("seule@example.fr")
    assert code == 0, out
    assert "Double authentification de seule@example.fr réinitialisée" in out
    assert await password_step(strong.client, coordinator.email) == "enrolment"
    unknown, message = await cli("personne@example.fr")
    assert unknown == 1
    assert "Aucun compte avec l'adresse « personne@example.fr »" in message
