"""Accounts, passwords (Argon2), server-side sessions and login throttling."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit, events
from snp.actor import Actor
from snp.auth import challenges, rules, throttle
from snp.auth.errors import InvalidCredentials
from snp.auth.events import AccountCreated
from snp.auth.models import LoginSession, User
from snp.auth.roles import Role
from snp.db import Database, utcnow
from snp.errors import BusinessRuleError, Conflict, NotFound, TooManyAttempts
from snp.kit import PageParams, count_rows
from snp.settings import Settings

# Argon2id as RFC 9106 recommends where memory is counted (3 passes, 64 MiB, 4 lanes): about
# 0.1 s per login on a small server. The in-process tests swap in argon2's test profile.
PASSWORD_PARAMETERS = profiles.RFC_9106_LOW_MEMORY
_hasher = PasswordHasher.from_parameters(PASSWORD_PARAMETERS)
# Verified when the account does not exist, so a wrong e-mail costs as much time as a wrong
# password and the answer time does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def random_password() -> str:
    """An unguessable password for accounts whose owner will choose theirs through a link."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True, slots=True)
class Account:
    """An account as the other packages see it (never its password hash)."""

    id: int
    email: str
    full_name: str
    role: str
    active: bool

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(user.id, user.email, user.full_name, user.role, user.active)


async def create_user(
    session: AsyncSession,
    actor: Actor,
    *,
    email: str,
    full_name: str,
    role: Role | str,
    password: str,
    placeholder_email: bool = False,
) -> User:
    """Create an account under the rules of `snp.auth.rules` (audited), then emit
    `AccountCreated` (the agenda links a GP account to the directory entry of the same e-mail).
    409 when the e-mail belongs to another account."""
    email = rules.check_email(email, placeholder=placeholder_email)
    full_name = rules.check_full_name(full_name)
    checked_role = rules.check_role(role)
    rules.check_password(password)
    if await session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("Un compte existe déjà avec cette adresse e-mail.", ("body", "email"))
    password_hash = await anyio.to_thread.run_sync(hash_password, password)
    user = User(
        email=email, full_name=full_name, role=checked_role.value, password_hash=password_hash
    )
    session.add(user)
    await session.flush()
    await audit.created(session, actor, "user", user.id)
    await events.emit(session, AccountCreated(user.id, user.email, user.role))
    return user


async def create_account(
    session: AsyncSession,
    actor: Actor,
    *,
    email: str,
    full_name: str,
    role: Role | str,
    password: str | None = None,
    active: bool = True,
    placeholder_email: bool = False,
) -> Account:
    """Create an account (audited); without `password`, a random one its owner replaces through
    a reset link. 409 when the e-mail belongs to another account."""
    user = await create_user(
        session,
        actor,
        email=email,
        full_name=full_name,
        role=role,
        password=password or random_password(),
        placeholder_email=placeholder_email,
    )
    user.active = active
    return Account.of(user)


async def has_accounts(session: AsyncSession) -> bool:
    """Whether any account exists (the first start ends when one does)."""
    return await session.scalar(select(User.id).limit(1)) is not None


async def find_account(session: AsyncSession, email: str) -> Account | None:
    user = await get_user_by_email(session, email)
    return None if user is None else Account.of(user)


async def get_account(session: AsyncSession, user_id: int) -> Account | None:
    user = await session.get(User, user_id)
    return None if user is None else Account.of(user)


async def set_password(session: AsyncSession, actor: Actor, user: User, password: str) -> None:
    user.password_hash = await anyio.to_thread.run_sync(hash_password, password)
    await session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    await audit.changed(session, actor, "user", user.id, ["password"])


async def get_user_by_email(session: AsyncSession, email: str) -> User | None:
    return await session.scalar(select(User).where(User.email == normalise_email(email)))


async def list_users(
    session: AsyncSession,
    page: PageParams = PageParams(),
    *,
    role: Role | None = None,
    active: bool | None = None,
    search: str | None = None,
) -> tuple[list[User], int]:
    """Accounts by e-mail, filtered by role, active flag and a text found in the e-mail or name."""
    query = select(User)
    if role is not None:
        query = query.where(User.role == role.value)
    if active is not None:
        query = query.where(User.active.is_(active))
    text = (search or "").strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    rows = await session.scalars(page.apply(query.order_by(User.email)))
    return list(rows), await count_rows(session, query)


