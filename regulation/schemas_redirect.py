"""A call redirected to the 15 (SAMU), recorded with only what is known of the patient."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field

from regulation.models import Origin
from regulation.schemas import BirthDate, MobilePhone, Name
from snp.identifiers import display_phone

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Redirect15Create(BaseModel):
    """Every identity field is optional: a first name alone is enough, the red flag is not."""

    model_config = ConfigDict(extra="forbid")

    red_flag_id: str = Field(
        min_length=1, max_length=60, description="The red flag (current protocol) answered yes."
    )
    given_name: Name | None = None
    family_name: Name | None = None
    birth_date: BirthDate | None = None
    phone: MobilePhone | None = Field(default=None, description="Any notation; stored in E.164.")
    origin: Origin = Origin.PATIENT_CALL
    note: Note | None = None


class Redirect15Out(BaseModel):
    id: int
    given_name: str | None
    family_name: str | None
    birth_date: date | None
    phone: str | None
    red_flag_id: str
    red_flag_text: str
    priority: str
    origin: str
    note: str | None
    recorded_at: datetime
    recorded_by_name: str
    message: str = Field(description="What to tell the patient, in French.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone or "")
