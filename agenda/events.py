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


@dataclass(frozen=True, slots=True)
class AppointmentOutcomeRecorded:
    """The consultation log: what became of a booked appointment (recorded by the effector,
    an operator or a coordinator; a later correction emits the event again).

    `outcome` is `fulfilled` or `noshow`; `after_care` is `emergency` (sent on to the emergency
    department), `hospitalised` or None."""

    appointment_id: str
    effector_id: int
    request_id: int | None
    start_at: datetime
    origin: str
    outcome: str
    after_care: str | None
    recorded_by_user_id: int | None
    recorded_at: datetime | None = None  # never before `start_at` (refused by the agenda)


@dataclass(frozen=True, slots=True)
class SlotState:
    """One slot as the supply figures count it (no patient, nothing free-text)."""

    slot_id: int
    start_at: datetime
    end_at: datetime
    commune_insee: str  # the INSEE code of the slot's site
    status: str  # free, held or booked
    kinds: tuple[str, ...]  # AMB, HH, VR
    shared_with_sas: bool
    source: str  # manual, template (a weekly recurring availability), ics, other


@dataclass(frozen=True, slots=True)
class SlotsChanged:
    """Slots of one effector were published, changed or removed, whichever the path: one by one
    (`created`, `changed`, `removed`), from a weekly recurring availability (`generated`), from a
    calendar import (`imported`), or removed in bulk by an absence, a pattern change or a
    calendar that dropped them (`removed`).

    `before` holds the states that went away (a removed slot, a moved slot's old place), `after`
    the states that came (a new slot, a moved slot's new place): the supply figures move by
    `after - before`. Bookings and cancellations are told by `SlotBooked` and
    `AppointmentCancelled`."""

    effector_id: int
    cause: str  # created, generated, imported, changed, removed
    before: tuple[SlotState, ...] = ()
    after: tuple[SlotState, ...] = ()


@dataclass(frozen=True, slots=True)
class AppointmentMoved:
    """A booked appointment was moved to another free slot of the same effector: same
    appointment, patient and request; the old slot is free again when still in the future.

    `by` is who moved it (`effector`, `operator`, `regulator`, `coordinator`); `kind` is the
    appointment's consultation kind (unchanged by the move)."""

    appointment_id: str
    request_id: int | None
    effector_id: int
    kind: str
    origin: str
    by: str
    reason: str
    from_slot_id: int | None
    from_site_id: int | None
    from_start_at: datetime
    from_end_at: datetime
    to_slot_id: int
    to_site_id: int
    to_start_at: datetime
    to_end_at: datetime
    old_slot_freed: bool
    moved_by_user_id: int | None = None


@dataclass(frozen=True, slots=True)
class EffectorInvitedBySms:
    """A GP with a mobile and no e-mail was invited: `url` is their one-time activation link
    (sent by notifications; not a live event: it never reaches the consoles)."""

    effector_id: int
    user_id: int
    mobile: str
    url: str
    valid_days: int