@dataclass(frozen=True, slots=True)
class NewSession:
    token: str
    csrf_token: str
    user: User


@dataclass(frozen=True, slots=True)
class PendingLogin:
    """A correct password that still needs a second factor: `token` goes in a short-lived
    cookie and names the login challenge; `step` is "totp" or "enrolment"."""

    token: str
    step: str
    user_id: int


async def login(
    database: Database, settings: Settings, *, email: str, password: str, ip: str | None
) -> NewSession | PendingLogin:
    """Check credentials and open a session (or, when a second factor is due, a login
    challenge), in three short transactions.

    The attempt is reserved on the throttle counters and committed first (429 when a counter
    refuses it); the password is then checked in a worker thread with no transaction open, so
    neither the event loop nor a database lock waits on Argon2; only a success writes again.
    This is the one service that runs its own transactions, for that reason.
    """
    email = normalise_email(email)
    async with database.transaction() as session:
        await throttle.reserve_attempt(session, settings, email, ip, utcnow())
    async with database.transaction() as session:
        user = await get_user_by_email(session, email)
        stored_hash = user.password_hash if user else _DUMMY_HASH
    ok = await anyio.to_thread.run_sync(verify_password, stored_hash, password)
    if not ok or user is None or not user.active:
        async with database.transaction() as session:
            locked = await throttle.is_locked_after_failure(session, settings, email, ip)
        if locked:
            raise TooManyAttempts(
                "Trop de tentatives de connexion. Réessayez dans "
                f"{settings.login_lock_minutes} minute(s).",
                ("body", "email"),
            )
        raise InvalidCredentials(BAD_CREDENTIALS, ("body", "password"))
    rehashed = None
    if _hasher.check_needs_rehash(stored_hash):
        rehashed = await anyio.to_thread.run_sync(hash_password, password)
    async with database.transaction() as session:
        await throttle.forget_after_success(session, email, ip)
        user = await session.get(User, user.id)
        if user is None or not user.active:
            raise InvalidCredentials(BAD_CREDENTIALS, ("body", "password"))
        if rehashed is not None:
            user.password_hash = rehashed
        return await after_password(session, settings, user, ip)


async def after_password(
    session: AsyncSession, settings: Settings, user: User, ip: str | None
) -> NewSession | PendingLogin:
    """What a proven password leads to (a login, or an invitation accepted with the password
    just chosen): the login challenge of the second factor when one is due, else a session."""
    step = second_step(settings, user)
    if step is not None:
        challenge = await challenges.open_challenge(session, settings, step, user_id=user.id)
        actor = Actor(user.id, user.email, Role(user.role), ip)
        await audit.record(session, actor, "login_password", "user", user.id)
        return PendingLogin(token=challenge, step=step, user_id=user.id)
    return await open_session(session, settings, user, ip)


def second_step(settings: Settings, user: User) -> str | None:
    """What a correct password leads to: "totp" (give a code), "enrolment" (set a second factor
    up first) or None (the session opens)."""
    if not settings.mfa_required:
        return None
    if user.totp_secret is not None:
        return challenges.TOTP
    if rules.second_factor_required(user.role, mfa_required=True):
        return challenges.ENROLMENT
    return None


async def open_session(
    session: AsyncSession, settings: Settings, user: User, ip: str | None, method: str = "password"
) -> NewSession:
    """Open a login session for `user` (audited as a login, with how it was proven)."""
    user.last_login_at = utcnow()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        LoginSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(minutes=settings.session_idle_minutes),
            ip=ip,
        )
    )
    actor = Actor(user.id, user.email, Role(user.role), ip)
    detail = None if method == "password" else f"method={method}"
    await audit.record(session, actor, "login", "user", user.id, detail)
    return NewSession(token=token, csrf_token=csrf, user=user)


@dataclass(frozen=True, slots=True)
class ResolvedSession:
    user: User
    csrf_token: str


