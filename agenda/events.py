"""Events the agenda emits (`snp.events.emit`), for regulation, notifications, indicators and
the live consoles. Frozen dataclasses carrying identifiers and times, never patient identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SlotBooked:
    """A hold was confirmed: the slot now carries a live appointment."""

    appointment_id: str
    slot_id: int
    effector_id: int
    site_id: int | None
    request_id: int | None
    start_at: datetime
    end_at: datetime
    kind: str
    origin: str


@dataclass(frozen=True, slots=True)
class AppointmentCancelled:
    """An appointment was cancelled; its slot is free again when still in the future."""

    appointment_id: str
    slot_id: int | None
    effector_id: int
    request_id: int | None
    start_at: datetime
    by: str
    reason: str
    slot_freed: bool


@dataclass(frozen=True, slots=True)
class AppointmentNeedsRebooking:
    """The slot of a booked appointment was removed or moved: the patient must be found another
    slot (the appointment is now `to_rebook`, back in the regulation queue)."""

    appointment_id: str
    request_id: int | None
    effector_id: int
    start_at: datetime
    reason: str
