from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CommuneOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    insee_code: str
    name: str
    postal_code: str
    latitude: float
    longitude: float


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
