"""Filters and the dashboard's shape (pydantic: the API's schema and the exports' source)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from snp.kit import Page

Granularity = Literal["month", "quarter", "year"]
MAX_PERIOD_DAYS = 3 * 366


class Filters(BaseModel):
    """Period in Europe/Paris calendar days (both included), plus optional filters.

    `commune`: the patient's commune for requests, the site's commune for consultations and
    slots. `origin`: the request's origin (slots are not filtered by origin). `effector_id`:
    the effector booked for requests, the effector for consultations and slots."""

    model_config = ConfigDict(extra="forbid")

    start: date = Field(description="Premier jour de la période (heure de Paris).")
    end: date = Field(description="Dernier jour de la période, inclus.")
    granularity: Granularity = "month"
    commune: str | None = Field(default=None, pattern=r"^[0-9][0-9AB][0-9]{3}$")
    origin: str | None = Field(default=None, max_length=32)
    effector_id: int | None = Field(default=None, ge=1)

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if isinstance(start, date):
            if end < start:
                raise ValueError("La fin de la période doit suivre son début.")
            if (end - start).days > MAX_PERIOD_DAYS:
                raise ValueError("Période de trois ans au plus.")
        return end


class Count(BaseModel):
    key: str
    label: str
    count: int


class PeriodCount(BaseModel):
    period: str = Field(description="2026-03 (mois), 2026-T1 (trimestre) ou 2026 (année).")
    label: str
    consultations: int
    previous_year: int
    growth_percent: float | None = Field(description="Absent quand l'an passé vaut 0.")
    partial: bool = Field(
        default=False,
        description="Période incomplète (coupée par le filtre ou en cours) : comparée aux mêmes "
        "jours de l'an passé, à lire avec prudence.",
    )


class NationalIndicator(BaseModel):
    """Consultations registered (appointments fulfilled, by Paris consultation date)."""

    consultations: int
    previous_year: int
    growth_percent: float | None
    periods: list[PeriodCount]
    data_until: date = Field(
        description="Dernier jour compté : jamais après aujourd'hui (les consultations datées "
        "dans le futur ne comptent pas) ; l'an passé est compté sur les mêmes jours."
    )
    partial: bool = Field(description="La période compte des jours à venir ou un mois incomplet.")


class RequestsBlock(BaseModel):
    total: int
    by_origin: list[Count]
    by_channel: list[Count]
    by_outcome: list[Count]
    by_period: list[Count]


class Delays(BaseModel):
    """Slot-oriented requests (outcome `slot_booked`) and their consultations that took place.

    Delays are whole minutes rounded up; percentiles use the nearest-rank method."""

    slot_requests: int
    consulted: int
    within_24h: int
    within_48h: int
    share_24h_percent: float | None
    share_48h_percent: float | None
    median_minutes: int | None
    p90_minutes: int | None
    callbacks: int
    callback_median_minutes: int | None
    callback_p90_minutes: int | None


class SlotsBlock(BaseModel):
    offered: int
    offered_recurring: int = Field(
        description="Créneaux proposés issus d'une disponibilité récurrente (hebdomadaire)."
    )
    offered_imported: int = Field(description="Créneaux proposés issus d'un agenda importé (ICS).")
    booked_now: int = Field(description="Créneaux réservés à ce jour (agenda).")
    free: int
    appointments: int
    fulfilled: int
    noshow: int
    cancelled: int
    rescheduled: int
    pending: int = Field(description="Rendez-vous dont le résultat n'est pas encore renseigné.")
    fill_rate_percent: float | None
    noshow_rate_percent: float | None
    sent_to_ed: int
    hospitalised: int
    by_status: list[Count]


class EffectorRow(BaseModel):
    effector_id: int
    name: str
    offered: int
    booked: int
    seen: int
    noshows: int
    snp_fee_eligible: int


class EmergencyBlock(BaseModel):
    ed_referrals: int = Field(description="Demandes adressées par les urgences.")
    ed_referrals_handled_in_town: int
    would_have_gone_to_ed: int = Field(
        description="Patients pris en charge en ville qui seraient sinon allés aux urgences."
    )
    ed_visits_avoided: int


class SupplyDemandRow(BaseModel):
    key: str
    label: str
    requests: int
    offered: int
    free: int


class SupplyDemand(BaseModel):
    by_hour: list[SupplyDemandRow]
    by_commune: list[SupplyDemandRow]


class SnpFee(BaseModel):
    weekly_cap: int
    fulfilled: int
    eligible: int
    not_eligible_own_patient: int
    not_eligible_delay: int
    not_eligible_cap: int


class Satisfaction(BaseModel):
    answers: int
    average: float | None
    distribution: list[Count]


class Dashboard(BaseModel):
    filters: Filters
    computed_at: datetime
    national: NationalIndicator
    requests: RequestsBlock
    delays: Delays
    slots: SlotsBlock
    effectors: list[EffectorRow]
    emergency: EmergencyBlock
    supply_demand: SupplyDemand
    snp_fee: SnpFee
    satisfaction: Satisfaction


class RecordRow(BaseModel):
    """One request of the drill-down, pseudonymised."""

    pseudonym: str
    received_at: datetime
    origin: str
    channel: str
    commune_insee: str | None
    age_band: str | None
    priority: str | None
    outcome: str | None
    consultation_at: datetime | None
    appointment_status: str | None
    consultation_minutes: int | None
    would_go_to_ed: bool | None


class RecordPage(Page[RecordRow]):
    offset: int
    limit: int
