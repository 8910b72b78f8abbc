"""Invitations: an account created by the coordination, whose owner chooses the password.

`invite` creates the account (random password, active) and a one-time invitation link valid
`invitation_days`; the link is e-mailed (the outbox, in the same transaction) unless the account
has no real e-mail (a GP invited by SMS: the caller sends the returned link). Opening the link
(`accept`) sets the password under the shared policy (and the e-mail, for an account that had
none), spends the link and opens a session: the user lands logged in on their home page.
`resend` issues a new link (older ones stop working); `revoke` spends it and deactivates the
account that never logged in. Every step is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit, mail
from snp.actor import Actor
from snp.auth import mail_texts, reset, rules, service
from snp.auth.errors import InvitationNotPending
from snp.auth.models import User
from snp.auth.reset import PURPOSE_INVITE, PasswordResetToken
from snp.auth.roles import Role
from snp.db import utcnow
from snp.errors import BusinessRuleError, Conflict, NotFound
from snp.settings import Settings


@dataclass(frozen=True, slots=True)
class Invitation:
    user_id: int
    email: str
    url: str
    expires_at: datetime
    emailed: bool  # False: no real e-mail, the caller sends the link (SMS)


def has_real_email(email: str) -> bool:
    return not email.lower().endswith(rules.PLACEHOLDER_TLD)


async def _issue(session: AsyncSession, actor: Actor, settings: Settings, user: User) -> Invitation:
    link = await reset.issue_link(
        session,
        actor,
        settings,
        user_id=user.id,
        purpose=PURPOSE_INVITE,
        valid_for=timedelta(days=settings.invitation_days),
    )
    emailed = has_real_email(user.email)
    if emailed:
        await mail.queue(
            session,
            mail_texts.invitation(user.email, user.full_name, user.role, link.url, link.expires_at),
        )
    return Invitation(user.id, user.email, link.url, link.expires_at, emailed)


async def invite(
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    *,
    email: str,
    full_name: str,
    role: Role | str,
    placeholder_email: bool = False,
) -> Invitation:
    """Create the account under the shared rules (409 when the e-mail is taken) and invite it."""
    user = await service.create_user(
        session,
        actor,
        email=email,
        full_name=full_name,
        role=role,
        password=service.random_password(),
        placeholder_email=placeholder_email,
    )
    return await _issue(session, actor, settings, user)


async def _pending_user(session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("Compte introuvable.", ("path", "user_id"))
    if user.last_login_at is not None:
        raise InvitationNotPending(
            "Ce compte a déjà été activé : envoyez-lui plutôt un lien de réinitialisation.",
            ("path", "user_id"),
        )
    return user


async def resend(
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    user_id: int,
    *,
    by_email_only: bool = False,
) -> Invitation:
    """A new invitation link for an account never used (reactivated if it was revoked). With
    `by_email_only`, an account without a real e-mail is refused (its link goes by SMS, from its
    directory entry) rather than given a link nobody sends."""
    user = await _pending_user(session, user_id)
    if by_email_only and not has_real_email(user.email):
        raise BusinessRuleError(
            "Ce compte n'a pas d'adresse e-mail : renvoyez l'invitation par SMS depuis la fiche "
            "de l'effecteur dans l'annuaire.",
            ("path", "user_id"),
        )
    if not user.active:
        await service.update_account(session, actor, user, active=True)
    return await _issue(session, actor, settings, user)


async def revoke(session: AsyncSession, actor: Actor, user_id: int) -> None:
    """The invitation's links stop working and the never-used account is deactivated."""
    user = await _pending_user(session, user_id)
    await session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if user.active:
        await service.update_account(session, actor, user, active=False)
    await audit.record(session, actor, "invitation_revoked", "user", user.id)


async def pending_user_ids(session: AsyncSession, user_ids: list[int]) -> dict[int, datetime]:
    """Of these accounts, those with a still-valid invitation, and when it expires."""
    if not user_ids:
        return {}
    rows = await session.execute(
        select(PasswordResetToken.user_id, PasswordResetToken.expires_at).where(
            PasswordResetToken.user_id.in_(user_ids),
            PasswordResetToken.purpose == PURPOSE_INVITE,
            PasswordResetToken.used_at.is_(None),
            PasswordResetToken.expires_at > utcnow(),
        )
    )
    return {row[0]: row[1] for row in rows}


@dataclass(frozen=True, slots=True)
class InvitationCheck:
    email: str
    full_name: str
    role: str
    needs_email: bool


async def check(session: AsyncSession, token: str) -> InvitationCheck:
    user = await reset.check_token(session, token, purpose=PURPOSE_INVITE)
    real = has_real_email(user.email)
    return InvitationCheck(user.email if real else "", user.full_name, user.role, not real)


async def accept(
    session: AsyncSession,
    settings: Settings,
    token: str,
    password: str,
    ip: str | None,
    email: str | None = None,
) -> service.NewSession | service.PendingLogin:
    """Set the password (and the e-mail of an account that had none), spend the link once, and
    go on as a login with that password: the second factor's step (its enrolment, the first
    time) when one is due for the role, else the user's first session."""
    rules.check_password(password)
    user = await reset.check_token(session, token, purpose=PURPOSE_INVITE)
    if not has_real_email(user.email):
        if not email:
            raise BusinessRuleError(
                "Indiquez votre adresse e-mail : elle sera votre identifiant.", ("body", "email")
            )
        chosen = rules.check_email(email)
        taken = await session.scalar(
            select(User.id).where(User.email == chosen, User.id != user.id)
        )
        if taken is not None:
            raise Conflict("Un compte existe déjà avec cette adresse e-mail.", ("body", "email"))
        user.email = chosen
        await audit.changed(
            session, Actor(user.id, chosen, Role(user.role), ip), "user", user.id, ["email"]
        )
    user = await reset.use_link(session, token, password, ip, purpose=PURPOSE_INVITE)
    return await service.after_password(session, settings, user, ip)
