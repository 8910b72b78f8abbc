"""Input and output shapes of the patients' rights page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from regulation import IdentityCorrection, RequestMatch, RequestRecord
from snp.identifiers import parse_phone

Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=5, max_length=300),
    Field(
        description="Why (the patient's request and its reference), kept in the audit trail; "
        "never the patient's name or number."
    ),
]
Phone = Annotated[str, AfterValidator(parse_phone)]
SearchName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonSearchIn(_In):
    """Family name and birth date (given name optional), or phone number, or both."""

    family_name: SearchName | None = None
    given_name: SearchName | None = None
    birth_date: date | None = None
    phone: Phone | None = Field(default=None, description="Any notation; compared in E.164.")
    reason: Reason


class PersonSearchOut(BaseModel):
    requests: list[RequestMatch]
    phone: str | None = Field(description="The number searched, E.164.")
    received_sms: int = Field(description="SMS received from that number tied to no request.")
    calls: int = Field(default=0, description="Calls the phone line keeps from that number.")
    opted_out: bool = Field(description="That number answered STOP.")


class PersonIn(_In):
    """One person: the requests the coordinator recognised as theirs, and/or their number."""

    request_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=100
    )
    phone: Phone | None = None
    reason: Reason


class RectifyIn(IdentityCorrection):
    reason: Reason


class ErasedOut(BaseModel):
    erased_request_ids: list[int]
    sms_erased: int
    calls_erased: int = Field(
        default=0, description="Calls and callback tasks whose number was erased."
    )
    kept: list[str] = Field(description="What is kept on purpose, and why (French).")


class AppointmentRecordOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    request_id: int
    start_at: datetime
    end_at: datetime
    kind: str
    status: str
    effector_name: str
    place: str | None
    patient_label: str | None
    cancelled_by: str | None
    cancel_reason: str | None
    after_care: str | None


class SentSmsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    created_at: datetime
    sent_at: datetime | None
    audience: str
    recipient: str | None = Field(description="The patient's number; others' are not shown.")
    template: str
    body: str
    status: str
    request_id: int | None


class ReceivedSmsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    received_at: datetime
    sender: str
    body: str
    request_id: int | None


class OptOutOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    phone: str
    keyword: str
    created_at: datetime


class SurveyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    appointment_id: str
    sent_at: datetime
    score: int | None
    answered_at: datetime | None


class CallRecordOut(BaseModel):
    """One call from the person's number to the CPTS line (or a call-back to it)."""

    model_config = ConfigDict(from_attributes=True)

    number: str
    direction: str = Field(description="inbound (the person called) or callback.")
    arrived_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: int | None
    duration_seconds: int | None
    outcome: str | None
    request_id: int | None


class AccessOut(BaseModel):
    """One entry of the audit trail about the person's records: who (role) did what, when."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor_role: str | None
    action: str
    entity: str
    entity_id: str


class PersonRecordsOut(BaseModel):
    """Everything the platform holds on one person (right of access, machine-readable)."""

    generated_at: datetime
    controller: str = Field(description="The CPTS, data controller.")
    requests: list[RequestRecord]
    appointments: list[AppointmentRecordOut]
    sms_sent: list[SentSmsOut]
    sms_received: list[ReceivedSmsOut]
    opt_outs: list[OptOutOut]
    surveys: list[SurveyOut]
    calls: list[CallRecordOut] = Field(default_factory=list)
    accesses: list[AccessOut]
