"""« Mot de passe oublié » for SAS regulators.

Their accounts are created by the platform with a random password. Until the platform sends
reset links by e-mail itself, a regulator asks here: the answer is the same whether or not an
account matches (nothing reveals who has one); when an active SAS regulator account with a
real e-mail matches, a request is recorded (one per account) and shown to the coordinators on
the « Lien SAS » page, who issue the usual one-time reset link (`snp.auth.reset`) and send it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from sas.models import SasPasswordRequest, SasPractitionerAccount
from snp import audit
from snp.actor import Actor
from snp.auth import ResetLink, Role, find_account, get_account, issue_reset_link
from snp.db import utcnow
from snp.errors import NotFound
from snp.settings import Settings

ANSWER = (
    "Si un compte régulateur SAS actif correspond à cette adresse, la coordination de la CPTS "
    "vous enverra un lien pour choisir un nouveau mot de passe."
)
SYSTEM = Actor.system("sas.mot-de-passe-oublie")


@dataclass(frozen=True, slots=True)
class PasswordRequest:
    user_id: int
    full_name: str
    email: str
    requested_at: datetime


async def request_reset(session: AsyncSession, email: str, ip: str | None) -> None:
    """Record a request when an active SAS regulator has this e-mail; say nothing either way."""
    user = await find_account(session, email)
    if user is None or not user.active or user.role != Role.SAS_REGULATOR.value:
        return
    account = await session.scalar(
        select(SasPractitionerAccount).where(SasPractitionerAccount.user_id == user.id)
    )
    if account is not None and not account.has_email:
        return
    existing = await session.get(SasPasswordRequest, user.id)
    if existing is None:
        session.add(SasPasswordRequest(user_id=user.id, requested_at=utcnow()))
    else:
        existing.requested_at = utcnow()
    actor = Actor(SYSTEM.user_id, SYSTEM.email, None, ip)
    await audit.record(session, actor, "password_request", "user", user.id)


async def list_requests(session: AsyncSession) -> list[PasswordRequest]:
    rows = await session.scalars(
        select(SasPasswordRequest).order_by(SasPasswordRequest.requested_at).limit(200)
    )
    found: list[PasswordRequest] = []
    for row in list(rows):
        account = await get_account(session, row.user_id)
        if account is not None:
            found.append(
                PasswordRequest(row.user_id, account.full_name, account.email, row.requested_at)
            )
    return found


async def answer_request(
    session: AsyncSession, actor: Actor, settings: Settings, user_id: int
) -> ResetLink:
    """The coordinator answers: a one-time reset link for them to send; the request is closed."""
    if await session.get(SasPasswordRequest, user_id) is None:
        raise NotFound("Demande introuvable (déjà traitée ?).", ("path", "user_id"))
    link = await issue_reset_link(session, actor, settings, user_id=user_id)
    await session.execute(delete(SasPasswordRequest).where(SasPasswordRequest.user_id == user_id))
    return link
