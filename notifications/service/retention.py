"""Retention: SMS rows about requests regulation pseudonymised lose their rendered text and,
for patients, their number; satisfaction surveys keep their score, not the number
(`regulation.RequestsPseudonymised`, handled in `notifications.handlers` within the retention
job's transaction). Messages still waiting to be sent are left alone (a request closed more than
a year ago has none). SMS tied to no request (received ones, auto-replies) are blanked by age
(`pseudonymise_unlinked`, job `notifications.pseudonymise_unlinked`). Opt-out numbers (STOP)
are kept: they are what honours the objection."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, case, cast, literal, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.models import Audience, InboundMessage, MessageStatus, OutboxMessage, Survey

PSEUDONYMISED_BODY = "[SMS effacé : données pseudonymisées]"
PSEUDONYMISED_RECIPIENT = "+33000000000"
_PENDING = (MessageStatus.QUEUED.value, MessageStatus.SENDING.value)
_PERSONAL_AUDIENCES = (Audience.PATIENT.value, Audience.REFERRER.value)


async def pseudonymise_messages(
    session: AsyncSession, request_ids: tuple[int, ...], appointment_ids: tuple[str, ...]
) -> int:
    """Blank the texts (and patients' and referrers' numbers) of the messages about these
    requests or their appointments; returns how many rows changed (0 the second time:
    idempotent)."""
    about = []
    if request_ids:
        about.append(OutboxMessage.request_id.in_(request_ids))
    if appointment_ids:
        about.append(OutboxMessage.appointment_id.in_(appointment_ids))
    if not about:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(
            or_(*about),
            OutboxMessage.status.not_in(_PENDING),
            OutboxMessage.body != PSEUDONYMISED_BODY,
        )
        .values(
            body=PSEUDONYMISED_BODY,
            # The key embeds the recipient's number; the row's id keeps it unique.
            idempotency_key=literal("pseudonymised:").concat(cast(OutboxMessage.id, String)),
            # The patient's and the referrer's numbers (the effector's is the directory's).
            recipient=case(
                (OutboxMessage.audience.in_(_PERSONAL_AUDIENCES), PSEUDONYMISED_RECIPIENT),
                else_=OutboxMessage.recipient,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    changed = int(result.rowcount or 0)  # type: ignore[attr-defined]
    # Satisfaction surveys keep their score, not the number it came from.
    surveys = []
    if request_ids:
        surveys.append(Survey.request_id.in_(request_ids))
    if appointment_ids:
        surveys.append(Survey.appointment_id.in_(appointment_ids))
    await session.execute(
        update(Survey)
        .where(or_(*surveys), Survey.phone != PSEUDONYMISED_RECIPIENT)
        .values(phone=PSEUDONYMISED_RECIPIENT)
        .execution_options(synchronize_session=False)
    )
    return changed


async def pseudonymise_unlinked(session: AsyncSession, *, before: datetime) -> int:
    """What no request's retention reaches, once older than `before`: SMS received (sender and
    text: they may be clinical) and sent messages tied to no request or appointment
    (auto-replies, broadcasts' texts). Returns how many rows changed (idempotent)."""
    sent = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.request_id.is_(None),
            OutboxMessage.appointment_id.is_(None),
            OutboxMessage.created_at < before,
            OutboxMessage.status.not_in(_PENDING),
            OutboxMessage.body != PSEUDONYMISED_BODY,
        )
        .values(
            body=PSEUDONYMISED_BODY,
            idempotency_key=literal("pseudonymised:").concat(cast(OutboxMessage.id, String)),
            recipient=case(
                (OutboxMessage.audience == Audience.PATIENT.value, PSEUDONYMISED_RECIPIENT),
                else_=OutboxMessage.recipient,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    received = await session.execute(
        update(InboundMessage)
        .where(InboundMessage.received_at < before, InboundMessage.body != PSEUDONYMISED_BODY)
        .values(sender=PSEUDONYMISED_RECIPIENT, body=PSEUDONYMISED_BODY)
        .execution_options(synchronize_session=False)
    )
    return int(sent.rowcount or 0) + int(received.rowcount or 0)  # type: ignore[attr-defined]
