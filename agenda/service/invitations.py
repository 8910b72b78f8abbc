"""Inviting GPs from their directory entry: the account is created already linked to the entry.

With an e-mail on the entry, the invitation is e-mailed (`snp.auth`); with a mobile and no
e-mail, the account gets a placeholder address (the GP gives theirs when accepting) and
`EffectorInvitedBySms` asks notifications to text the link. Inviting an entry whose account was
never used sends a new link instead. The bulk invitation takes every active entry with an
e-mail, no account linked and no account with that e-mail; its preview counts the same set.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.events import EffectorInvitedBySms
from agenda.models import Effector
from agenda.service.account_links import link_account
from snp import events
from snp.actor import Actor
from snp.auth import Invitation, Role, find_account, invite_account, resend_invitation
from snp.errors import BusinessRuleError, DomainError, NotFound
from snp.identifiers import parse_mobile_phone
from snp.settings import Settings


@dataclass(frozen=True, slots=True)
class EffectorInvitation:
    effector_id: int
    user_id: int
    channel: str  # "email" or "sms"
    expires_at: datetime


def _placeholder(effector: Effector) -> str:
    return f"effecteur-{effector.id}@sms.snp.invalid"


def _mobile(effector: Effector) -> str | None:
    try:
        return parse_mobile_phone(effector.phone)
    except ValueError:
        return None


async def _send(
    session: AsyncSession, settings: Settings, effector: Effector, found: Invitation
) -> EffectorInvitation:
    if found.emailed:
        return EffectorInvitation(effector.id, found.user_id, "email", found.expires_at)
    mobile = _mobile(effector)
    if mobile is None:
        raise BusinessRuleError(
            "Cet effecteur n'a ni adresse e-mail ni téléphone portable : complétez sa fiche.",
            ("path", "effector_id"),
        )
    await events.emit(
        session,
        EffectorInvitedBySms(
            effector.id, found.user_id, mobile, found.url, settings.invitation_days
        ),
    )
    return EffectorInvitation(effector.id, found.user_id, "sms", found.expires_at)


async def invite_effector(
    session: AsyncSession, actor: Actor, settings: Settings, effector_id: int
) -> EffectorInvitation:
    """Invite the GP of this entry (or send a new link when their account was never used)."""
    effector = await session.get(Effector, effector_id)
    if effector is None:
        raise NotFound("Effecteur introuvable.", ("path", "effector_id"))
    if not effector.active:
        raise BusinessRuleError(
            "Cet effecteur est désactivé : réactivez sa fiche avant de l'inviter.",
            ("path", "effector_id"),
        )
    if effector.user_id is not None:
        found = await resend_invitation(session, actor, settings, effector.user_id)
        return await _send(session, settings, effector, found)
    if not effector.email and _mobile(effector) is None:
        raise BusinessRuleError(
            "Cet effecteur n'a ni adresse e-mail ni téléphone portable : complétez sa fiche.",
            ("path", "effector_id"),
        )
    found = await invite_account(
        session,
        actor,
        settings,
        email=effector.email or _placeholder(effector),
        full_name=f"Dr {effector.given_name} {effector.family_name}",
        role=Role.EFFECTOR,
        placeholder_email=not effector.email,
    )
    await session.refresh(effector, ["user_id"])
    if effector.user_id is None:  # not linked by e-mail (none, or shared by several entries)
        await link_account(session, actor, effector.id, found.user_id)
    return await _send(session, settings, effector, found)


async def _bulk_candidates(session: AsyncSession) -> list[Effector]:
    rows = await session.scalars(
        select(Effector)
        .where(
            Effector.active.is_(True),
            Effector.user_id.is_(None),
            Effector.email.is_not(None),
            Effector.email != "",
        )
        .order_by(Effector.family_name, Effector.id)
    )
    found: list[Effector] = []
    seen: set[str] = set()
    for effector in rows:
        email = (effector.email or "").strip().lower()
        if email in seen or await find_account(session, email) is not None:
            continue
        seen.add(email)
        found.append(effector)
    return found


async def bulk_preview(session: AsyncSession) -> int:
    """How many entries the bulk invitation would invite now."""
    return len(await _bulk_candidates(session))


@dataclass(frozen=True, slots=True)
class BulkReport:
    invited: int
    refused: list[str]  # "Dr Name : reason", entries left out (an unusable e-mail...)


async def bulk_invite(session: AsyncSession, actor: Actor, settings: Settings) -> BulkReport:
    """Invite every entry of the preview by e-mail, each in its own savepoint: an entry refused
    (an unusable e-mail) is reported and leaves the others invited."""
    invited = 0
    refused: list[str] = []
    for effector in await _bulk_candidates(session):
        name = f"Dr {effector.given_name} {effector.family_name}"
        try:
            async with session.begin_nested():
                await invite_effector(session, actor, settings, effector.id)
        except DomainError as exc:
            refused.append(f"{name} : {exc.msg}")
            continue
        invited += 1
    return BulkReport(invited, refused)
