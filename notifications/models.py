"""The SMS outbox, opt-outs, inbound SMS and broadcasts. Private to `notifications`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base, UTCDateTime, utcnow


class MessageStatus(StrEnum):
    QUEUED = "queued"  # waiting for `next_attempt_at` (first send, or a retry)
    SENDING = "sending"  # claimed by a dispatcher until `next_attempt_at` (the lease)
    SENT = "sent"  # accepted by the provider (`provider_sid` known)
    DELIVERED = "delivered"  # the provider confirmed delivery to the handset
    FAILED = "failed"  # given up: retries exhausted, or a provider/configuration error
    UNDELIVERABLE = "undeliverable"  # the recipient cannot receive it (bad number, opted out)
    SUPPRESSED = "suppressed"  # not sent on purpose (opt-out of a reminder, expired, cancelled)


FINAL_FAILURES = (MessageStatus.FAILED, MessageStatus.UNDELIVERABLE)


class Audience(StrEnum):
    PATIENT = "patient"
    EFFECTOR = "effector"
    REFERRER = "referrer"


class OutboxMessage(Base):
    """One SMS to one recipient, written in the transaction of the change that caused it."""

    __tablename__ = "sms_outbox"
    __table_args__ = (
        Index("ix_sms_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_sms_outbox_recipient_appointment_start_at", "recipient", "appointment_start_at"),
        Index("ix_sms_outbox_request_id", "request_id"),  # retention finds a request's SMS
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Event + recipient: enqueueing the same notification twice inserts one row.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(20))  # E.164
    audience: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    # Essential messages are sent even to numbers that answered STOP (see `inbound`).
    essential: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(16), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Queued: when it may be sent. Sending: when the claim's lease ends.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # not sent after this
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A previous attempt may have reached the provider (lease expired, timeout): ask the
    # provider before sending again.
    in_doubt: Mapped[bool] = mapped_column(Boolean, default=False)
    provider: Mapped[str | None] = mapped_column(String(16))
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(String(300))
    # What it is about (identifiers only; no cross-package foreign keys).
    appointment_id: Mapped[str | None] = mapped_column(String(36), index=True)
    appointment_start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    request_id: Mapped[int | None] = mapped_column(Integer)
    effector_id: Mapped[int | None] = mapped_column(Integer)
    broadcast_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An undeliverable essential message is an alert until someone acknowledges it.
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(254))


class OptOut(Base):
    """A number that answered STOP: non-essential messages are no longer sent to it."""

    __tablename__ = "sms_opt_outs"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    keyword: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboundMessage(Base):
    """An SMS received (a reply). The provider's id makes webhook retries harmless."""

    __tablename__ = "sms_inbound"
    __table_args__ = (
        Index("ix_sms_inbound_needs_attention_received_at", "needs_attention", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(String(480))
    keyword: Mapped[str | None] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Not understood: an alert for the operators until someone acknowledges it (migration
    # 0013), with the red-flag words found in it and the request the number was texted about.
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    red_flag_words: Mapped[str | None] = mapped_column(String(300))
    request_id: Mapped[int | None] = mapped_column(Integer)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(254))


class BroadcastStatus(StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    CLOSED = "closed"  # expired or withdrawn without a taker


class Broadcast(Base):
    """A patient without a fitting slot offered to several effectors: first valid OUI wins."""

    __tablename__ = "sms_broadcasts"
    __table_args__ = (
        # A code designates one open broadcast at a time.
        Index(
            "uq_sms_broadcasts_open_code",
            "code",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), index=True)
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    place: Mapped[str] = mapped_column(String(120))
    step: Mapped[str | None] = mapped_column(String(16))  # regulation's escalation step
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.OPEN)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    winner_effector_id: Mapped[int | None] = mapped_column(Integer)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The appointment booked for the winner (at the time they gave, or their next free slot).
    appointment_id: Mapped[str | None] = mapped_column(String(36))
    appointment_start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BroadcastTarget(Base):
    """One effector a broadcast was sent to, and their answer."""

    __tablename__ = "sms_broadcast_targets"
    __table_args__ = (UniqueConstraint("broadcast_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("sms_broadcasts.id", ondelete="CASCADE"), index=True
    )
    effector_id: Mapped[int] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(16))  # won / late


class Survey(Base):
    """A satisfaction survey sent after a fulfilled consultation: one per appointment, the
    patient's first digit 1-5 from that number before `expires_at` is the score."""

    __tablename__ = "sms_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[str] = mapped_column(String(36), unique=True)
    request_id: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
