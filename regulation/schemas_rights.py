"""Shapes of a patient's rights requests (access, rectification, erasure) for what regulation
holds: the requests themselves, their triage answers, call-backs and timeline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from regulation.models import Sex
from regulation.schemas import (
    BirthDate,
    CallbackAttemptOut,
    MobilePhone,
    Name,
    ShortText,
    TimelineEntryOut,
)


class RequestMatch(BaseModel):
    """A request found for a person: enough to tell whether it is theirs."""

    id: int
    received_at: datetime
    closed_at: datetime | None
    status: str
    origin: str
    motif: str | None
    family_name: str
    given_name: str
    birth_date: date
    sex: str
    phone: str = Field(description="E.164.")
    address_line: str | None
    commune_insee: str | None
    erase_refusal: str | None = Field(
        default=None, description="Why it cannot be erased now (French), or null."
    )


class RequestRecord(RequestMatch):
    """Everything regulation holds on the person for one request (right of access)."""

    model_config = ConfigDict(from_attributes=True)

    mobility: str
    has_gp: bool | None
    gp_name: str | None
    gp_rpps: str | None
    sms_consent: bool
    notes: str | None
    triage_answers: dict[str, Any] | None
    age_band: str | None
    priority: str | None
    orientation: str | None
    red_flag_text: str | None
    regulator_note: str | None
    transfer_15_mode: str | None
    transfer_15_note: str | None
    referrer_structure: str | None
    referrer_phone: str | None
    outcome: str | None
    outcome_note: str | None
    rebook_reason: str | None
    consultation_at: datetime | None
    callbacks: list[CallbackAttemptOut]
    timeline: list[TimelineEntryOut]


class IdentityCorrection(BaseModel):
    """Rectification of a patient's identity or contact (only the fields sent change)."""

    model_config = ConfigDict(extra="forbid")

    family_name: Name | None = None
    given_name: Name | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    phone: MobilePhone | None = None
    address_line: ShortText | None = None
