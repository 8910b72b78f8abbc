"""Login challenges: the state of a login between two requests (password done, second factor
due; or a Pro Santé Connect redirection under way).

The browser holds an unguessable token (256 bits) in a short-lived HttpOnly cookie; the
database holds its SHA-256, the kind, the user and what the next step needs. A challenge
expires after `mfa_challenge_minutes` and is deleted when used: unlike a signed cookie it
cannot be replayed, and it is shared by every app instance.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.errors import LoginStepExpired
from snp.auth.models import LoginChallenge
from snp.db import utcnow
from snp.settings import Settings

TOTP = "totp"
ENROLMENT = "enrolment"
PSC = "psc"

EXPIRED = (
    "Étape de connexion expirée : saisissez à nouveau votre adresse e-mail et votre mot de passe."
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def open_challenge(
    session: AsyncSession,
    settings: Settings,
    kind: str,
    *,
    user_id: int | None = None,
    nonce: str | None = None,
    code_verifier: str | None = None,
) -> str:
    """A new challenge; returns its token (shown to the browser only)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginChallenge(
            token_hash=token_hash(token),
            kind=kind,
            user_id=user_id,
            nonce=nonce,
            code_verifier=code_verifier,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.mfa_challenge_minutes),
        )
    )
    await session.flush()
    return token


async def find(session: AsyncSession, token: str | None, kinds: set[str]) -> LoginChallenge:
    """The live challenge of that token and kind, or 401 (expired, used, unknown)."""
    if not token:
        raise LoginStepExpired(EXPIRED, ("body", "code"))
    challenge = await session.scalar(
        select(LoginChallenge).where(
            LoginChallenge.token_hash == token_hash(token), LoginChallenge.expires_at > utcnow()
        )
    )
    if challenge is None or challenge.kind not in kinds:
        raise LoginStepExpired(EXPIRED, ("body", "code"))
    return challenge


async def take(session: AsyncSession, token: str | None, kinds: set[str]) -> LoginChallenge:
    """`find`, then delete it: a challenge is used once (a conditional DELETE, so two
    concurrent requests cannot both take it)."""
    challenge = await find(session, token, kinds)
    gone = await session.execute(
        delete(LoginChallenge)
        .where(LoginChallenge.token_hash == challenge.token_hash)
        .execution_options(synchronize_session=False)
    )
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        raise LoginStepExpired(EXPIRED, ("body", "code"))
    return challenge


async def purge(session: AsyncSession) -> None:
    await session.execute(delete(LoginChallenge).where(LoginChallenge.expires_at <= utcnow()))
