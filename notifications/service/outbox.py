"""The durable outbox: SMS rows written in the caller's transaction, read by the dispatcher.

`enqueue` inserts with `ON CONFLICT (idempotency_key) DO NOTHING`, inside the transaction of the
change that causes the message: a committed booking always has its SMS rows, a rolled-back one
has none, and a handler run twice for the same event adds nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.events import MessageUndeliverable
from notifications.models import (
    FINAL_FAILURES,
    Audience,
    MessageStatus,
    OptOut,
    OutboxMessage,
)
from notifications.schemas import AlertOut, AlertPage, MessageOut, MessagePage
from notifications.service import templates as templates_module
from notifications.service.sms_length import measure
from notifications.service.templates import TemplateSet
from snp import audit, events
from snp.actor import Actor
from snp.db import dialect_insert, utcnow
from snp.errors import NotFound
from snp.identifiers import display_phone, parse_phone
from snp.kit import PageParams, count_rows
from snp.settings import Settings, settings_of

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class About:
    """What a message is about: identifiers only, to find it again (ANNULER, alerts)."""

    appointment_id: str | None = None
    appointment_start_at: datetime | None = None
    request_id: int | None = None
    effector_id: int | None = None
    broadcast_id: int | None = None


def current_templates(settings: Settings) -> TemplateSet:
    return templates_module.cached(settings.sms_templates_dir)


async def is_opted_out(session: AsyncSession, phone: str) -> bool:
    return (await session.get(OptOut, phone)) is not None


async def enqueue(
    session: AsyncSession,
    *,
    key: str,
    to: str,
    template: str,
    audience: Audience,
    values: Mapping[str, str] | None = None,
    essential: bool = True,
    send_at: datetime | None = None,
    expires_at: datetime | None = None,
    about: About | None = None,
    templates: TemplateSet | None = None,
) -> bool:
    """Add one SMS to the outbox in the caller's transaction; False when `key` was already
    there or the number is unusable (skipped, logged without the number).

    A non-essential message to a number that answered STOP is kept as `suppressed`."""
    try:
        recipient = parse_phone(to)
    except ValueError:
        log.warning("SMS %s skipped: unusable phone number", template)
        return False
    about = about or About()
    body = (templates or current_templates(settings_of(session))).render(template, values or {})
    now = utcnow()
    suppressed = not essential and await is_opted_out(session, recipient)
    insert = dialect_insert(session)
    result = await session.execute(
        insert(OutboxMessage)
        .values(
            idempotency_key=key[:200],
            recipient=recipient,
            audience=audience.value,
            template=template,
            body=body,
            essential=essential,
            status=(MessageStatus.SUPPRESSED if suppressed else MessageStatus.QUEUED).value,
            last_error="opted_out" if suppressed else None,
            attempts=0,
            next_attempt_at=send_at or now,
            expires_at=expires_at,
            in_doubt=False,
            appointment_id=about.appointment_id,
            appointment_start_at=about.appointment_start_at,
            request_id=about.request_id,
            effector_id=about.effector_id,
            broadcast_id=about.broadcast_id,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def suppress_pending(
    session: AsyncSession, appointment_id: str, templates: Sequence[str], reason: str
) -> int:
    """Withdraw the still-queued messages of `templates` about an appointment (a reminder of a
    cancelled appointment); returns how many."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.appointment_id == appointment_id,
            OutboxMessage.template.in_(list(templates)),
            OutboxMessage.status == MessageStatus.QUEUED,
        )
        .values(status=MessageStatus.SUPPRESSED.value, last_error=reason[:300])
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def patient_phone_of(session: AsyncSession, appointment_id: str) -> str | None:
    """The number we told about this appointment (its patient confirmation), if any."""
    return await session.scalar(
        select(OutboxMessage.recipient)
        .where(
            OutboxMessage.appointment_id == appointment_id,
            OutboxMessage.audience == Audience.PATIENT,
        )
        .order_by(OutboxMessage.id)
        .limit(1)
    )


