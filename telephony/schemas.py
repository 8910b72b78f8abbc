"""Telephony's inputs and outputs. Lists show numbers masked (`06 •• •• •• 78`); the full number
is given only to the operator who takes or calls back (and that read is audited)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from snp.identifiers import display_phone, parse_phone
from snp.kit import Page
from telephony.models import CallOutcome, PresenceState

SIP_ADDRESS = re.compile(r"^sip:[A-Za-z0-9._+\-]+@[A-Za-z0-9.\-]+(:\d{1,5})?$")

OUTCOME_LABELS: dict[str, str] = {
    CallOutcome.REQUEST_CREATED: "Demande créée",
    CallOutcome.REQUEST_LINKED: "Demande existante",
    CallOutcome.ADVICE_ONLY: "Conseil seul",
    CallOutcome.WRONG_NUMBER: "Erreur de numéro",
    CallOutcome.ABANDONED: "Raccroché en attente",
    CallOutcome.NO_OPERATOR: "Aucun opérateur",
    CallOutcome.OUT_OF_HOURS: "Hors horaires",
    CallOutcome.REACHED: "Patient joint",
    CallOutcome.NO_ANSWER: "Pas de réponse",
    CallOutcome.BUSY: "Occupé",
}
PRESENCE_LABELS: dict[str, str] = {
    PresenceState.AVAILABLE: "Disponible",
    PresenceState.ON_CALL: "En appel",
    PresenceState.WRAP_UP: "Fin d'appel",
    PresenceState.AWAY: "Absent",
}


def parse_ring_target(value: str) -> str:
    """A phone number (any notation, stored E.164) or a SIP address."""
    value = value.strip()
    if value.lower().startswith("sip:"):
        if not SIP_ADDRESS.match(value):
            raise ValueError("Adresse SIP invalide (exemple : sip:poste1@cpts.sip.twilio.com).")
        return value
    return parse_phone(value)


def mask_number(number: str) -> str:
    """`06 •• •• •• 78`: enough to tell two callers apart, not enough to dial."""
    if number == "erased":
        return "Numéro effacé"
    if not number.startswith("+"):
        return "Numéro masqué"
    try:
        shown = display_phone(number)
    except Exception:  # phonenumbers cannot parse it: show its end only
        return "•• " + number[-2:]
    digits = [i for i, c in enumerate(shown) if c.isdigit()]
    keep = set(digits[:2] + digits[-2:])
    return "".join(c if (not c.isdigit() or i in keep) else "•" for i, c in enumerate(shown))


def shown_number(number: str) -> str:
    if not number.startswith("+"):
        return "Numéro masqué"
    try:
        return display_phone(number)
    except Exception:  # an unusual number: as received
        return number


RingTarget = Annotated[str, AfterValidator(parse_ring_target)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PresenceIn(_In):
    state: Literal["available", "away"] = Field(
        description="Available or away (on a call and wrap-up are set by the line)."
    )
    phone: RingTarget | None = Field(
        default=None, description="Phone to ring: a number (desk phone, mobile) or a SIP address."
    )


class CallOutcomeIn(_In):
    outcome: Literal["request_created", "request_linked", "advice_only", "wrong_number"]
    request_id: int | None = Field(default=None, ge=1)


class CallBackIn(_In):
    request_id: int | None = Field(default=None, ge=1)
    task_id: int | None = Field(default=None, ge=1)


class ConsoleCallIn(_In):
    sender: Annotated[str, AfterValidator(parse_phone)] = Field(
        description="The caller's number (any notation)."
    )


class ConsoleDialResultIn(_In):
    result: Literal["completed", "no-answer", "busy"]
    duration_seconds: int = Field(default=0, ge=0, le=7200)


class CallerHints(BaseModel):
    previous_requests: int
    last_request_at: datetime | None
    open_request_id: int | None
    referrer_structure: str | None


class WaitingCallOut(BaseModel):
    id: int
    number_masked: str
    arrived_at: datetime
    wait_seconds: int
    position: int
    hints: CallerHints


class ActiveCallOut(BaseModel):
    id: int
    direction: str
    number_masked: str
    operator_user_id: int | None
    operator_name: str | None
    answered_at: datetime | None
    request_id: int | None
    mine: bool


class TaskOut(BaseModel):
    id: int
    number_masked: str
    reason: str
    reason_label: str
    first_call_at: datetime
    last_call_at: datetime
    calls: int
    hints: CallerHints


class PresenceOut(BaseModel):
    user_id: int
    name: str
    state: str
    state_label: str
    since: datetime
    wrap_up_until: datetime | None
    phone: str | None


class BoardOut(BaseModel):
    """Everything the operator's console shows of the line, in one read."""

    backend: str
    open_now: bool
    me: PresenceOut | None
    operators: list[PresenceOut]
    waiting: list[WaitingCallOut]
    active: list[ActiveCallOut]
    tasks: list[TaskOut]


class TakenOut(BaseModel):
    call_id: int
    number: str = Field(description="The caller's full number (E.164), for the new request.")
    number_display: str
    open_request_id: int | None = Field(
        description="The caller's open request: open it instead of creating one."
    )


class CallOut(BaseModel):
    id: int
    direction: str
    number_masked: str
    state: str
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    duration_seconds: int | None
    operator_user_id: int | None
    operator_name: str | None
    outcome: str | None
    outcome_label: str | None
    request_id: int | None


class CallPage(Page[CallOut]):
    pass


class LineTodayOut(BaseModel):
    """Today's inbound calls (Paris day) at opening hours, defined as in the call figures."""

    received: int = Field(description="Appels entrants arrivés aujourd'hui, ligne ouverte.")
    answered: int = Field(description="Pris par un opérateur.")
    answered_within_60s: int = Field(description="Pris après 60 secondes d'attente au plus.")
    abandoned: int = Field(description="Raccroché en attente ou aucun opérateur disponible.")


class LineHealthOut(BaseModel):
    """The phone line's health for the supervision page: counts only, no number."""

    generated_at: datetime
    open_now: bool
    waiting: int = Field(description="Appels en attente maintenant.")
    longest_wait_seconds: int | None = Field(description="Attente du plus ancien appel en file.")
    operators_available: int
    operators_on_call: int
    operators_wrap_up: int
    today: LineTodayOut
    callbacks_pending: int = Field(description="Tâches de rappel ouvertes.")
    oldest_callback_seconds: int | None = Field(
        description="Depuis le premier appel manqué de la plus ancienne tâche ouverte."
    )
