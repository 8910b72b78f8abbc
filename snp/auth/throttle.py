"""Login throttling: every attempt is reserved (atomically) before the password is checked.

Three counters, each a row of `login_throttle`:
- `pair:` one account from one address. After `login_lock_after` attempts that address is
  locked out of that account for `login_lock_minutes`; the real user, from another address, is
  not (an attacker cannot lock the coordinator out by knowing the e-mail).
- `ip:` one address, whatever the account (password spraying): `login_ip_lock_after` attempts,
  then the address is locked out for `login_lock_minutes`.
- `account:` one account, from anywhere (a distributed guess): beyond `login_slowdown_after`
  attempts, each further attempt must wait a growing, capped delay. Nobody sleeps: an attempt
  that comes too early is answered 429 at once, and a correct password from any address works
  again once the delay has passed.

A reservation is one conditional UPDATE that counts the attempt only if the counter allows it
(or an INSERT for a first attempt), so N concurrent wrong passwords check exactly the limit, no
more and no fewer; the caller commits it before hashing, so no database lock is held while the
password is checked. Counters are always taken in the same order (address, pair, account), and a
success clears them in that order too, so two attempts never wait on each other in a cycle.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.models import LoginThrottle
from snp.db import dialect_insert
from snp.errors import TooManyAttempts
from snp.settings import Settings


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:64]


def pair_key(email: str, ip: str | None) -> str:
    return "pair:" + _digest(email, ip or "-")


def ip_key(ip: str | None) -> str:
    return "ip:" + _digest(ip or "-")


def account_key(email: str) -> str:
    return "account:" + _digest(email)


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    limit: int | None  # attempts within `window` before the key is locked
    window: timedelta
    delay: Callable[[int], float]  # seconds the next attempt must wait after `n` attempts


def _no_delay(_attempts: int) -> float:
    return 0.0


def rules(settings: Settings, email: str, ip: str | None) -> list[Rule]:
    """The counters an attempt reserves, in order: address, account from this address, account
    (so an attempt refused for its address does not slow the account down for everybody)."""
    window = timedelta(minutes=settings.login_lock_minutes)

    def progressive(attempts: int) -> float:
        excess = attempts - settings.login_slowdown_after + 1
        if excess <= 0:
            return 0.0
        wait = settings.login_slowdown_seconds * excess
        return float(min(settings.login_slowdown_max_seconds, wait))

    return [
        Rule(ip_key(ip), settings.login_ip_lock_after, window, _no_delay),
        Rule(pair_key(email, ip), settings.login_lock_after, window, _no_delay),
        Rule(account_key(email), None, window, progressive),
    ]


def _refuse(seconds: float) -> TooManyAttempts:
    if seconds >= 90:
        wait = f"{round(seconds / 60)} minute(s)"
    else:
        wait = f"{max(1, round(seconds))} seconde(s)"
    return TooManyAttempts(
        f"Trop de tentatives de connexion. Réessayez dans {wait}.", ("body", "email")
    )


async def _count(session: AsyncSession, rule: Rule, now: datetime) -> bool:
    """Count one attempt in a single conditional UPDATE, or return False when the row is
    missing or refuses it. Concurrent counts queue on the row's lock and each re-reads the
    row it waited for (PostgreSQL re-evaluates the WHERE; SQLite has one writer), so none is
    lost and none exceeds the limit: no retry loop that a crowd of attempts could exhaust."""
    series_over = LoginThrottle.last_attempt_at <= now - rule.window
    allowed = [
        LoginThrottle.key == rule.key,
        or_(LoginThrottle.not_before.is_(None), LoginThrottle.not_before <= now),
    ]
    if rule.limit is not None:
        allowed.append(or_(series_over, LoginThrottle.attempts < rule.limit))
    attempts = await session.scalar(
        update(LoginThrottle)
        .where(*allowed)
        .values(
            attempts=case((series_over, 1), else_=LoginThrottle.attempts + 1),
            last_attempt_at=now,
            not_before=now,
            version=LoginThrottle.version + 1,
        )
        .returning(LoginThrottle.attempts)
    )
    if attempts is None:
        return False
    delay = rule.delay(attempts)
    if delay > 0:  # the row stays locked by this transaction until it commits
        await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == rule.key)
            .values(not_before=now + timedelta(seconds=delay))
        )
    return True


async def _reserve_one(session: AsyncSession, rule: Rule, now: datetime) -> None:
    for _ in range(3):  # a concurrent first attempt or a success may create or delete the row
        if await _count(session, rule, now):
            return
        row = (
            await session.execute(
                select(
                    LoginThrottle.attempts, LoginThrottle.last_attempt_at, LoginThrottle.not_before
                ).where(LoginThrottle.key == rule.key)
            )
        ).first()
        if row is None:
            insert = dialect_insert(session)
            created = await session.execute(
                insert(LoginThrottle)
                .values(
                    key=rule.key,
                    attempts=1,
                    last_attempt_at=now,
                    not_before=now + timedelta(seconds=rule.delay(1)),
                    version=1,
                )
                .on_conflict_do_nothing(index_elements=[LoginThrottle.key])
            )
            if created.rowcount == 1:  # type: ignore[attr-defined]
                return
            continue
        attempts, last_attempt_at, not_before = row
        if last_attempt_at <= now - rule.window:
            attempts = 0  # the previous series is over
        if rule.limit is not None and attempts >= rule.limit:
            raise _refuse((last_attempt_at + rule.window - now).total_seconds())
        if not_before is not None and not_before > now:
            raise _refuse((not_before - now).total_seconds())
        # The row changed between the UPDATE and this look (a success cleared it): count again.
    # The row kept appearing and vanishing under this attempt: answer as for a crowd.
    raise _refuse(1)


async def reserve_attempt(
    session: AsyncSession, settings: Settings, email: str, ip: str | None, now: datetime
) -> None:
    """Count one login attempt on every counter, or raise `TooManyAttempts` (429). The caller
    commits before checking the password, whatever the outcome."""
    for rule in rules(settings, email, ip):
        await _reserve_one(session, rule, now)


RESET_WINDOW = timedelta(hours=1)


async def reserve_reset_request(
    session: AsyncSession, settings: Settings, email: str, ip: str | None, now: datetime
) -> None:
    """Count one « Mot de passe oublié » request for this address and this e-mail (whether or not
    an account has it), or raise `TooManyAttempts` (429): `password_forgotten_per_hour` per
    e-mail, four times that per IP address."""
    limit = settings.password_forgotten_per_hour
    try:
        for rule in (
            Rule("reset-ip:" + _digest(ip or "-"), limit * 4, RESET_WINDOW, _no_delay),
            Rule("reset-account:" + _digest(email), limit, RESET_WINDOW, _no_delay),
        ):
            await _reserve_one(session, rule, now)
    except TooManyAttempts:
        raise TooManyAttempts(
            "Trop de demandes de réinitialisation : réessayez dans une heure.", ("body", "email")
        ) from None


async def is_locked_after_failure(
    session: AsyncSession, settings: Settings, email: str, ip: str | None
) -> bool:
    """True when this failure used the last attempt this address had on this account."""
    attempts = await session.scalar(
        select(LoginThrottle.attempts).where(LoginThrottle.key == pair_key(email, ip))
    )
    return attempts is not None and attempts >= settings.login_lock_after


async def forget_after_success(session: AsyncSession, email: str, ip: str | None) -> None:
    """A correct password clears the account's counters; the address keeps its count of the
    other accounts' failures (one valid account must not reset a spraying address). Rows are
    taken in the reservation's order (address, pair, account) so neither waits on the other."""
    await session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == ip_key(ip), LoginThrottle.attempts > 0)
        .values(attempts=LoginThrottle.attempts - 1, version=LoginThrottle.version + 1)
    )
    for key in (pair_key(email, ip), account_key(email)):
        await session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


async def purge(session: AsyncSession, settings: Settings, now: datetime) -> None:
    """Forget counters whose series ended (older than the lock window and any delay)."""
    horizon = now - max(
        timedelta(minutes=settings.login_lock_minutes),
        timedelta(seconds=settings.login_slowdown_max_seconds),
        RESET_WINDOW,
    )
    await session.execute(delete(LoginThrottle).where(LoginThrottle.last_attempt_at < horizon))
