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
from notifications.models import Audience
from notifications.schemas import AlertOut, BroadcastOut, MessageOut
from notifications.service.broadcast import get_broadcast, list_broadcasts, start_broadcast
from notifications.service.configuration import check_configuration
from notifications.service.outbox import About, enqueue, list_alerts
from notifications.service.patient_rights import (
    OptOutRecord,
    PatientSms,
    ReceivedSms,
    SentSms,
    SurveyAnswer,
    erase_patient_sms,
    patient_sms,
)
from notifications.service.sources import Contact, PatientContact, use_contact_source
from notifications.service.templates import TemplateError
from notifications.service.templates import cached as load_templates

__all__ = [
    "About",
    "AlertOut",
    "Audience",
    "BroadcastAccepted",
    "BroadcastAnsweredLate",
    "BroadcastOut",
    "BroadcastStarted",
    "Contact",
    "InboundNeedsAttention",
    "MessageOut",
    "MessageUndeliverable",
    "OptOutRecord",
    "PatientCancelledBySms",
    "PatientContact",
    "PatientSms",
    "ReceivedSms",
    "SatisfactionRecorded",
    "SentSms",
    "SurveyAnswer",
    "TemplateError",
    "check_configuration",
    "close_sms_backends",
    "enqueue",
    "erase_patient_sms",
    "get_broadcast",
    "list_alerts",
    "list_broadcasts",
    "load_templates",
    "patient_sms",
    "start_broadcast",
    "use_contact_source",
]
