"""Patients' SMS the platform does not understand are read by a person.

Each one becomes an operator alert (`needs_attention`) until someone acknowledges it, with the
red-flag words found in it (the reviewed word list of `regulation.scan_free_text`): those are
urgent, listed first, and their automatic answer (tell the patient to call the 15 in an
emergency) is never held back by the once-a-day limit of the help message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import regulation
from notifications.events import InboundNeedsAttention
from notifications.models import Audience, InboundMessage, OutboxMessage
from notifications.schemas import AlertPage, InboundAlertOut
from notifications.service import outbox, timing
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.identifiers import display_phone

ENTITY = "sms_inbound"


async def _latest_request_of(session: AsyncSession, phone: str) -> int | None:
    """The request this number was last texted about (our own outbox), if any."""
    found = await session.scalar(
        select(OutboxMessage.request_id)
        .where(
            OutboxMessage.recipient == phone,
            OutboxMessage.audience == Audience.PATIENT,
            OutboxMessage.request_id.is_not(None),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return int(found) if found is not None else None


async def not_understood(session: AsyncSession, inbound: InboundMessage, now: datetime) -> str:
    """Flag the message for the operators and answer the patient; returns the outcome."""
    flags = regulation.scan_free_text(inbound.body)
    inbound.needs_attention = True
    inbound.red_flag_words = ", ".join(f.label for f in flags)[:300] or None
    inbound.request_id = await _latest_request_of(session, inbound.sender)
    await session.flush()
    day = timing.paris_day(now).isoformat()
    await outbox.enqueue(
        session,
        # At most one help message a day per number (auto-replies must not ping-pong), but
        # every message with red-flag words gets its answer (call the 15).
        key=f"not_understood:{inbound.provider_sid}"
        if flags
        else f"not_understood:{inbound.sender}:{day}",
        to=inbound.sender,
        template="reponse_incomprise",
        audience=Audience.PATIENT,
    )
    await events.emit(
        session, InboundNeedsAttention(inbound.id, inbound.request_id, urgent=bool(flags))
    )
    return "not_understood_red_flag" if flags else "not_understood"


def alert_out(message: InboundMessage) -> InboundAlertOut:
    return InboundAlertOut(
        id=message.id,
        sender=message.sender,
        sender_display=display_phone(message.sender),
        body=message.body,
        received_at=message.received_at,
        red_flag_words=message.red_flag_words,
        urgent=message.red_flag_words is not None,
        request_id=message.request_id,
        acknowledged_at=message.acknowledged_at,
        acknowledged_by=message.acknowledged_by,
    )


async def list_inbound_alerts(
    session: AsyncSession, actor: Actor, *, include_acknowledged: bool = False, limit: int = 100
) -> tuple[list[InboundAlertOut], int]:
    """Messages not understood, urgent first, then newest first; each shown is traced."""
    query = select(InboundMessage).where(InboundMessage.needs_attention.is_(True))
    if not include_acknowledged:
        query = query.where(InboundMessage.acknowledged_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(
        await session.scalars(
            query.order_by(
                InboundMessage.red_flag_words.is_(None),
                InboundMessage.received_at.desc(),
                InboundMessage.id.desc(),
            ).limit(limit)
        )
    )
    await audit.read_many(session, actor, ENTITY, [m.id for m in rows])
    return [alert_out(m) for m in rows], int(total or 0)


async def acknowledge(session: AsyncSession, actor: Actor, inbound_id: int) -> InboundAlertOut:
    """Someone read the message and acted on it (called the patient back...)."""
    message = await session.get(InboundMessage, inbound_id)
    if message is None or not message.needs_attention:
        raise NotFound("Alerte introuvable.", loc=["path", "inbound_id"])
    if message.acknowledged_at is None:
        message.acknowledged_at = utcnow()
        message.acknowledged_by = actor.email
        await audit.changed(session, actor, ENTITY, message.id, ["acknowledged_at"])
        await session.flush()
    return alert_out(message)


async def all_alerts(
    session: AsyncSession, actor: Actor, *, include_acknowledged: bool = False
) -> AlertPage:
    """The operators' alerts: essential SMS that will not arrive, and patients' SMS not
    understood."""
    page = await outbox.list_alerts(session, actor, include_acknowledged=include_acknowledged)
    inbound, _ = await list_inbound_alerts(
        session, actor, include_acknowledged=include_acknowledged
    )
    return page.model_copy(update={"inbound": inbound})