async def upcoming_appointments_of(
    session: AsyncSession, phone: str, now: datetime
) -> list[tuple[str, int | None, int | None]]:
    """(appointment id, request id, effector id) of the future appointments this number was
    told about by SMS, soonest first."""
    rows = await session.execute(
        select(
            OutboxMessage.appointment_id,
            OutboxMessage.request_id,
            OutboxMessage.effector_id,
            func.min(OutboxMessage.appointment_start_at).label("start_at"),
        )
        .where(
            OutboxMessage.recipient == phone,
            OutboxMessage.audience == Audience.PATIENT,
            OutboxMessage.appointment_id.is_not(None),
            OutboxMessage.appointment_start_at > now,
        )
        .group_by(OutboxMessage.appointment_id, OutboxMessage.request_id, OutboxMessage.effector_id)
        .order_by("start_at")
    )
    return [(str(r.appointment_id), r.request_id, r.effector_id) for r in rows]


# --- Provider feedback (delivery callbacks) ----------------------------------------------------


def undeliverable_event(message: OutboxMessage) -> MessageUndeliverable:
    return MessageUndeliverable(
        message_id=message.id,
        status=message.status,
        audience=message.audience,
        template=message.template,
        appointment_id=message.appointment_id,
        request_id=message.request_id,
        effector_id=message.effector_id,
        error_code=message.error_code,
    )


async def emit_if_alert(session: AsyncSession, message_id: int) -> None:
    """Tell the consoles when an essential message ended in failure."""
    message = await session.get(OutboxMessage, message_id, populate_existing=True)
    if message is not None and message.essential and message.status in FINAL_FAILURES:
        await events.emit(session, undeliverable_event(message))


