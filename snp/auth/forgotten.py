"""« Mot de passe oublié »: a one-time link by e-mail, revealing nothing about who has an account.

Whatever the address, the caller gets the same answer after the same work: the request is
counted (`throttle.reserve_reset_request`, per e-mail and per IP address, whether or not an
account exists), the account looked up, and — only for an active account with a real e-mail — a
link is issued and the e-mail queued in the outbox (a few rows; the SMTP conversation happens
after the commit, in the sender, so it does not show in the answer time). The link expires after
`password_forgotten_minutes`, works once, and its use closes every open session of the account
(`reset.use_link`); it does not log the user in (a second factor, when enrolled, still applies).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from snp import mail
from snp.actor import Actor
from snp.auth import mail_texts, reset, service, throttle
from snp.auth.invitations import has_real_email
from snp.db import utcnow
from snp.settings import Settings

ANSWER = (
    "Si un compte actif correspond à cette adresse, un e-mail vient de lui être envoyé avec un "
    "lien pour choisir un nouveau mot de passe. Pensez à regarder dans vos courriers indésirables."
)


async def request_link(
    session: AsyncSession, settings: Settings, email: str, ip: str | None
) -> str:
    """Count the request (429 beyond the limits), send the link if an account matches; returns
    the one answer given to everybody."""
    address = service.normalise_email(email)
    await throttle.reserve_reset_request(session, settings, address, ip, utcnow())
    user = await service.get_user_by_email(session, address)
    if user is None or not user.active or not has_real_email(user.email):
        return ANSWER
    actor = Actor(None, "mot-de-passe-oublie", None, ip)
    link = await reset.issue_link(
        session,
        actor,
        settings,
        user_id=user.id,
        valid_for=timedelta(minutes=settings.password_forgotten_minutes),
    )
    await mail.queue(
        session, mail_texts.password_reset(user.email, user.full_name, link.url, link.expires_at)
    )
    return ANSWER
