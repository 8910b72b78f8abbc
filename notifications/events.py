"""Events notifications emits (in the transaction of the change), heard by the live consoles.

They carry identifiers, never a phone number or a message text: consoles re-fetch what they show
(`GET /api/notifications/alerts`, `GET /api/notifications/broadcasts/{id}`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from snp.auth import Role
from snp.live import LiveMessage

STAFF = frozenset({Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR})


@dataclass(frozen=True, slots=True)
class MessageUndeliverable:
    """An essential SMS will not reach its recipient: someone must phone them."""

    message_id: int
    status: str  # failed / undeliverable
    audience: str
    template: str
    appointment_id: str | None
    request_id: int | None
    effector_id: int | None
    error_code: str | None

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "notification.undeliverable",
            {
                "message_id": self.message_id,
                "status": self.status,
                "audience": self.audience,
                "template": self.template,
                "appointment_id": self.appointment_id,
                "request_id": self.request_id,
                "effector_id": self.effector_id,
            },
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class PatientCancelledBySms:
    """A patient answered ANNULER: their appointment is cancelled (agenda emitted
    `AppointmentCancelled` too); the operators may want to call back."""

    appointment_id: str
    request_id: int | None
    effector_id: int | None

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "notification.patient_cancelled",
            {
                "appointment_id": self.appointment_id,
                "request_id": self.request_id,
                "effector_id": self.effector_id,
            },
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class BroadcastStarted:
    broadcast_id: int
    request_id: int | None
    targets: int

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "broadcast.started",
            {
                "broadcast_id": self.broadcast_id,
                "request_id": self.request_id,
                "targets": self.targets,
            },
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class BroadcastAccepted:
    """The first valid `OUI <code>`: the patient goes to this effector (regulation books)."""

    broadcast_id: int
    request_id: int | None
    effector_id: int
    appointment_id: str | None = None  # booked at once (time given, or a free slot today)

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "broadcast.accepted",
            {
                "broadcast_id": self.broadcast_id,
                "request_id": self.request_id,
                "effector_id": self.effector_id,
                "appointment_id": self.appointment_id,
            },
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class BroadcastAnsweredLate:
    broadcast_id: int
    request_id: int | None
    effector_id: int

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "broadcast.answered_late",
            {
                "broadcast_id": self.broadcast_id,
                "request_id": self.request_id,
                "effector_id": self.effector_id,
            },
            STAFF,
        )


@dataclass(frozen=True, slots=True)
class SatisfactionRecorded:
    """A patient answered the satisfaction survey of a fulfilled consultation (1 to 5).

    For the indicators (patient satisfaction); carries no phone number."""

    appointment_id: str
    request_id: int | None
    score: int
    at: datetime

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "notification.satisfaction",
            {"appointment_id": self.appointment_id, "score": self.score},
            frozenset({Role.COORDINATOR}),
        )


@dataclass(frozen=True, slots=True)
class InboundNeedsAttention:
    """A patient's SMS was not understood: shown to the operators as an alert (`urgent` when
    it holds red-flag words). Carries no number and no text."""

    inbound_id: int
    request_id: int | None
    urgent: bool

    def live_message(self) -> LiveMessage:
        return LiveMessage(
            "notification.inbound_alert",
            {"inbound_id": self.inbound_id, "request_id": self.request_id, "urgent": self.urgent},
            STAFF,
        )
