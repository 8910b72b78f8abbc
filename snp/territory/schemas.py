from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CommuneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    insee_code: str
    name: str
    postal_code: str
    postal_codes: list[str] = Field(default_factory=list)
    latitude: float
    longitude: float

    @field_validator("postal_codes", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if value is None:
            return []
        return value.split() if isinstance(value, str) else value


class CommuneChange(BaseModel):
    commune: CommuneOut
    fields: list[str] = Field(description="Champs modifiés : name, postal_code(s), latitude...")


class CommunesPreview(BaseModel):
    """What an import of communes adds, changes and leaves unchanged (lists cut at 500)."""

    added_count: int
    changed_count: int
    unchanged_count: int
    added: list[CommuneOut]
    changed: list[CommuneChange]


class CptsOut(BaseModel):
    name: str
    finess: str
    phone: str
    phone_display: str
    address: str | None = None
    territory_name: str | None = None
    department: str | None = None


class CptsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    finess: str = Field(min_length=1, max_length=20)
    phone: str = Field(min_length=1, max_length=30)
    address: str | None = Field(default=None, max_length=300)


class TerritoryOut(BaseModel):
    cpts: CptsOut
    communes: list[CommuneOut]


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
