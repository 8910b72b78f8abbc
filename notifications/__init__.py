"""SMS notifications: a durable outbox, a dispatcher with retries, Twilio and console backends,
templates the coordinator adapts, replies (STOP, ANNULER, OUI <code>) and broadcasts.

Other packages use only what is exported here. Reactions to the agenda's and regulation's events
(bookings, escalation steps, closed referrals, honoured consultations) are registered by
`notifications.handlers` (imported by the composition root). `SatisfactionRecorded` is emitted
when a patient answers the satisfaction survey (for the indicators).
"""

from notifications.backends import close_shared as close_sms_backends
from notifications.events import (
    BroadcastAccepted,
    BroadcastAnsweredLate,
    BroadcastStarted,
    InboundNeedsAttention,
    MessageUndeliverable,
    PatientCancelledBySms,
    SatisfactionRecorded,
)
from notifications.service.broadcast import start_broadcast
from notifications.service.configuration import check_configuration
from notifications.service.outbox import About, enqueue
from notifications.service.patient_rights import PatientSms, erase_patient_sms, patient_sms

__all__ = [
    "About",
    "BroadcastAccepted",
    "BroadcastAnsweredLate",
    "BroadcastStarted",
    "InboundNeedsAttention",
    "MessageUndeliverable",
    "PatientCancelledBySms",
    "PatientSms",
    "SatisfactionRecorded",
    "check_configuration",
    "close_sms_backends",
    "enqueue",
    "erase_patient_sms",
    "patient_sms",
    "start_broadcast",
]
