"""The SAS adapter's own tables: regulator accounts pushed by the platform (INT_R02), the
appointments taken by SAS regulators and the durable outbox of pushes to the platform (INT_R03).
Private to `sas`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base, UTCDateTime, utcnow


class SasPractitionerAccount(Base):
    """The link between a local account (role `sas_regulator`) and its SAS identifiers: the
    national id (IDNPS, stored as received: `8` + RPPS, `0` + ADELI or a prefixed form such as
    `3456780581/11242343`) and/or the SAS technical id (INTRN, a UUID); a later update may
    attach the national id to a technical-id account. `has_email` is false when the platform
    sent no e-mail (the local account then carries a placeholder address)."""

    __tablename__ = "sas_practitioner_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    national_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    technical_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    has_email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    family_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    given_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SasTermsAcceptance(Base):
    """A SAS regulator accepted a version of the editor's terms of use (`sas/terms.py`)."""

    __tablename__ = "sas_terms_acceptances"
    __table_args__ = (UniqueConstraint("user_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SasAppointment(Base):
    """An appointment booked by a SAS regulator, as reported to the platform.

    `identifier` is the value of `Appointment.identifier` at the platform: the first
    appointment's id, kept when the patient is rebooked into another slot (a reschedule is an
    update of the same platform appointment)."""

    __tablename__ = "sas_appointments"

    appointment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(36), index=True)
    # `Appointment.identifier.system` as first pushed, kept for every later PUT.
    identifier_system: Mapped[str | None] = mapped_column(String(300))
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The SAS regulator who booked it (kept when an operator rebooks the patient).
    booked_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    effector_national_id: Mapped[str] = mapped_column(String(12))
    operator_type: Mapped[str | None] = mapped_column(String(8))  # IDNPS or INTRN
    operator_value: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The slot was removed: the patient waits for another slot (a rebooking updates this row).
    awaiting_rebooking: Mapped[bool] = mapped_column(Boolean, default=False)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    # The platform refused it (4xx): kept, shown to coordinators, replayed on their demand;
    # later rows of the same appointment wait behind it (order is kept).
    REJECTED = "rejected"


class SasOutbox(Base):
    """One push to the platform (POST or conditional PUT of an Appointment), durable.

    Rows of one platform appointment (`identifier`) are sent strictly in `id` order: a row is
    claimed only when no earlier row of the same appointment is still waiting."""

    __tablename__ = "sas_outbox"
    __table_args__ = (
        Index("ix_sas_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_sas_outbox_identifier_id", "identifier", "id"),
        UniqueConstraint("identifier", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(36))
    sequence: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(4))  # POST or PUT
    payload: Mapped[str] = mapped_column(Text)  # the Appointment resource, JSON
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A POST whose outcome is unknown (timeout, crash) is retried as the conditional PUT,
    # which the platform applies idempotently: never two appointments for one booking.
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(String(300))
    # The platform's answer to a refused push (status line and body, truncated).
    last_response: Mapped[str | None] = mapped_column(Text)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
