from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field

from snp.identifiers import display_phone


class SiteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    latitude: float
    longitude: float


class EffectorOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rpps: str = Field(validation_alias="national_id")
    family_name: str
    given_name: str
    specialty_code: str
    phone: str
    active: bool
    sites: list[SiteOut]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


class EffectorPage(BaseModel):
    items: list[EffectorOut]
    total: int
