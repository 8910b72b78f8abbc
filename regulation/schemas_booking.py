"""Shapes of matching, the booking journey and the escalation ladder (the console's contract).

Kept apart from `schemas.py` (intake, triage, queue). Times are UTC with an offset; every text
meant for people is French.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from agenda import AppointmentOut
from regulation.schemas import RequestOut
from regulation.service.needs import ConsultationKind
from snp.identifiers import display_phone

EscalationStep = Literal["gp", "nearby", "cpts"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlotChoiceIn(_In):
    slot_id: int = Field(description="Le créneau choisi parmi les propositions.")
    kind: ConsultationKind | None = Field(
        default=None,
        description="Type de consultation ; par défaut le plus adapté que le créneau propose.",
    )


class ReleaseHoldIn(_In):
    slot_id: int


class EscalationIn(_In):
    step: EscalationStep
    broadcast_id: int | None = Field(
        default=None, description="La diffusion SMS lancée pour cette étape, si déjà lancée."
    )


# -- outputs ---------------------------------------------------------------------------------


class CandidateEffector(BaseModel):
    id: int
    name: str = Field(description="« Dr Anne Martin ».")
    profession: str
    specialty_text: str | None
    phone: str
    is_patient_gp: bool = Field(description="C'est le médecin traitant du patient.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


class CandidateSite(BaseModel):
    id: int
    name: str
    address_line: str
    postal_code: str
    city: str
    latitude: float
    longitude: float
    position_approximate: bool = Field(
        default=False,
        description="Centre de la commune, pas l'adresse : la distance est approximative.",
    )


class ScoreParts(BaseModel):
    """The score's terms, in minutes: it is their sum (lower is better)."""

    delay: float = Field(description="Minutes avant le début du créneau.")
    distance: float = Field(description="Kilomètres × poids (0 en téléconsultation).")
    load: float = Field(description="Patients SNP déjà confiés ce jour et cette semaine × poids.")


class CandidateOut(BaseModel):
    """A slot proposed for the request, with why it ranks there."""

    rank: int
    slot_id: int
    start_at: datetime
    end_at: datetime
    kind: ConsultationKind = Field(description="Type de consultation qui serait réservé.")
    kinds: list[ConsultationKind] = Field(description="Types que le créneau propose.")
    effector: CandidateEffector
    site: CandidateSite
    delay_minutes: int
    distance_km: float | None = Field(description="Du patient au lieu ; absent sans position.")
    load_day: int = Field(description="Patients SNP déjà confiés à l'effecteur ce jour-là.")
    load_week: int = Field(description="Patients SNP déjà confiés à l'effecteur cette semaine.")
    score: float
    score_parts: ScoreParts
    after_deadline: bool = Field(description="Commence après l'échéance de la demande.")
    offered_first: bool = Field(
        description="Créneau libéré proposé en priorité à cette demande (placé en tête)."
    )
    explanation: str


class PatientPlace(BaseModel):
    latitude: float
    longitude: float
    source: Literal["address", "commune"]
    label: str


class MatchWeights(BaseModel):
    """The score's settings: score = délai + km × km_minutes + charges × leurs poids."""

    travel_margin_minutes: int
    km_minutes: float
    day_load_minutes: float
    week_load_minutes: float
    max_km: float = Field(description="Cabinet le plus éloigné proposé.")
    home_visit_max_km: float
    teleconsultation_max_km: float
    per_effector: int = Field(description="Créneaux d'un même effecteur proposés au plus.")


class EscalationStepOut(BaseModel):
    step: EscalationStep
    label: str
    available: bool
    reason: str | None = Field(description="Pourquoi l'étape n'est pas possible.")
    effector_ids: list[int] = Field(description="Effecteurs à solliciter (diffusion SMS).")
    timeout_minutes: int = Field(description="Délai de réponse de la diffusion.")
    started_at: datetime | None = Field(description="Quand cette étape a été lancée.")


class EscalationOut(BaseModel):
    """The ladder when no slot fits the deadline: the patient's médecin traitant if a member,
    then the nearby effectors, then the whole CPTS; each step an SMS broadcast."""

    request_id: int
    place: str = Field(description="Commune du patient, pour le message de diffusion.")
    steps: list[EscalationStepOut]


class CandidatesOut(BaseModel):
    request_id: int
    generated_at: datetime
    deadline_at: datetime
    window_start: datetime = Field(description="Maintenant + marge de déplacement.")
    window_end: datetime = Field(description="L'échéance, ou plus tard si rien ne la tient.")
    kinds: list[ConsultationKind] = Field(description="Types de consultation cherchés.")
    place: PatientPlace | None
    weights: MatchWeights
    fits_deadline: bool = Field(description="Au moins un créneau avant l'échéance.")
    message: str | None
    items: list[CandidateOut]
    escalation: EscalationOut | None = Field(
        description="L'escalade possible, quand aucun créneau ne tient l'échéance."
    )


class RequestHoldOut(BaseModel):
    """The slot is held for this request while the patient confirms on the phone."""

    request_id: int
    slot_id: int
    kind: ConsultationKind
    hold_expires_at: datetime
    start_at: datetime
    end_at: datetime
    effector_id: int
    site_id: int
    patient_label: str = Field(description="Ce que l'agenda de l'effecteur affichera.")


class ReleaseHoldOut(BaseModel):
    request_id: int
    slot_id: int
    released: bool = Field(description="Faux si ce créneau n'était pas réservé pour la demande.")


class BookingOut(BaseModel):
    """Booked: the appointment, and the request closed with outcome `slot_booked`."""

    request: RequestOut
    appointment: AppointmentOut
