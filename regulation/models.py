"""Regulation requests, their timeline, call-back attempts and triage protocol versions.

Private to `regulation`: other packages use the service functions and schemas in `__init__`.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base, UTCDateTime, utcnow


class RequestStatus(StrEnum):
    RECEIVED = "received"  # not triaged yet (a referral, or a call being qualified)
    WAITING = "waiting"  # triaged, in the queue
    CLAIMED = "claimed"  # an operator or regulator is handling it
    ORIENTED = "oriented"  # a slot is booked (or an orientation given), consultation to come
    CLOSED = "closed"  # ended with an outcome
    REDIRECTED_15 = "redirected_15"  # red flag or decision: sent to the SAMU, never queued


OPEN_STATUSES = (
    RequestStatus.RECEIVED,
    RequestStatus.WAITING,
    RequestStatus.CLAIMED,
    RequestStatus.ORIENTED,
)
QUEUE_STATUSES = (RequestStatus.RECEIVED, RequestStatus.WAITING, RequestStatus.CLAIMED)
CLAIMABLE_STATUSES = (RequestStatus.RECEIVED, RequestStatus.WAITING)
# A closed request whose identity is still there (the retention job's partial index).
NOT_PSEUDONYMISED_SQL = "pseudonymised_at IS NULL AND closed_at IS NOT NULL"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNDETERMINED = "undetermined"


class Mobility(StrEnum):
    CAN_TRAVEL = "can_travel"
    NEEDS_HOME_VISIT = "needs_home_visit"


class Origin(StrEnum):
    PATIENT_CALL = "patient_call"
    PHARMACIST = "pharmacist"
    NURSE = "nurse"
    EMERGENCY_DEPARTMENT = "emergency_department"
    SAS = "sas"
    OTHER = "other"


class Priority(StrEnum):
    """French medical regulation scale: P0/P1 go to the 15 at once, P2 same day or 24 h, P3 48 h."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class Orientation(StrEnum):
    AMB = "AMB"  # consultation at the practice
    HH = "HH"  # home visit
    VR = "VR"  # teleconsultation
    PHARMACIST = "PHARMACIST"
    ADVICE = "ADVICE"  # a medical regulator's advice


class Outcome(StrEnum):
    SLOT_BOOKED = "slot_booked"
    MEDICAL_ADVICE = "medical_advice"
    REDIRECTED_15 = "redirected_15"
    TELECONSULTATION = "teleconsultation"
    PHARMACIST = "pharmacist"
    EMERGENCY_DEPARTMENT = "emergency_department"
    TRANSFERRED_REGULATOR = "transferred_regulator"
    UNREACHABLE = "unreachable"
    CANCELLED_BY_PATIENT = "cancelled_by_patient"
    NO_SLOT_FOUND = "no_slot_found"


