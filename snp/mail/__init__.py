"""Outgoing e-mail (accounts only: invitations, password links): a durable outbox written in the
caller's transaction and a sender with retries (`console://` by default, SMTP in production)."""

from snp.mail.models import MailMessage, MailStatus
from snp.mail.outbox import (
    DeliveryReport,
    Mail,
    deliver_due,
    pending_count,
    queue,
    queued_in,
    run_sender,
    wake_senders,
)
from snp.mail.transport import parse_url

__all__ = [
    "DeliveryReport",
    "Mail",
    "MailMessage",
    "MailStatus",
    "deliver_due",
    "parse_url",
    "pending_count",
    "queue",
    "queued_in",
    "run_sender",
    "wake_senders",
]
