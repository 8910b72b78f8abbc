"""Password reset: a coordinator issues a one-time link, the user chooses a new password.

The token is shown once (in the link) and stored as its SHA-256 only; it expires after
`password_reset_hours` and works once. Issuing a new link revokes the older ones of that user.
Setting the password closes the user's open sessions (`service.set_password`). Both steps are
audited. Accounts created by the SAS platform (INT_R02) get a random password and use this flow.

The same table holds the invitation links (`purpose="invite"`, see `invitations`) and the links
sent by « Mot de passe oublié » (`forgotten`); a link of one purpose never works for another.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from snp import audit
from snp.actor import Actor
from snp.auth import service
from snp.auth.errors import AccountInactive, InvalidResetLink
from snp.auth.models import User
from snp.auth.roles import Role
from snp.auth.rules import check_password
from snp.db import Base, UTCDateTime, utcnow
from snp.errors import NotFound
from snp.settings import Settings

RESET_PATH = "/mot-de-passe/nouveau"
INVITATION_PATH = "/invitation"
PURPOSE_RESET = "reset"
PURPOSE_INVITE = "invite"
INVALID_LINK = "Lien de réinitialisation invalide, déjà utilisé ou expiré : demandez-en un nouveau."


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purpose: Mapped[str] = mapped_column(String(16), default="reset", server_default="reset")


@dataclass(frozen=True, slots=True)
class ResetLink:
    user_id: int
    email: str
    url: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    *,
    user_id: int | None = None,
    email: str | None = None,
    now: datetime | None = None,
    purpose: str = PURPOSE_RESET,
    valid_for: timedelta | None = None,
) -> ResetLink:
    """A new one-time link for the user (by id or e-mail); older links of that user stop working
    (whatever their purpose: the latest link sent is the one that works)."""
    now = now or utcnow()
    if user_id is not None:
        user = await session.get(User, user_id)
    else:
        user = await service.get_user_by_email(session, email or "")
    if user is None:
        raise NotFound("Compte introuvable.", ("path", "user_id") if email is None else ("email",))
    if not user.active:
        raise AccountInactive(
            "Ce compte est désactivé : réactivez-le avant de réinitialiser son mot de passe.",
            ("path", "user_id"),
        )
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    expires = now + (valid_for or timedelta(hours=settings.password_reset_hours))
    session.add(
        PasswordResetToken(
            token_hash=_hash(token),
            user_id=user.id,
            created_by=actor.email,
            created_at=now,
            expires_at=expires,
            purpose=purpose,
        )
    )
    await audit.record(
        session, actor, "invitation" if purpose == PURPOSE_INVITE else "reset_link", "user", user.id
    )
    base = settings.public_base_url.rstrip("/")
    path = INVITATION_PATH if purpose == PURPOSE_INVITE else RESET_PATH
    return ResetLink(user.id, user.email, f"{base}{path}?token={token}", expires)


async def check_token(
    session: AsyncSession, token: str, now: datetime | None = None, purpose: str = PURPOSE_RESET
) -> User:
    """The user a still-valid link of `purpose` belongs to (422 otherwise)."""
    now = now or utcnow()
    row = await session.scalar(
        select(PasswordResetToken).where(PasswordResetToken.token_hash == _hash(token))
    )
    if row is None or row.used_at is not None or row.expires_at <= now or row.purpose != purpose:
        raise InvalidResetLink(INVALID_LINK, ("body", "token"))
    user = await session.get(User, row.user_id)
    if user is None or not user.active:
        raise InvalidResetLink(INVALID_LINK, ("body", "token"))
    return user


async def use_link(
    session: AsyncSession,
    token: str,
    password: str,
    ip: str | None,
    now: datetime | None = None,
    purpose: str = PURPOSE_RESET,
) -> User:
    """Set the new password once; the link is then spent (a conditional UPDATE: used once)."""
    now = now or utcnow()
    check_password(password)
    user = await check_token(session, token, now, purpose)
    spent = await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.token_hash == _hash(token), PasswordResetToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not spent.rowcount:  # type: ignore[attr-defined]
        raise InvalidResetLink(INVALID_LINK, ("body", "token"))
    actor = Actor(user.id, user.email, Role(user.role), ip)
    await service.set_password(session, actor, user, password)
    return user


async def purge_spent(session: AsyncSession, now: datetime | None = None) -> None:
    now = now or utcnow()
    await session.execute(
        delete(PasswordResetToken).where(PasswordResetToken.expires_at < now - timedelta(days=7))
    )
