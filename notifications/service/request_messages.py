"""The SMS sent about one request (to the patient, the practitioner, the referrer), with their
delivery state, for the front desk's request page. Each message shown is an audited read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.models import OutboxMessage
from notifications.schemas import MessageOut
from notifications.service.outbox import message_out
from snp import audit
from snp.actor import Actor

REQUEST_MESSAGES_LIMIT = 50


async def request_messages(
    session: AsyncSession, actor: Actor, request_id: int
) -> list[MessageOut]:
    """The request's SMS, newest first (at most 50)."""
    rows = list(
        await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.request_id == request_id)
            .order_by(OutboxMessage.id.desc())
            .limit(REQUEST_MESSAGES_LIMIT)
        )
    )
    await audit.read_many(session, actor, "sms", [m.id for m in rows])
    return [message_out(m) for m in rows]
