"""The agenda's reactions to other packages' events (registered by the composition root)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda.service.account_links import link_by_email
from snp import events
from snp.auth import AccountCreated, Role


@events.on(AccountCreated)
async def link_new_effector_account(session: AsyncSession, event: AccountCreated) -> None:
    """A GP account created with the e-mail of their directory entry manages that agenda."""
    if event.role == Role.EFFECTOR.value:
        await link_by_email(session, event.user_id, event.email)