async def record_delivery_status(
    session: AsyncSession,
    *,
    provider_sid: str,
    status: MessageStatus,
    error_code: str | None = None,
    message_id: int | None = None,
) -> bool:
    """Apply a provider's delivery report (sent, delivered, failed, undeliverable).

    The message is found by its outbox id (given in the callback URL, so a report that beats
    the dispatcher's own record still lands) or by the provider's id. States only move forward.
    """
    now = utcnow()
    target = (
        OutboxMessage.id == message_id
        if message_id is not None
        else OutboxMessage.provider_sid == provider_sid
    )
    sid_matches = (OutboxMessage.provider_sid.is_(None)) | (
        OutboxMessage.provider_sid == provider_sid
    )
    values: dict[str, object] = {"provider_sid": provider_sid, "claim_token": None}
    if status == MessageStatus.SENT:
        allowed = [MessageStatus.SENDING]
        values.update(status=status.value, sent_at=now, in_doubt=False)
    elif status == MessageStatus.DELIVERED:
        allowed = [MessageStatus.SENDING, MessageStatus.SENT]
        values.update(status=status.value, delivered_at=now, in_doubt=False)
    elif status in FINAL_FAILURES:
        allowed = [MessageStatus.SENDING, MessageStatus.SENT]
        values.update(status=status.value, failed_at=now, error_code=error_code, in_doubt=False)
    else:
        return False
    row = (
        await session.execute(
            update(OutboxMessage)
            .where(target, sid_matches, OutboxMessage.status.in_([s.value for s in allowed]))
            .values(**values)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
    ).first()
    if row is None:
        return False
    if status in FINAL_FAILURES:
        await emit_if_alert(session, row.id)
    return True


# --- Reading (demo page, alerts) ---------------------------------------------------------------

_REASONS = {
    "21211": "Numéro invalide.",
    "21614": "Ce numéro n'est pas un portable.",
    "21610": "Le destinataire a refusé les SMS (STOP).",
    "21612": "Destination non desservie par le fournisseur SMS.",
    "21408": "Destination non autorisée chez le fournisseur SMS.",
    "30003": "Téléphone injoignable (éteint ou hors réseau).",
    "30004": "Message bloqué par le destinataire ou son opérateur.",
    "30005": "Numéro inconnu ou inactif.",
    "30006": "Numéro fixe ou opérateur non joignable par SMS.",
    "30007": "Message filtré par l'opérateur.",
    "30008": "Échec de distribution inconnu chez l'opérateur.",
    "timeout": "Le fournisseur SMS ne répond pas.",
    "network": "Fournisseur SMS injoignable.",
    "http_429": "Fournisseur SMS saturé.",
}


def error_label(message: OutboxMessage) -> str | None:
    if message.status == MessageStatus.SUPPRESSED:
        return {
            "opted_out": "Non envoyé : le destinataire a répondu STOP.",
            "expired": "Non envoyé : trop tard (rendez-vous passé).",
        }.get(message.last_error or "", "Non envoyé : rendez-vous annulé ou déplacé.")
    if message.status not in FINAL_FAILURES and message.error_code is None:
        return None
    code = message.error_code or ""
    if code in _REASONS:
        return _REASONS[code]
    if code.startswith("http_5"):
        return "Fournisseur SMS en panne."
    if message.status == MessageStatus.UNDELIVERABLE:
        return "SMS non distribuable à ce numéro."
    if message.status == MessageStatus.FAILED:
        return "Échec d'envoi (fournisseur ou configuration SMS)."
    return "Échec temporaire, nouvel essai prévu."


def message_out(message: OutboxMessage) -> MessageOut:
    length = measure(message.body)
    return MessageOut.model_validate(
        {
            "id": message.id,
            "created_at": message.created_at,
            "audience": message.audience,
            "recipient": message.recipient,
            "recipient_display": display_phone(message.recipient),
            "template": message.template,
            "body": message.body,
            "encoding": length.encoding,
            "segments": length.segments,
            "status": message.status,
            "essential": message.essential,
            "attempts": message.attempts,
            "next_attempt_at": message.next_attempt_at,
            "sent_at": message.sent_at,
            "delivered_at": message.delivered_at,
            "failed_at": message.failed_at,
            "provider": message.provider,
            "error_code": message.error_code,
            "error_label": error_label(message),
            "appointment_id": message.appointment_id,
            "appointment_start_at": message.appointment_start_at,
            "request_id": message.request_id,
            "effector_id": message.effector_id,
        }
    )


async def list_messages(
    session: AsyncSession,
    actor: Actor,
    *,
    status: str | None = None,
    audience: str | None = None,
    page: PageParams = PageParams(),
) -> MessagePage:
    """The outbox, newest first (the coordinator's demo page); every row shown is traced."""
    query = select(OutboxMessage)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    if audience is not None:
        query = query.where(OutboxMessage.audience == audience)
    total = await count_rows(session, query)
    rows = list(await session.scalars(page.apply(query.order_by(OutboxMessage.id.desc()))))
    await audit.read_many(session, actor, "sms", [m.id for m in rows])
    return MessagePage(
        items=[message_out(m) for m in rows], total=total, limit=page.limit, offset=page.offset
    )


def alert_out(message: OutboxMessage) -> AlertOut:
    return AlertOut.model_validate(
        {
            "id": message.id,
            "status": message.status,
            "audience": message.audience,
            "recipient": message.recipient,
            "recipient_display": display_phone(message.recipient),
            "template": message.template,
            "reason": error_label(message) or "Échec d'envoi.",
            "error_code": message.error_code,
            "appointment_id": message.appointment_id,
            "appointment_start_at": message.appointment_start_at,
            "request_id": message.request_id,
            "effector_id": message.effector_id,
            "created_at": message.created_at,
            "failed_at": message.failed_at,
            "acknowledged_at": message.acknowledged_at,
            "acknowledged_by": message.acknowledged_by,
        }
    )


async def list_alerts(
    session: AsyncSession, actor: Actor, *, include_acknowledged: bool = False, limit: int = 100
) -> AlertPage:
    """Essential SMS that failed for good, newest first: the people to phone instead."""
    query = select(OutboxMessage).where(
        OutboxMessage.essential.is_(True),
        OutboxMessage.status.in_([s.value for s in FINAL_FAILURES]),
    )
    if not include_acknowledged:
        query = query.where(OutboxMessage.acknowledged_at.is_(None))
    total = await count_rows(session, query)
    rows = list(await session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)))
    await audit.read_many(session, actor, "sms", [m.id for m in rows])
    return AlertPage(items=[alert_out(m) for m in rows], total=total)


async def acknowledge_alert(session: AsyncSession, actor: Actor, message_id: int) -> AlertOut:
    message = await session.get(OutboxMessage, message_id)
    if (
        message is None
        or not message.essential
        or message.status not in [s.value for s in FINAL_FAILURES]
    ):
        raise NotFound("Alerte introuvable.", loc=["path", "message_id"])
    if message.acknowledged_at is None:
        message.acknowledged_at = utcnow()
        message.acknowledged_by = actor.email
        await audit.changed(session, actor, "sms", message.id, ["acknowledged_at"])
        await session.flush()
    return alert_out(message)
