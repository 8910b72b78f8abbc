from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
)

from snp.edge import within
from snp.identifiers import display_phone
from snp.kit import Page


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
    position_approximate: bool = Field(
        default=False,
        description="Centre de la commune, pas l'adresse (« position approximative »).",
    )


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


class EffectorPage(Page[EffectorOut]):
    pass


# --- Slots, booking and free-slot search -------------------------------------------------------

Kind = Literal["AMB", "HH", "VR"]
Visibility = Literal["SNP", "CPTS", "PRO", "PUBLIC"]
SlotState = Literal["free", "held", "booked"]
AppointmentState = Literal["booked", "cancelled", "fulfilled", "noshow", "to_rebook"]
CancelledBy = Literal["patient", "effector", "operator", "regulator", "coordinator", "sas"]

_KIND_LABEL = "AMB (cabinet), HH (visite à domicile), VR (téléconsultation)"
_VISIBILITY_LABEL = "SNP, CPTS, PRO, PUBLIC"


def _codes_among(allowed: tuple[str, ...], label: str) -> Callable[[Any], Any]:
    """Before-validator giving a French message for unknown codes (the schema keeps the enum)."""

    def check(value: Any) -> Any:
        if isinstance(value, list | tuple | set | frozenset):
            unknown = sorted({str(v) for v in value} - set(allowed))
            if unknown:
                raise ValueError(f"Valeur inconnue : {', '.join(unknown)} (possibles : {label}).")
            if not value:
                raise ValueError("Choisissez au moins une valeur.")
        return value

    return check


KindList = Annotated[list[Kind], BeforeValidator(_codes_among(("AMB", "HH", "VR"), _KIND_LABEL))]
VisibilityList = Annotated[
    list[Visibility],
    BeforeValidator(_codes_among(("SNP", "CPTS", "PRO", "PUBLIC"), _VISIBILITY_LABEL)),
]


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError("Fuseau horaire obligatoire (par exemple 2026-11-24T14:00:00+01:00).")
    return value


MAX_SLOT = timedelta(hours=24)
_slot_time = within(timedelta(days=1), timedelta(days=3660), "L'horaire du créneau")


class SlotIn(BaseModel):
    """A slot to open; the effector is the one the site belongs to."""

    model_config = ConfigDict(extra="forbid")

    site_id: int = Field(description="Lieu de consultation (de l'effecteur).")
    start_at: datetime = Field(description="Début, avec fuseau horaire.")
    end_at: datetime = Field(description="Fin, avec fuseau horaire ; après le début.")
    kinds: KindList = Field(default_factory=lambda: list[Kind](["AMB"]))
    visibility: VisibilityList = Field(default_factory=lambda: list[Visibility](["SNP", "CPTS"]))
    shared_with_sas: bool = True
    reason: str | None = Field(default=None, max_length=200)

    _aware_times = field_validator("start_at", "end_at")(_aware)
    _plausible_times = field_validator("start_at", "end_at")(_slot_time)

    @field_validator("end_at")
    @classmethod
    def _after_start(cls, end_at: datetime, info: ValidationInfo) -> datetime:
        start_at = info.data.get("start_at")
        if isinstance(start_at, datetime) and end_at <= start_at:
            raise ValueError("La fin doit être après le début.")
        if isinstance(start_at, datetime) and end_at - start_at > MAX_SLOT:
            raise ValueError("Un créneau dure au plus 24 heures.")
        return end_at


class SlotPatch(BaseModel):
    """Change or move a slot: only the fields sent are changed (send `reason: null` to clear)."""

    model_config = ConfigDict(extra="forbid")

    site_id: int | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    kinds: KindList | None = None
    visibility: VisibilityList | None = None
    shared_with_sas: bool | None = None
    reason: str | None = Field(default=None, max_length=200)

    _aware_times = field_validator("start_at", "end_at")(_aware)
    _plausible_times = field_validator("start_at", "end_at")(_slot_time)

    @field_validator("end_at")
    @classmethod
    def _not_too_long(cls, end_at: datetime | None, info: ValidationInfo) -> datetime | None:
        start_at = info.data.get("start_at")
        if isinstance(start_at, datetime) and end_at is not None and end_at - start_at > MAX_SLOT:
            raise ValueError("Un créneau dure au plus 24 heures.")
        return end_at


class SlotAppointmentOut(BaseModel):
    """The booked patient shown on the effector's calendar (minimum necessary)."""

    id: str
    patient_label: str | None
    kind: Kind


class SlotOut(BaseModel):
    id: int
    effector_id: int
    site_id: int
    start_at: datetime
    end_at: datetime
    kinds: list[Kind]
    visibility: list[Visibility]
    shared_with_sas: bool
    reason: str | None
    status: SlotState = Field(description="`held` only while the hold runs; expired = free.")
    hold_expires_at: datetime | None
    template_id: int | None
    source: Literal["manual", "template", "ics", "other"]
    appointment: SlotAppointmentOut | None = None


class HoldOut(BaseModel):
    """A slot held for one holder until `hold_expires_at`: confirm it before then."""

    slot_id: int
    holder: str
    hold_expires_at: datetime
    effector_id: int
    site_id: int
    start_at: datetime
    end_at: datetime
    kinds: list[Kind]


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: int | None = Field(default=None, description="Demande de régulation servie.")
    patient_label: str = Field(
        min_length=1, max_length=40, description="Minimum utile : initiales et âge."
    )
    kind: Kind = "AMB"


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=300)
    by: CancelledBy | None = Field(
        default=None, description="Au nom de qui : par défaut votre rôle ; ou `patient`."
    )


class AppointmentOut(BaseModel):
    id: str
    slot_id: int | None
    effector_id: int
    start_at: datetime
    end_at: datetime
    kind: Kind
    status: AppointmentState
    request_id: int | None
    patient_label: str | None
    origin: str
    cancelled_by: str | None
    cancel_reason: str | None
    site: SiteOut | None


# The search returns plain frozen dataclasses: it builds hundreds per call, so they are checked
# once, at the API edge (FastAPI validates and serialises them with pydantic like any model).


@dataclass(frozen=True, slots=True)
class FreeSlotEffector:
    id: int
    rpps: str
    family_name: str
    given_name: str
    profession: str
    specialty_code: str
    specialty_text: str | None
    phone: str
    home_visits: bool
    teleconsultation: bool
    min_patient_age_months: int | None
    # How far they go for a home visit (km; None: not set, the CPTS's default applies).
    home_visit_radius_km: float | None = None


@dataclass(frozen=True, slots=True)
class FreeSlotSite:
    id: int
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    latitude: float
    longitude: float
    structure_id: str | None
    phone: str | None
    # The commune's centre stands for the address: say « position approximative ».
    position_approximate: bool = False


@dataclass(frozen=True, slots=True)
class FreeSlot:
    """A bookable slot with who and where; `distance_km` when searched near a point."""

    id: int
    start_at: datetime
    end_at: datetime
    kinds: tuple[Kind, ...]
    visibility: tuple[Visibility, ...]
    shared_with_sas: bool
    reason: str | None
    effector: FreeSlotEffector
    site: FreeSlotSite
    distance_km: float | None = None


class FreeSlotPage(BaseModel):
    items: list[FreeSlot]
    limit: int
    offset: int
    has_more: bool
