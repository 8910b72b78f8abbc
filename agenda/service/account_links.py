"""Which account manages which effector's agenda (`Effector.user_id`).

A GP account created with the e-mail of a directory entry is linked to it at once (the handler
of `AccountCreated`, whoever creates the account: API, CLI, demo); the coordination links and
unlinks existing accounts. Every change is audited on the effector.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from snp import audit
from snp.actor import Actor
from snp.auth import Role, get_account
from snp.errors import BusinessRuleError, Conflict, NotFound


@dataclass(frozen=True, slots=True)
class AccountLink:
    user_id: int
    effector_id: int
    effector_name: str


def _name(effector: Effector) -> str:
    return f"{effector.given_name} {effector.family_name}"


async def link_by_email(session: AsyncSession, user_id: int, email: str) -> Effector | None:
    """Link the new effector account `user_id` to the one unlinked directory entry with its
    e-mail (none when no entry, or several, carry it: the coordination then links by hand)."""
    candidates = list(
        await session.scalars(
            select(Effector)
            .where(func.lower(Effector.email) == email.strip().lower())
            .where(Effector.user_id.is_(None))
            .limit(2)
        )
    )
    if len(candidates) != 1:
        return None
    effector = candidates[0]
    effector.user_id = user_id
    await session.flush()
    await audit.changed(session, Actor.system("account-link"), "effector", effector.id, ["user_id"])
    return effector


async def _effector(session: AsyncSession, effector_id: int) -> Effector:
    effector = await session.get(Effector, effector_id)
    if effector is None:
        raise NotFound("Effecteur introuvable.", ("path", "effector_id"))
    return effector


async def link_account(
    session: AsyncSession, actor: Actor, effector_id: int, user_id: int
) -> AccountLink:
    """Let the account `user_id` (an effector account, linked to no other entry) manage the
    agenda of `effector_id` (linked to no other account)."""
    effector = await _effector(session, effector_id)
    account = await get_account(session, user_id)
    if account is None:
        raise NotFound("Compte introuvable.", ("body", "user_id"))
    if account.role != Role.EFFECTOR.value:
        raise BusinessRuleError(
            "Seul un compte « Effecteur (médecin) » peut être rattaché à un effecteur.",
            ("body", "user_id"),
        )
    if effector.user_id == user_id:
        return AccountLink(user_id, effector.id, _name(effector))
    if effector.user_id is not None:
        raise Conflict(
            "Cet effecteur est déjà rattaché à un autre compte : détachez-le d'abord.",
            ("path", "effector_id"),
        )
    other = await session.scalar(select(Effector).where(Effector.user_id == user_id))
    if other is not None:
        raise Conflict(
            f"Ce compte est déjà rattaché à {_name(other)} : détachez-le d'abord.",
            ("body", "user_id"),
        )
    effector.user_id = user_id
    await session.flush()
    await audit.changed(session, actor, "effector", effector.id, ["user_id"])
    return AccountLink(user_id, effector.id, _name(effector))


async def unlink_account(session: AsyncSession, actor: Actor, effector_id: int) -> None:
    """The effector's agenda is no longer managed by any account (idempotent)."""
    effector = await _effector(session, effector_id)
    if effector.user_id is None:
        return
    effector.user_id = None
    await session.flush()
    await audit.changed(session, actor, "effector", effector.id, ["user_id"])


@dataclass(frozen=True, slots=True)
class LinkCandidate:
    effector_id: int
    name: str
    email: str | None


async def list_link_candidates(
    session: AsyncSession, search: str | None = None, limit: int = 50
) -> list[LinkCandidate]:
    """Active directory entries no account manages yet (by name), found by name or e-mail: the
    entries a coordinator creates or links a GP account for."""
    query = select(Effector).where(Effector.user_id.is_(None), Effector.active.is_(True))
    text = (search or "").strip().lower()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Effector.family_name).like(pattern, escape="\\"),
                func.lower(Effector.given_name).like(pattern, escape="\\"),
                func.lower(Effector.email).like(pattern, escape="\\"),
            )
        )
    rows = await session.scalars(
        query.order_by(Effector.family_name, Effector.given_name, Effector.id).limit(limit)
    )
    return [LinkCandidate(e.id, _name(e), e.email) for e in rows]


async def list_account_links(session: AsyncSession) -> list[AccountLink]:
    rows = await session.scalars(
        select(Effector).where(Effector.user_id.is_not(None)).order_by(Effector.family_name)
    )
    return [AccountLink(e.user_id, e.id, _name(e)) for e in rows if e.user_id is not None]