class CallbackResult(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"


class Transfer15Mode(StrEnum):
    """How a red-flag call reached the 15 (SAMU)."""

    WARM_TRANSFER = "warm_transfer"  # the operator put the call through to the 15
    TOLD_TO_CALL_15 = "told_to_call_15"  # the patient was told to call the 15 at once


class AssignedTo(StrEnum):
    OPERATOR = "operator"
    REGULATOR = "regulator"


class ProtocolStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"  # by a physician other than its author; may then be published
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class RegulationRequest(Base):
    """One patient's request for unscheduled care, from intake to its outcome."""

    __tablename__ = "regulation_requests"
    __table_args__ = (
        Index("ix_regulation_requests_status_deadline_at", "status", "deadline_at"),
        Index("ix_regulation_requests_claimed_by_user_id_status", "claimed_by_user_id", "status"),
        # Finding a patient again (a call back): by number, by birth date (migration 0025).
        Index("ix_regulation_requests_phone", "phone"),
        Index("ix_regulation_requests_birth_date", "birth_date"),
        # The retention job: closed requests not pseudonymised yet, oldest first. Queries must
        # repeat NOT_PSEUDONYMISED_SQL literally for SQLite to use this partial index.
        Index(
            "ix_regulation_requests_closed_at_to_pseudonymise",
            "closed_at",
            "id",
            sqlite_where=text(NOT_PSEUDONYMISED_SQL),
            postgresql_where=text(NOT_PSEUDONYMISED_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.RECEIVED)
    assigned_to: Mapped[str] = mapped_column(String(16), default=AssignedTo.OPERATOR)

    # The patient.
    family_name: Mapped[str] = mapped_column(String(120))
    given_name: Mapped[str] = mapped_column(String(120))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16), default=Sex.UNDETERMINED)
    phone: Mapped[str] = mapped_column(String(20))  # E.164 mobile
    commune_insee: Mapped[str | None] = mapped_column(String(5))
    address_line: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    has_gp: Mapped[bool | None] = mapped_column(Boolean)
    gp_name: Mapped[str | None] = mapped_column(String(200))
    gp_rpps: Mapped[str | None] = mapped_column(String(11))
    mobility: Mapped[str] = mapped_column(String(20), default=Mobility.CAN_TRAVEL)
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False)

    # What for, and where from.
    motif: Mapped[str | None] = mapped_column(String(40))
    notes: Mapped[str | None] = mapped_column(String(2000))
    triage_answers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(32), default=Origin.PATIENT_CALL)
    referrer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    referrer_structure: Mapped[str | None] = mapped_column(String(200))
    # The referrer's mobile (E.164) for the outcome SMS (migration 0009, notifications').
    referrer_phone: Mapped[str | None] = mapped_column(String(20))
    # The red-flag answers the referrer gave on their form (question id -> yes/no), kept apart
    # from the operator's triage: shown pre-filled and marked, confirmed or changed (0033).
    referrer_answers: Mapped[dict[str, bool] | None] = mapped_column(JSON)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    # Triage.
    protocol_version: Mapped[int | None] = mapped_column(Integer)
    age_band: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[str | None] = mapped_column(String(2))
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    orientation: Mapped[str | None] = mapped_column(String(16))
    triage_rule: Mapped[str | None] = mapped_column(String(120))
    red_flag_id: Mapped[str | None] = mapped_column(String(60))
    red_flag_text: Mapped[str | None] = mapped_column(String(300))
    callback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # P3: agreed time
    # Sent back to triage (age, sex or motif changed, appointment cancelled): why. Cleared by
    # the next triage; until then no slot may be held or booked (migration 0013).
    retriage_reason: Mapped[str | None] = mapped_column(String(300))

    # A medical regulator's decision on a request the protocol sent to them (ADVICE).
    regulator_decision_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    regulator_decision_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    regulator_decision_by_name: Mapped[str | None] = mapped_column(String(254))
    regulator_note: Mapped[str | None] = mapped_column(String(2000))

    # A red flag: how the call reached the 15, when and by whom.
    transfer_15_mode: Mapped[str | None] = mapped_column(String(32))
    transfer_15_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    transfer_15_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    transfer_15_by_name: Mapped[str | None] = mapped_column(String(254))
    transfer_15_note: Mapped[str | None] = mapped_column(String(500))

    # Claim (one handler at a time; released when its console stops sending heartbeats).
    claimed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    claimed_by_name: Mapped[str | None] = mapped_column(String(200))
    claim_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Outcome.
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str | None] = mapped_column(String(2000))
    closed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    appointment_id: Mapped[str | None] = mapped_column(String(36))  # agenda's, no FK across

    # Booking journey: the slot held while the patient confirms on the phone (agenda's ids).
    hold_slot_id: Mapped[int | None] = mapped_column(Integer)
    hold_holder: Mapped[str | None] = mapped_column(String(100))
    hold_kind: Mapped[str | None] = mapped_column(String(3))
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Back in the queue ("à replanifier") after its appointment was cancelled or its slot removed.
    rebook_reason: Mapped[str | None] = mapped_column(String(300))
    rebook_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A freed slot this request fits: offered to it first (cleared once the slot is taken).
    offered_slot_id: Mapped[int | None] = mapped_column(Integer)

    # Every step.
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first claim
    oriented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consultation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Identity fields replaced after the retention period (`regulation.service.retention`).
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# ... and by the start of the family name, any case (`lower(family_name) LIKE 'dup%'`):
# `text_pattern_ops` lets PostgreSQL walk the index whatever the database's collation.
Index(
    "ix_regulation_requests_family_name_lower",
    func.lower(RegulationRequest.family_name).label("family_name_lower"),
    postgresql_ops={"family_name_lower": "text_pattern_ops"},
)


class RequestLogEntry(Base):
    """The request's history as the console shows it (steps, red flag, claims, outcome).

    Holds no patient identity; the audit trail separately records who read or changed what.
    """

    __tablename__ = "regulation_request_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("regulation_requests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(254))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class CallbackAttempt(Base):
    __tablename__ = "regulation_callback_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("regulation_requests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    operator_name: Mapped[str] = mapped_column(String(254))
    result: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(500))


class ProtocolVersion(Base):
    """A triage protocol document (YAML) as uploaded; one published version is in force."""

    __tablename__ = "regulation_protocol_versions"
    __table_args__ = (
        # At most one version in force, enforced by the database itself.
        Index(
            "uq_regulation_protocol_versions_published",
            "status",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[str] = mapped_column(String(16), default=ProtocolStatus.DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    yaml_text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(500))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Four eyes: a physician (regulator) other than the author approves, with a reason.
    approved_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_by_name: Mapped[str | None] = mapped_column(String(254))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approval_reason: Mapped[str | None] = mapped_column(String(1000))
    published_by_name: Mapped[str | None] = mapped_column(String(254))


class Redirect15(Base):
    """A call sent to the 15 (SAMU) on a red flag, recorded with only what is known of the
    patient: no identity field is required, the red flag and the time always are. Closed at
    once (never queued, never booked); the retention job pseudonymises it like a request."""

    __tablename__ = "redirects_15"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_name: Mapped[str | None] = mapped_column(String(120))
    given_name: Mapped[str | None] = mapped_column(String(120))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164 when given
    red_flag_id: Mapped[str] = mapped_column(String(60))
    red_flag_text: Mapped[str] = mapped_column(String(300))
    priority: Mapped[str] = mapped_column(String(2))
    protocol_version: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_by_name: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    pseudonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
