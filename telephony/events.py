"""Telephony's events: consoles hear of every change of the line (a call waiting, taken, ended,
a callback task, an operator's presence) and re-read the board. No number in a message."""

from __future__ import annotations

from dataclasses import dataclass

from snp.auth import Role
from snp.live import LiveMessage

STAFF = frozenset({Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR})


@dataclass(frozen=True, slots=True)
class CallWaiting:
    call_id: int

    def live_message(self) -> LiveMessage:
        return LiveMessage("voice.call_waiting", {"call_id": self.call_id}, STAFF)


@dataclass(frozen=True, slots=True)
class CallTaken:
    call_id: int
    operator_user_id: int

    def live_message(self) -> LiveMessage:
        data = {"call_id": self.call_id, "operator_user_id": self.operator_user_id}
        return LiveMessage("voice.call_taken", data, STAFF)


@dataclass(frozen=True, slots=True)
class CallEnded:
    call_id: int
    outcome: str | None
    request_id: int | None = None

    def live_message(self) -> LiveMessage:
        data = {"call_id": self.call_id, "outcome": self.outcome, "request_id": self.request_id}
        return LiveMessage("voice.call_ended", data, STAFF)


@dataclass(frozen=True, slots=True)
class CallbackTaskChanged:
    task_id: int
    state: str

    def live_message(self) -> LiveMessage:
        return LiveMessage("voice.task", {"task_id": self.task_id, "state": self.state}, STAFF)


@dataclass(frozen=True, slots=True)
class PresenceChanged:
    user_id: int
    state: str

    def live_message(self) -> LiveMessage:
        return LiveMessage("voice.presence", {"user_id": self.user_id, "state": self.state}, STAFF)
