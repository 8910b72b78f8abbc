"""Events regulation emits (in the transaction of the change) for other packages and consoles.

Each one is also a `snp.live.LiveEvent`: once committed, consoles of the staff (operators,
regulators, coordinators) receive `{"type": ..., "request_id": ..., ...}` (never the patient's
identity: consoles re-fetch what they show), and so does the referrer who sent the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from snp.auth import Role
from snp.live import LiveMessage

STAFF = frozenset({Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR})


def _message(kind: str, referrer_user_id: int | None, **data: Any) -> LiveMessage:
    users = frozenset({referrer_user_id}) if referrer_user_id is not None else frozenset()
    return LiveMessage(kind, data, STAFF, users)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class RequestReceived:
    request_id: int
    status: str
    origin: str
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.received",
            self.referrer_user_id,
            request_id=self.request_id,
            status=self.status,
            origin=self.origin,
        )


@dataclass(frozen=True, slots=True)
class RequestTriaged:
    request_id: int
    status: str
    priority: str
    deadline_at: datetime | None
    protocol_version: int
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.triaged",
            self.referrer_user_id,
            request_id=self.request_id,
            status=self.status,
            priority=self.priority,
            deadline_at=_iso(self.deadline_at),
            protocol_version=self.protocol_version,
        )


@dataclass(frozen=True, slots=True)
class RequestRedirected15:
    """A red flag (or a decision) sent the patient to the 15: never queued."""

    request_id: int
    priority: str
    red_flag_id: str | None
    protocol_version: int | None
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.redirected_15",
            self.referrer_user_id,
            request_id=self.request_id,
            status="redirected_15",
            priority=self.priority,
            red_flag_id=self.red_flag_id,
        )


@dataclass(frozen=True, slots=True)
class Redirect15Recorded:
    """A call sent to the 15 was recorded with only what is known (`redirects_15`, not a
    request). `request_id` is its key among the requests' facts (minus its id), so that the
    indicators count it as a request redirected to the 15."""

    redirect_id: int
    priority: str
    red_flag_id: str

    @property
    def request_id(self) -> int:
        return -self.redirect_id

    def live_message(self) -> LiveMessage:
        return _message(
            "redirect_15.recorded",
            None,
            redirect_id=self.redirect_id,
            priority=self.priority,
            red_flag_id=self.red_flag_id,
        )


@dataclass(frozen=True, slots=True)
class RequestClaimed:
    request_id: int
    user_id: int | None
    user_name: str
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.claimed",
            self.referrer_user_id,
            request_id=self.request_id,
            status="claimed",
            claimed_by_user_id=self.user_id,
            claimed_by_name=self.user_name,
        )


@dataclass(frozen=True, slots=True)
class RequestReleased:
    request_id: int
    status: str
    reason: str  # "released" (by hand), "stale" (console gone), "transferred"
    previous_user_id: int | None
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.released",
            self.referrer_user_id,
            request_id=self.request_id,
            status=self.status,
            reason=self.reason,
            previous_user_id=self.previous_user_id,
        )


@dataclass(frozen=True, slots=True)
class RequestTransferred:
    request_id: int
    assigned_to: str
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.transferred",
            self.referrer_user_id,
            request_id=self.request_id,
            status="waiting",
            assigned_to=self.assigned_to,
        )


@dataclass(frozen=True, slots=True)
class RequestUpdated:
    request_id: int
    fields: tuple[str, ...]
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.updated",
            self.referrer_user_id,
            request_id=self.request_id,
            fields=list(self.fields),
        )


@dataclass(frozen=True, slots=True)
class RequestOriented:
    request_id: int
    orientation: str
    consultation_at: datetime | None
    appointment_id: str | None
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.oriented",
            self.referrer_user_id,
            request_id=self.request_id,
            status="oriented",
            orientation=self.orientation,
            consultation_at=_iso(self.consultation_at),
        )


@dataclass(frozen=True, slots=True)
class RequestClosed:
    request_id: int
    status: str
    outcome: str
    referrer_user_id: int | None
    automatic: bool = False  # closed by the platform (abandoned request): nobody is texted

    def live_message(self) -> LiveMessage:
        return _message(
            "request.closed",
            self.referrer_user_id,
            request_id=self.request_id,
            status=self.status,
            outcome=self.outcome,
        )


@dataclass(frozen=True, slots=True)
class CallbackAttemptLogged:
    request_id: int
    result: str
    failed_attempts: int
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "request.callback_logged",
            {
                "request_id": self.request_id,
                "result": self.result,
                "failed_attempts": self.failed_attempts,
            },
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class ProtocolPublished:
    number: int

    def live_message(self) -> LiveMessage:
        return LiveMessage("protocol.published", {"number": self.number}, STAFF | {Role.REFERRER})


# -- matching and booking journey ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestBooked:
    """A slot was booked for the request (agenda emitted `SlotBooked` in the same transaction);
    the request is closed with outcome `slot_booked`. For notifications and indicators."""

    request_id: int
    appointment_id: str
    slot_id: int
    effector_id: int
    start_at: datetime
    kind: str
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.booked",
            self.referrer_user_id,
            request_id=self.request_id,
            appointment_id=self.appointment_id,
            start_at=_iso(self.start_at),
            consultation=self.kind,
        )


@dataclass(frozen=True, slots=True)
class RequestToRebook:
    """The request's appointment was cancelled (or its slot removed): back in the queue,
    flagged « à replanifier »."""

    request_id: int
    appointment_id: str
    cause: str  # "cancelled" or "slot_removed"
    cancelled_by: str | None
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return _message(
            "request.to_rebook",
            self.referrer_user_id,
            request_id=self.request_id,
            status="waiting",
            cause=self.cause,
        )


@dataclass(frozen=True, slots=True)
class FreedSlotOffered:
    """A booked slot became free again: these waiting requests fit it and are offered it first
    (in order)."""

    slot_id: int
    request_ids: tuple[int, ...]

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "slot.freed_offered",
            {"slot_id": self.slot_id, "request_ids": list(self.request_ids)},
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class RequestEscalated:
    """No slot fits the deadline: an escalation step was started. `effector_ids` are the
    effectors to solicit (the SMS broadcast with its `timeout_minutes` is notifications')."""

    request_id: int
    step: str  # "gp", "nearby", "cpts"
    effector_ids: tuple[int, ...]
    place: str
    timeout_minutes: int
    broadcast_id: int | None
    referrer_user_id: int | None

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "request.escalated",
            {
                "request_id": self.request_id,
                "step": self.step,
                "effectors": len(self.effector_ids),
                "broadcast_id": self.broadcast_id,
            },
            STAFF,
        )
