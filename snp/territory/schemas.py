from __future__ import annotations

from pydantic import BaseModel, ConfigDict


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


class TerritoryOut(BaseModel):
    cpts: CptsOut
    communes: list[CommuneOut]


class ImportReport(BaseModel):
    created: int
    updated: int
    unchanged: int
