"""Calls, operators' presence and callback tasks. Private to `telephony`.

No cross-package foreign keys: a call names the request it became and the operator who took it
by their identifiers only.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from snp.db import Base, UTCDateTime


class Direction(StrEnum):
    INBOUND = "inbound"  # a patient (or a referrer) calls the CPTS number
    CALLBACK = "callback"  # "Rappeler": the operator's phone first, then the patient


class CallState(StrEnum):
    WAITING = "waiting"  # in the queue (or ringing the operator's phone for a call-back)
    CONNECTED = "connected"  # taken: put through to the operator (or their conversation)
    ENDED = "ended"


class CallOutcome(StrEnum):
    REQUEST_CREATED = "request_created"
    REQUEST_LINKED = "request_linked"
    ADVICE_ONLY = "advice_only"
    WRONG_NUMBER = "wrong_number"
    ABANDONED = "abandoned"  # hung up while waiting
    NO_OPERATOR = "no_operator"  # nobody on duty: told to call again, call-back task
    OUT_OF_HOURS = "out_of_hours"
    # Call-backs ("Rappeler"): the patient's side of the bridge.
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    BUSY = "busy"


# Outcomes an operator chooses after a conversation (the others are set by the line).
OPERATOR_OUTCOMES = (
    CallOutcome.REQUEST_CREATED,
    CallOutcome.REQUEST_LINKED,
    CallOutcome.ADVICE_ONLY,
    CallOutcome.WRONG_NUMBER,
)
MISSED_OUTCOMES = (CallOutcome.ABANDONED, CallOutcome.NO_OPERATOR, CallOutcome.OUT_OF_HOURS)


class PhoneCall(Base):
    __tablename__ = "phone_calls"
    __table_args__ = (
        Index("ix_phone_calls_state_arrived_at", "state", "arrived_at"),
        Index("ix_phone_calls_from_number_arrived_at", "from_number", "arrived_at"),
        Index("ix_phone_calls_arrived_at", "arrived_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sid: Mapped[str] = mapped_column(String(64), unique=True)  # the provider's call id
    direction: Mapped[str] = mapped_column(String(16), default=Direction.INBOUND)
    # The caller (inbound) or the patient called back: kept for the call-back, masked in lists.
    from_number: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default=CallState.WAITING)
    arrived_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    wait_seconds: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    operator_user_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(24))
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    callback_task_id: Mapped[int | None] = mapped_column(Integer, index=True)


class PresenceState(StrEnum):
    AVAILABLE = "available"
    ON_CALL = "on_call"
    WRAP_UP = "wrap_up"
    AWAY = "away"


class OperatorPresence(Base):
    """Each operator's current presence and the phone the platform rings for them."""

    __tablename__ = "operator_presence"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default=PresenceState.AWAY)
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    # Wrap-up ends on its own at this time (available again).
    wrap_up_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Desk phone or mobile (E.164) or a SIP address (`sip:poste1@cpts.sip.twilio.com`).
    phone: Mapped[str | None] = mapped_column(String(200))
    # Since when the operator has had no call (the longest-idle is offered the next call).
    idle_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The operator's console last said it was there (presence change or live heartbeat).
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PresenceSpan(Base):
    """History of presence: one row per period in one state (for the operator hours)."""

    __tablename__ = "operator_presence_spans"
    __table_args__ = (Index("ix_operator_presence_spans_started_at", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TaskState(StrEnum):
    OPEN = "open"
    DONE = "done"


class CallbackTask(Base):
    """A missed caller to call back: one task per number while open (grouped within minutes)."""

    __tablename__ = "call_callback_tasks"
    __table_args__ = (
        Index("ix_call_callback_tasks_state_first_call_at", "state", "first_call_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_number: Mapped[str] = mapped_column(String(32), index=True)
    reason: Mapped[str] = mapped_column(String(24))  # the CallOutcome of the first missed call
    state: Mapped[str] = mapped_column(String(16), default=TaskState.OPEN)
    first_call_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_call_at: Mapped[datetime] = mapped_column(UTCDateTime)
    calls: Mapped[int] = mapped_column(Integer, default=1)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_user_id: Mapped[int | None] = mapped_column(Integer)
    # Delay between the first missed call and the call-back (reached or the task closed).
    request_id: Mapped[int | None] = mapped_column(Integer)
