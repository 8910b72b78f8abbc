"""The ACI contract's shapes: what coordinators enter, what the contract view shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Direction = Literal["increasing", "decreasing"]
Source = Literal["entered", "platform"]
Metric = Literal[
    "snp_consultations",
    "ed_visits_avoided",
    "share_seen_24h",
    "requests_handled",
    "slots_offered",
]
YearStatus = Literal["upcoming", "live", "final"]
MAX_CONTRACT_YEARS = 5


class IndicatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contract_year: int = Field(ge=1, le=MAX_CONTRACT_YEARS, description="Année du contrat, 1 à 5.")
    code: str = Field(
        pattern=r"^[a-z0-9_]{1,40}$", description="national_1 … national_5, ou libre."
    )
    label: str = Field(min_length=1, max_length=200)
    definition: str = Field(
        min_length=1, max_length=4000, description="Définition écrite au contrat."
    )
    calculation: str = Field(min_length=1, max_length=4000, description="Modalités de calcul.")
    source: Source = Field(description="entered : chiffre CPAM/ARS saisi ; platform : calculé ici.")
    metric: Metric | None = Field(
        default=None, description="Mesure de la plateforme (source platform)."
    )
    baseline: float = Field(description="Valeur de référence (0 % d'atteinte).")
    target: float = Field(description="Objectif (100 % d'atteinte).")
    weight: float = Field(gt=0, le=100, description="Poids dans la part variable, en %.")
    direction: Direction = Field(description="increasing : doit augmenter ; decreasing : baisser.")

    @model_validator(mode="after")
    def _consistent(self) -> IndicatorIn:
        if self.source == "platform" and self.metric is None:
            raise ValueError("Un indicateur calculé par la plateforme doit nommer sa mesure.")
        if self.source == "entered" and self.metric is not None:
            raise ValueError("Un indicateur saisi n'a pas de mesure de la plateforme.")
        if self.direction == "increasing" and self.target < self.baseline:
            raise ValueError("Indicateur croissant : l'objectif doit dépasser la référence.")
        if self.direction == "decreasing" and self.target > self.baseline:
            raise ValueError("Indicateur décroissant : l'objectif doit être sous la référence.")
        return self


class ContractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signed_on: date = Field(description="Date de signature : les années du contrat en partent.")
    cpts_size: int = Field(ge=1, le=4, description="Taille de la CPTS, 1 à 4.")
    operator_hour_cost: float = Field(
        default=0, ge=0, le=1000, description="Coût chargé d'une heure d'opérateur (€)."
    )
    indicators: list[IndicatorIn] = Field(max_length=100)


class SizeAmountsOut(BaseModel):
    running: int
    access_fixed: int
    access_variable: int
    gp_compensation: int
    orientation_service: int


class ContractYearOut(BaseModel):
    year: int
    start: date
    end: date
    status: YearStatus


class IndicatorOut(IndicatorIn):
    pass


class ContractOut(BaseModel):
    signed_on: date
    cpts_size: int
    size_population: str
    operator_hour_cost: float
    version: int
    updated_at: datetime
    amounts: SizeAmountsOut
    amounts_source: str
    years: list[ContractYearOut]
    indicators: list[IndicatorOut]


class ContractVersionOut(BaseModel):
    version: int
    saved_at: datetime
    saved_by: int | None
    contract: ContractIn


class FigureIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    contract_year: int = Field(ge=1, le=MAX_CONTRACT_YEARS)
    value: float
    source: str = Field(min_length=1, max_length=200, description="Ex. « CPAM d'Ille-et-Vilaine ».")
    figure_date: date = Field(description="Date du chiffre (arrêté au).")


class FigureOut(FigureIn):
    entered_at: datetime


class FigureImportReport(BaseModel):
    imported: int


class IndicatorResult(BaseModel):
    code: str
    label: str
    definition: str
    calculation: str
    source: Source
    metric: Metric | None
    baseline: float
    target: float
    weight: float
    direction: Direction
    value: float | None = Field(description="Valeur à ce jour (année close : valeur finale).")
    value_origin: str | None = Field(
        description="D'où vient la valeur (plateforme ou source saisie)."
    )
    projected_value: float | None = Field(description="Valeur en fin d'année à ce rythme.")
    attainment_percent: float | None
    projected_attainment_percent: float | None
    missing: bool = Field(description="Chiffre national non encore saisi.")


class MoneyOut(BaseModel):
    fixed: float
    variable_max: float
    variable_earned: float
    total: float
    advance: float
    advance_date: date
    balance: float
    balance_due_by: date


class YearView(BaseModel):
    year: int
    start: date
    end: date
    status: YearStatus
    data_until: date | None = Field(
        description="Dernier jour compté (aujourd'hui en cours d'année)."
    )
    days_elapsed: int
    days_in_year: int
    partial: bool = Field(description="Année en cours : chiffres partiels.")
    cpts_size: int
    amounts: SizeAmountsOut
    indicators: list[IndicatorResult]
    missing_figures: list[str]
    weights_total: float
    money: MoneyOut = Field(description="Montants sur les valeurs à ce jour (finales si close).")
    projected_money: MoneyOut | None = Field(description="Année en cours : à ce rythme.")
