"""Input and output of the consultation log (`agenda.service.outcomes`)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agenda.schemas import AppointmentOut
from snp.kit import Page

OutcomeValue = Literal["fulfilled", "noshow"]
AfterCareValue = Literal["emergency", "hospitalised"]


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: OutcomeValue = Field(description="`fulfilled` (patient vu) ou `noshow` (absent).")
    after_care: AfterCareValue | None = Field(
        default=None,
        description="Patient vu puis adressé aux urgences (`emergency`) ou hospitalisé "
        "(`hospitalised`).",
    )


class ConsultationOut(AppointmentOut):
    """An appointment as the consultation log shows it: its outcome, who recorded it, when."""

    effector_name: str = Field(description="Prénom et nom de l'effecteur.")
    after_care: AfterCareValue | None
    outcome_recorded_at: datetime | None
    outcome_recorded_by_user_id: int | None
    rescheduled_to: str | None = Field(
        default=None,
        description="Annulé ou à replanifier : le rendez-vous pris ensuite pour la même demande.",
    )


class ConsultationPage(Page[ConsultationOut]):
    pass
