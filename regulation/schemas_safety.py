"""Shapes of the clinical safety steps: a regulator's decision, the transfer to the 15 after a
red flag, the regulators' follow-up list and the effector's handover of an appointment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
    model_validator,
)

from regulation.models import Origin, Priority, RequestStatus, Transfer15Mode
from snp.identifiers import display_phone

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortNote = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
DecidedOrientation = Literal["AMB", "HH", "VR", "PHARMACIST"]

TRANSFER_15_LABELS: dict[Transfer15Mode, str] = {
    Transfer15Mode.WARM_TRANSFER: "Appel transféré au 15 (transfert accompagné)",
    Transfer15Mode.TOLD_TO_CALL_15: "Patient invité à appeler le 15 immédiatement",
}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RegulatorDecisionIn(_In):
    """A medical regulator's decision on a request the protocol sent to them: where the
    patient goes, how soon. (Advice only, or the 15: close the request with that outcome.)"""

    orientation: DecidedOrientation = Field(
        description="AMB (cabinet), HH (visite), VR (téléconsultation) ou PHARMACIST."
    )
    priority: Literal[Priority.P2, Priority.P3]
    deadline_hours: int = Field(ge=1, le=48, description="Délai de prise en charge, en heures.")
    note: Note = Field(description="La note du régulateur, transmise au médecin effecteur.")

    @model_validator(mode="after")
    def _deadline_fits_priority(self) -> RegulatorDecisionIn:
        if self.priority == Priority.P2 and self.deadline_hours > 24:
            raise ValueError("Une priorité P2 se traite dans les 24 heures au plus.")
        return self


class Transfer15In(_In):
    """How a red-flag call reached the 15."""

    mode: Transfer15Mode = Field(
        description="warm_transfer: appel transféré au 15 ; told_to_call_15: patient invité à "
        "appeler le 15."
    )
    at: AwareDatetime | None = Field(
        default=None, description="Quand (par défaut : maintenant) ; jamais dans le futur."
    )
    note: ShortNote | None = None


class FollowUpItem(BaseModel):
    """A request sent to the 15: did the call reach it?"""

    id: int
    status: RequestStatus
    priority: Priority | None
    family_name: str
    given_name: str
    age_label: str
    motif: str | None
    origin: Origin
    referrer_structure: str | None
    red_flag_id: str | None
    red_flag_text: str | None
    closed_at: datetime | None
    transfer_15_mode: Transfer15Mode | None
    transfer_15_label: str | None
    transfer_15_at: datetime | None
    transfer_15_by_name: str | None
    transfer_15_note: str | None
    transfer_recorded: bool


class FollowUpRedirect(BaseModel):
    """A call redirected to the 15 recorded with only what was known (no request): the record
    itself says how the call reached the 15 (the patient was told to call it)."""

    id: int
    given_name: str | None
    family_name: str | None
    age_label: str | None = Field(description="None when the birth date was not given.")
    phone_display: str = Field(description="Empty when no number was given.")
    origin: Origin
    red_flag_id: str
    red_flag_text: str
    priority: str
    note: str | None
    recorded_at: datetime
    recorded_by_name: str
    transfer_15_label: str


class FollowUpPage(BaseModel):
    items: list[FollowUpItem]
    total: int
    days: int = Field(description="Période couverte (jours).")
    redirects: list[FollowUpRedirect] = Field(
        description="Réorientations vers le 15 consignées sans demande, les plus récentes d'abord."
    )
    redirects_total: int


class HandoverAnswer(BaseModel):
    question: str
    answer: str


class HandoverOut(BaseModel):
    """What the booked effector needs to see their patient (their own appointments only)."""

    appointment_id: str
    start_at: datetime
    end_at: datetime
    kind: str
    kind_label: str
    request_id: int
    family_name: str
    given_name: str
    age_label: str
    sex: str
    phone: str
    motif: str | None
    motif_label: str | None
    priority: Priority | None
    deadline_at: datetime | None
    risk_factors: list[str] = Field(description="Facteurs de risque et éléments notés au tri.")
    triage_answers: list[HandoverAnswer]
    regulator_note: str | None
    regulator_name: str | None
    protocol_version: int | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)