async def resolve_session(
    session: AsyncSession, settings: Settings, token: str
) -> ResolvedSession | None:
    now = utcnow()
    row = (
        await session.execute(
            select(LoginSession, User)
            .join(User, User.id == LoginSession.user_id)
            .where(
                LoginSession.token_hash == _token_hash(token),
                LoginSession.expires_at > now,
                # The maximum holds on every request, whatever the sliding expiry says.
                LoginSession.created_at > now - timedelta(hours=settings.session_max_hours),
            )
        )
    ).first()
    if row is None:
        return None
    login_session, user = row
    if not user.active:
        return None
    # Sliding expiry, written at most once a minute to keep reads cheap.
    if now - login_session.last_seen_at > timedelta(minutes=1):
        hard_limit = login_session.created_at + timedelta(hours=settings.session_max_hours)
        login_session.last_seen_at = now
        login_session.expires_at = min(
            now + timedelta(minutes=settings.session_idle_minutes), hard_limit
        )
    return ResolvedSession(user=user, csrf_token=login_session.csrf_token)


async def logout(session: AsyncSession, actor: Actor, token: str) -> None:
    await session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))
    await audit.record(session, actor, "logout", "user", actor.user_id)


async def purge_expired(
    session: AsyncSession, settings: Settings, now: datetime | None = None
) -> int:
    """Drop expired sessions and stale throttle rows; returns how many sessions were removed."""
    now = now or utcnow()
    result = await session.execute(delete(LoginSession).where(LoginSession.expires_at <= now))
    await throttle.purge(session, settings, now)
    await challenges.purge(session)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def update_account(
    session: AsyncSession,
    actor: Actor,
    user: User,
    *,
    email: str | None = None,
    full_name: str | None = None,
    active: bool | None = None,
    role: Role | str | None = None,
    rpps: str | None = None,
) -> list[str]:
    """Change an account's e-mail, name, role or active flag; deactivating closes its sessions.

    Returns the names of the changed fields (audited). 409 when the e-mail belongs to another
    account; 422 when a user would deactivate their own account or take their own role away."""
    changed: list[str] = []
    if actor.user_id == user.id and (active is False or (role is not None and role != user.role)):
        raise BusinessRuleError(
            "Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle.",
            ("body", "active" if active is False else "role"),
        )
    if email is not None and rules.check_email(email) != user.email:
        email = rules.check_email(email)
        taken = await session.scalar(select(User.id).where(User.email == email, User.id != user.id))
        if taken is not None:
            raise Conflict("Un compte existe déjà avec cette adresse e-mail.", ("body", "email"))
        user.email = email
        changed.append("email")
    if full_name is not None and rules.check_full_name(full_name) != user.full_name:
        user.full_name = rules.check_full_name(full_name)
        changed.append("full_name")
    if role is not None and rules.check_role(role).value != user.role:
        user.role = rules.check_role(role).value
        changed.append("role")
    if rpps is not None:
        checked = rules.check_rpps(rpps) if rpps.strip() else None
        if checked != user.rpps:
            if checked is not None:
                taken = await session.scalar(
                    select(User.id).where(User.rpps == checked, User.id != user.id)
                )
                if taken is not None:
                    raise Conflict("Un autre compte porte déjà ce numéro RPPS.", ("body", "rpps"))
            user.rpps = checked
            changed.append("rpps")
    if active is not None and active != user.active:
        user.active = active
        changed.append("active")
        if not active:
            await session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    if changed:
        await session.flush()
        await audit.changed(session, actor, "user", user.id, changed)
    return changed


async def update_account_by_id(
    session: AsyncSession,
    actor: Actor,
    user_id: int,
    *,
    email: str | None = None,
    full_name: str | None = None,
    active: bool | None = None,
    role: Role | str | None = None,
    rpps: str | None = None,
) -> tuple[Account, list[str]]:
    """`update_account` for the account `user_id` (which must exist): the account as it now is
    and the names of the changed fields."""
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("Compte introuvable.", ("path", "user_id"))
    changed = await update_account(
        session, actor, user, email=email, full_name=full_name, active=active, role=role, rpps=rpps
    )
    return Account.of(user), changed
