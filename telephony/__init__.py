"""Telephony: the CPTS's phone line inside the platform (Twilio Voice, or a console backend for
demos). Inbound calls wait in a queue shown live on every console; an operator takes one
(exactly one operator per call); missed callers become callback tasks; « Rappeler » rings the
operator then bridges the patient and logs the attempt on the request.

Other packages (the indicators adapter, the patients' rights page) use only what is exported
here.
"""

from telephony.models import CallOutcome, Direction
from telephony.service.configuration import check_configuration as check_voice_configuration
from telephony.service.facts import CallFact, call_facts, missed_callback_delays
from telephony.service.patient_rights import (
    NumberCall,
    calls_of_numbers,
    count_calls_of_numbers,
    erase_numbers,
)
from telephony.service.presence import presence_hours

__all__ = [
    "CallFact",
    "CallOutcome",
    "Direction",
    "NumberCall",
    "call_facts",
    "calls_of_numbers",
    "check_voice_configuration",
    "count_calls_of_numbers",
    "erase_numbers",
    "missed_callback_delays",
    "presence_hours",
]
