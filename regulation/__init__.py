"""Regulation: requests (intake, referrals), the triage protocol, the live queue and claims,
matching, the booking journey and the escalation ladder.

Other packages (SAS adapter, notifications, indicators) use only what is exported here.
"""

from regulation.events import (
    CallbackAttemptLogged,
    Redirect15Recorded,
    RequestBooked,
    RequestClaimed,
    RequestClosed,
    RequestEscalated,
    RequestOriented,
    RequestReceived,
    RequestRedirected15,
    RequestReleased,
    RequestToRebook,
    RequestTransferred,
    RequestTriaged,
    RequestUpdated,
)
from regulation.models import CallbackResult, Mobility, Orientation, Outcome, RequestStatus
from regulation.schemas import RequestOut
from regulation.schemas_booking import CandidatesOut
from regulation.schemas_rights import IdentityCorrection, RequestMatch, RequestRecord
from regulation.service.booking import get_contact
from regulation.service.closing import close_request, log_callback_attempt, mark_oriented
from regulation.service.facts import (
    RequestFacts,
    redirect_15_facts_page,
    request_facts,
    request_facts_page,
    request_identities,
)
from regulation.service.free_text import scan_free_text
from regulation.service.intake import get_request
from regulation.service.matching import propose_candidates
from regulation.service.patient_rights import (
    audit_search,
    comparable_name,
    erase_requests,
    find_requests,
    rectify_identity,
    request_records,
)
from regulation.service.phone_lookup import PhoneHistory, phone_histories
from regulation.service.retention import RequestsPseudonymised
from regulation.service.sas_booking import SasPatientIn, book_for_sas
from regulation.service.versions import ensure_default_protocol

__all__ = [
    "CallbackAttemptLogged",
    "CallbackResult",
    "CandidatesOut",
    "IdentityCorrection",
    "Mobility",
    "Orientation",
    "Outcome",
    "PhoneHistory",
    "Redirect15Recorded",
    "RequestBooked",
    "RequestClaimed",
    "RequestClosed",
    "RequestEscalated",
    "RequestFacts",
    "RequestMatch",
    "RequestOriented",
    "RequestOut",
    "RequestReceived",
    "RequestRecord",
    "RequestRedirected15",
    "RequestReleased",
    "RequestStatus",
    "RequestToRebook",
    "RequestTransferred",
    "RequestTriaged",
    "RequestUpdated",
    "RequestsPseudonymised",
    "SasPatientIn",
    "audit_search",
    "book_for_sas",
    "close_request",
    "comparable_name",
    "ensure_default_protocol",
    "erase_requests",
    "find_requests",
    "get_contact",
    "get_request",
    "log_callback_attempt",
    "mark_oriented",
    "phone_histories",
    "propose_candidates",
    "rectify_identity",
    "redirect_15_facts_page",
    "request_facts",
    "request_facts_page",
    "request_identities",
    "request_records",
    "scan_free_text",
]
