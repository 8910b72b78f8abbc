"""Second factor: time-based one-time codes (RFC 6238, pyotp) and single-use recovery codes.

Enrolment happens at the first login of a role that reads patient data (`rules.
PATIENT_DATA_ROLES`): after the password, the user gets a secret (QR code and text), confirms it
with a first code and receives 10 recovery codes, shown once. The next logins ask for a code (or
a recovery code) after the password. Every code attempt is counted by the login throttle
(under its own keys) and committed before the code is checked; a code is accepted once (the
time step it belongs to is recorded, later codes only); a recovery code works once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit
from snp.actor import Actor
from snp.auth import challenges, rules, service, throttle
from snp.auth.errors import InvalidCode
from snp.auth.models import LoginSession, RecoveryCode, User
from snp.db import Database, utcnow
from snp.errors import BusinessRuleError, NotFound
from snp.settings import Settings

ISSUER = "SNP CPTS"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_RECOVERY_LENGTH = 12  # about 59 bits
BAD_CODE = "Code incorrect, expiré ou déjà utilisé."
NOT_STARTED = "Affichez d'abord le code QR, puis saisissez le code de votre application."


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    uri: str
    qr_svg_data_uri: str


@dataclass(frozen=True, slots=True)
class MfaStatus:
    enrolled: bool
    required: bool
    recovery_codes_left: int


def _throttle_key(email: str) -> str:
    # Separate counters from the password's, with the same rules and limits.
    return f"totp\n{email}"


def _recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}:{code}".encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


async def _store_recovery_codes(session: AsyncSession, user_id: int) -> list[str]:
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user_id, code_hash=_recovery_hash(user_id, _normalise(code)))
        for code in codes
    )
    await session.flush()
    return codes


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (previous, current or next: clock drift) whose code is `code`."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


async def _accept_totp(session: AsyncSession, user_id: int, secret: str, code: str) -> bool:
    step = _matching_step(secret, code, utcnow())
    if step is None:
        return False
    # Compare-and-set: a code (its step, or an earlier one) is never accepted twice.
    taken = await session.execute(
        update(User)
        .where(
            User.id == user_id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return bool(taken.rowcount == 1)  # type: ignore[attr-defined]


async def _accept_recovery_code(session: AsyncSession, user_id: int, code: str) -> bool:
    spent = await session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == _recovery_hash(user_id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(spent.rowcount == 1)  # type: ignore[attr-defined]


async def _reserve(
    database: Database, settings: Settings, token: str | None, kinds: set[str], ip: str | None
) -> None:
    """Count the attempt on the throttle (committed whatever the code's fate)."""
    async with database.transaction() as session:
        challenge = await challenges.find(session, token, kinds)
        user = await session.get(User, challenge.user_id)
        if user is None:
            raise InvalidCode(BAD_CODE, ("body", "code"))
        await throttle.reserve_attempt(session, settings, _throttle_key(user.email), ip, utcnow())


async def _audit_failure(database: Database, user_id: int, ip: str | None) -> None:
    async with database.transaction() as session:
        user = await session.get(User, user_id)
        if user is not None:
            actor = Actor(user.id, user.email, rules.check_role(user.role), ip)
            await audit.record(session, actor, "login_code_refused", "user", user.id)


async def start_enrolment(
    session: AsyncSession, settings: Settings, token: str | None
) -> Enrolment:
    """The secret to enrol (made once per challenge), as text, `otpauth://` URI and QR code."""
    challenge = await challenges.find(session, token, {challenges.ENROLMENT})
    user = await session.get(User, challenge.user_id)
    if user is None:
        raise NotFound("Compte introuvable.")
    if challenge.secret is None:
        challenge.secret = pyotp.random_base32()
    uri = pyotp.TOTP(challenge.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return Enrolment(secret=challenge.secret, uri=uri, qr_svg_data_uri=svg)


@dataclass(frozen=True, slots=True)
class Enrolled:
    opened: service.NewSession
    recovery_codes: list[str]


async def confirm_enrolment(
    database: Database, settings: Settings, token: str | None, code: str, ip: str | None
) -> Enrolled:
    """Check the first code against the secret being enrolled; on success the secret is the
    account's, 10 recovery codes are made and the session opens."""
    await _reserve(database, settings, token, {challenges.ENROLMENT}, ip)
    async with database.transaction() as session:
        challenge = await challenges.find(session, token, {challenges.ENROLMENT})
        user_id = challenge.user_id
        if challenge.secret is None:
            raise BusinessRuleError(NOT_STARTED, ("body", "code"))
        step = _matching_step(challenge.secret, _normalise(code), utcnow())
        user = await session.get(User, user_id)
        if step is not None and user is not None and user.active:
            await challenges.take(session, token, {challenges.ENROLMENT})
            user.totp_secret = challenge.secret
            user.totp_enabled_at = utcnow()
            user.totp_last_step = step
            await session.flush()
            codes = await _store_recovery_codes(session, user.id)
            await throttle.forget_after_success(session, _throttle_key(user.email), ip)
            actor = Actor(user.id, user.email, rules.check_role(user.role), ip)
            await audit.record(session, actor, "mfa_enrolled", "user", user.id)
            opened = await service.open_session(session, settings, user, ip, "totp")
            return Enrolled(opened=opened, recovery_codes=codes)
    if user_id is not None:
        await _audit_failure(database, user_id, ip)
    raise InvalidCode(BAD_CODE, ("body", "code"))


async def verify(
    database: Database, settings: Settings, token: str | None, code: str, ip: str | None
) -> service.NewSession:
    """The second step of a login: a current code of the user's application, or one of their
    unused recovery codes. Opens the session."""
    await _reserve(database, settings, token, {challenges.TOTP}, ip)
    text = _normalise(code)
    async with database.transaction() as session:
        challenge = await challenges.find(session, token, {challenges.TOTP})
        user_id = challenge.user_id
        user = await session.get(User, user_id)
        if user is not None and user.active and user.totp_secret is not None:
            method = None
            if await _accept_totp(session, user.id, user.totp_secret, text):
                method = "totp"
            elif len(text) == _RECOVERY_LENGTH and await _accept_recovery_code(
                session, user.id, text
            ):
                method = "recovery_code"
            if method is not None:
                await challenges.take(session, token, {challenges.TOTP})
                await throttle.forget_after_success(session, _throttle_key(user.email), ip)
                await session.refresh(user)
                return await service.open_session(session, settings, user, ip, method)
    if user_id is not None:
        await _audit_failure(database, user_id, ip)
    raise InvalidCode(BAD_CODE, ("body", "code"))


async def status(session: AsyncSession, settings: Settings, user_id: int) -> MfaStatus:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("Compte introuvable.")
    left = await session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return MfaStatus(
        enrolled=user.totp_secret is not None,
        required=rules.second_factor_required(user.role, mfa_required=settings.mfa_required),
        recovery_codes_left=int(left or 0),
    )


async def begin_self_enrolment(session: AsyncSession, settings: Settings, actor: Actor) -> str:
    """A logged-in user sets a second factor up of their own accord (a role for which it is
    optional); returns the token of the enrolment step (the same steps as at first login)."""
    user = await session.get(User, actor.user_id)
    if user is None:
        raise NotFound("Compte introuvable.")
    if user.totp_secret is not None:
        raise BusinessRuleError(
            "La double authentification est déjà activée sur ce compte.", ("body",)
        )
    return await challenges.open_challenge(session, settings, challenges.ENROLMENT, user_id=user.id)


async def regenerate_recovery_codes(session: AsyncSession, actor: Actor) -> list[str]:
    """New recovery codes for the caller (the old ones stop working); shown once."""
    user = await session.get(User, actor.user_id)
    if user is None or user.totp_secret is None:
        raise BusinessRuleError(
            "Aucune double authentification n'est activée sur ce compte.", ("body",)
        )
    codes = await _store_recovery_codes(session, user.id)
    await audit.record(session, actor, "mfa_recovery_codes_renewed", "user", user.id)
    return codes


async def reset(session: AsyncSession, actor: Actor, user_id: int) -> None:
    """A coordinator removes a user's second factor (lost phone): its recovery codes go, its
    sessions close, and the user enrols again at the next login. Audited."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("Compte introuvable.", ("path", "user_id"))
    if user.totp_secret is None:
        raise BusinessRuleError(
            "Ce compte n'a pas de double authentification à réinitialiser.", ("path", "user_id")
        )
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    await session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    await session.execute(delete(LoginSession).where(LoginSession.user_id == user_id))
    await session.flush()
    await audit.changed(session, actor, "user", user_id, ["mfa"])
