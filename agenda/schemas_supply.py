"""Schemas of the supply side: directory profiles and import, recurring availability, absences,
ICS import and feed. (Kept apart from `schemas.py`, which holds slots, booking and search.)"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
)

from agenda.schemas import Kind, KindList, Visibility, VisibilityList
from snp.edge import day_within
from snp.identifiers import display_phone, parse_mobile_phone

# Agendas are planned a few years at most: a date in 9999 or 1970 is a typing error.
_plausible_day = day_within(timedelta(days=10 * 366), timedelta(days=10 * 366))

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SPECIALTY_PATTERN = r"^[A-Za-z0-9_]{1,16}$"


def parse_weekdays(value: str) -> str:
    """RFC 5545 BYDAY list (`"TU"`, `"mo, th"`) -> canonical `"MO,TH"` in week order."""
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    if not codes:
        raise ValueError("Au moins un jour de la semaine (MO, TU, WE, TH, FR, SA, SU).")
    unknown = [c for c in codes if c not in WEEKDAY_CODES]
    if unknown:
        raise ValueError(
            f"Jour inconnu : {', '.join(unknown)} (jours attendus au format RFC 5545 : "
            "MO, TU, WE, TH, FR, SA, SU, séparés par des virgules)."
        )
    return ",".join(c for c in WEEKDAY_CODES if c in codes)


def parse_subscription_url(value: str) -> str:
    """An http(s) calendar address; `webcal://` (what calendar apps publish) becomes https."""
    url = value.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if not url.lower().startswith(("http://", "https://")) or len(url) < 12:
        raise ValueError("Adresse de calendrier attendue en http(s):// ou webcal://.")
    if any(c.isspace() for c in url):
        raise ValueError("L'adresse du calendrier ne doit pas contenir d'espace.")
    return url


def _whole_minutes(value: time | None) -> time | None:
    if value is not None and (value.second or value.microsecond):
        raise ValueError("Heure attendue au format HH:MM.")
    if value is not None and value.tzinfo is not None:
        raise ValueError("Heure locale (Europe/Paris) attendue, sans fuseau.")
    return value


# --- Directory ---------------------------------------------------------------------------------


class SiteProfile(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    latitude: float
    longitude: float
    structure_id: str | None = Field(
        description="Préfixé comme en FHIR : 1 FINESS, 3 SIRET, 4 RPPS rang."
    )
    phone: str | None
    position_approximate: bool = Field(
        default=False,
        description="Centre de la commune, pas l'adresse (« position approximative »).",
    )


class EffectorIcsOut(BaseModel):
    """The effector's calendar links: shown to the effector themself and to the coordination."""

    subscription_url: str | None
    subscription_site_id: int | None
    last_fetched_at: datetime | None
    last_error: str | None
    feed_path: str | None = Field(
        description="Chemin (secret) du flux ICS des rendez-vous ; absent tant qu'il n'existe pas."
    )


class EffectorProfile(BaseModel):
    id: int
    rpps: str = Field(
        description="RPPS (11 chiffres) ou ADELI (9 chiffres) selon `national_id_kind`."
    )
    national_id_kind: str
    family_name: str
    given_name: str
    profession: str
    specialty_code: str
    specialty_text: str | None
    phone: str
    email: str | None
    active: bool
    min_patient_age_months: int | None
    home_visits: bool
    home_visit_radius_km: float | None
    teleconsultation: bool
    has_account: bool = Field(description="Un compte utilisateur est rattaché à cet effecteur.")
    sites: list[SiteProfile]
    ics: EffectorIcsOut | None = Field(
        default=None, description="Calendriers : seulement pour l'effecteur et la coordination."
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


class EffectorPatch(BaseModel):
    """Only the fields sent change; `null` clears an optional field. An effector may change only
    their constraints and ICS subscription; the coordination may change everything."""

    model_config = ConfigDict(extra="forbid")

    family_name: str | None = Field(default=None, min_length=1, max_length=120)
    given_name: str | None = Field(default=None, min_length=1, max_length=120)
    specialty_code: str | None = Field(default=None, pattern=SPECIALTY_PATTERN)
    specialty_text: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, description="Portable (pour les SMS).")
    email: EmailStr | None = None
    active: bool | None = None
    min_patient_age_months: int | None = Field(default=None, ge=0, le=1800)
    home_visits: bool | None = None
    home_visit_radius_km: float | None = Field(default=None, gt=0, le=200)
    teleconsultation: bool | None = None
    ics_subscription_url: str | None = Field(default=None, max_length=1000)
    ics_subscription_site_id: int | None = None

    @field_validator("phone")
    @classmethod
    def _mobile(cls, value: str | None) -> str | None:
        return None if value is None else parse_mobile_phone(value)

    @field_validator("ics_subscription_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None or not value.strip() else parse_subscription_url(value)

    @field_validator("specialty_code")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return None if value is None else value.upper()


class EffectorImportReport(BaseModel):
    """Counts per effector (updated = its fields or one of its sites changed) and per site."""

    created: int
    updated: int
    unchanged: int
    sites_created: int
    sites_updated: int
    sites_unchanged: int


# --- Recurring availability --------------------------------------------------------------------


class TimeRange(BaseModel):
    """A further time range of a weekly availability (Europe/Paris wall clock)."""

    model_config = ConfigDict(extra="forbid")

    start_time: time
    end_time: time

    _minutes = field_validator("start_time", "end_time")(_whole_minutes)


EveryWeeks = Literal[1, 2]


class TemplateIn(BaseModel):
    """Weekly availability, e.g. Tuesdays 14:00-16:00 (Europe/Paris) in 20-minute slots."""

    model_config = ConfigDict(extra="forbid")

    effector_id: int | None = Field(
        default=None,
        description="Par défaut l'effecteur connecté ; obligatoire pour la coordination.",
    )
    site_id: int
    weekdays: str = Field(description="Jours RFC 5545 (BYDAY), par exemple `TU` ou `MO,TH`.")
    start_time: time = Field(description="Heure locale (Europe/Paris) de début, HH:MM.")
    end_time: time = Field(description="Heure locale (Europe/Paris) de fin, HH:MM.")
    slot_minutes: int = Field(default=20, ge=5, le=240)
    valid_from: date | None = Field(default=None, description="Par défaut aujourd'hui.")
    valid_until: date | None = Field(default=None, description="Inclus ; vide = sans fin.")
    kinds: KindList = Field(default_factory=lambda: list[Kind](["AMB"]))
    visibility: VisibilityList = Field(default_factory=lambda: list[Visibility](["SNP", "CPTS"]))
    shared_with_sas: bool = True
    include_public_holidays: bool = Field(
        default=False, description="Ouvrir aussi les jours fériés (sinon ils sont sautés)."
    )
    more_ranges: list[TimeRange] = Field(
        default_factory=list,
        max_length=4,
        description="Autres plages horaires les mêmes jours (par exemple l'après-midi).",
    )
    every_weeks: EveryWeeks = Field(
        default=1, description="1 : chaque semaine ; 2 : une semaine sur deux (à partir du début)."
    )

    _days = field_validator("weekdays")(parse_weekdays)
    _minutes = field_validator("start_time", "end_time")(_whole_minutes)
    _plausible_days = field_validator("valid_from", "valid_until")(_plausible_day)

    @field_validator("end_time")
    @classmethod
    def _after_start(cls, end_time: time, info: ValidationInfo) -> time:
        start_time = info.data.get("start_time")
        if isinstance(start_time, time) and end_time <= start_time:
            raise ValueError("L'heure de fin doit être après l'heure de début.")
        return end_time

    @field_validator("slot_minutes")
    @classmethod
    def _fits(cls, minutes: int, info: ValidationInfo) -> int:
        start, end = info.data.get("start_time"), info.data.get("end_time")
        if (
            isinstance(start, time)
            and isinstance(end, time)
            and minutes > minutes_between(start, end)
        ):
            raise ValueError("La durée d'un créneau dépasse la plage horaire.")
        return minutes

    @field_validator("valid_until")
    @classmethod
    def _after_from(cls, until: date | None, info: ValidationInfo) -> date | None:
        since = info.data.get("valid_from")
        if until is not None and isinstance(since, date) and until < since:
            raise ValueError("La date de fin de validité doit suivre la date de début.")
        return until


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class TemplatePatch(BaseModel):
    """Only the fields sent change (send `valid_until: null` to make it open-ended)."""

    model_config = ConfigDict(extra="forbid")

    site_id: int | None = None
    weekdays: str | None = None
    start_time: time | None = None
    end_time: time | None = None
    slot_minutes: int | None = Field(default=None, ge=5, le=240)
    valid_from: date | None = None
    valid_until: date | None = None
    kinds: KindList | None = None
    visibility: VisibilityList | None = None
    shared_with_sas: bool | None = None
    include_public_holidays: bool | None = None
    active: bool | None = None
    more_ranges: list[TimeRange] | None = Field(default=None, max_length=4)
    every_weeks: EveryWeeks | None = None

    _minutes = field_validator("start_time", "end_time")(_whole_minutes)
    _plausible_days = field_validator("valid_from", "valid_until")(_plausible_day)

    @field_validator("weekdays")
    @classmethod
    def _days(cls, value: str | None) -> str | None:
        return None if value is None else parse_weekdays(value)


class TemplateOut(BaseModel):
    id: int
    effector_id: int
    site_id: int
    weekdays: str
    start_time: time
    end_time: time
    slot_minutes: int
    valid_from: date
    valid_until: date | None
    kinds: list[Kind]
    visibility: list[Visibility]
    shared_with_sas: bool
    include_public_holidays: bool
    active: bool
    more_ranges: list[TimeRange] = Field(default_factory=list)
    every_weeks: int = 1


class TemplateSaved(TemplateOut):
    """The saved template and what it did to the agenda (held and booked slots are kept)."""

    slots_removed: int = Field(description="Créneaux libres à venir retirés.")
    slots_created: int = Field(description="Créneaux créés sur l'horizon.")


class SkippedSlot(BaseModel):
    start_at: datetime
    end_at: datetime
    reason: Literal["collision", "absence", "holiday", "past"]
    detail: str = Field(description="Pourquoi, en français (le créneau chevauché...).")


class TemplatePreview(BaseModel):
    """What a weekly availability would open over the horizon, before it is saved."""

    slots: int = Field(description="Créneaux qui seraient ouverts.")
    skipped_count: int = Field(description="Créneaux qui ne le seraient pas.")
    skipped: list[SkippedSlot] = Field(description="Chacun, avec la raison (200 au plus).")


class SlotsRemoved(BaseModel):
    slots_removed: int
    slots_created: int = 0


# --- Absences ----------------------------------------------------------------------------------


class AbsenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effector_id: int | None = Field(
        default=None,
        description="Par défaut l'effecteur connecté ; obligatoire pour la coordination.",
    )
    start_date: date
    end_date: date = Field(description="Inclus.")
    start_time: time | None = Field(
        default=None,
        description="Heure de début chaque jour (heure de Paris) : une demi-journée ; "
        "sans heures, les journées entières.",
    )
    end_time: time | None = Field(default=None, description="Heure de fin chaque jour.")
    reason: str | None = Field(default=None, max_length=200)

    _plausible_days = field_validator("start_date", "end_date")(_plausible_day)

    @field_validator("end_date")
    @classmethod
    def _after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start_date")
        if isinstance(start, date) and end < start:
            raise ValueError("La date de fin doit être égale ou postérieure à la date de début.")
        return end


class AbsencePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_date: date | None = None
    end_date: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    reason: str | None = Field(default=None, max_length=200)

    _plausible_days = field_validator("start_date", "end_date")(_plausible_day)


class AbsenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    effector_id: int
    start_date: date
    end_date: date
    start_time: time | None = None
    end_time: time | None = None
    reason: str | None


class AbsenceSaved(AbsenceOut):
    slots_removed: int = Field(description="Créneaux libres retirés pendant l'absence.")
    slots_created: int = Field(description="Créneaux recréés sur les jours libérés.")
    booked_kept: int = Field(
        description="Créneaux réservés ou en cours de réservation pendant l'absence, conservés."
    )


# --- Date overrides (changed hours on one date) ---------------------------------------------


class OverrideIn(BaseModel):
    """Other hours on one date, instead of the weekly patterns (none: no hours that day)."""

    model_config = ConfigDict(extra="forbid")

    effector_id: int | None = Field(
        default=None,
        description="Par défaut l'effecteur connecté ; obligatoire pour la coordination.",
    )
    site_id: int
    day: date = Field(description="La date (aujourd'hui ou plus tard).")
    ranges: list[TimeRange] = Field(
        default_factory=list,
        max_length=6,
        description="Plages horaires de ce jour (heure de Paris) ; aucune : pas d'horaires.",
    )
    slot_minutes: int = Field(default=20, ge=5, le=240)
    kinds: KindList | None = Field(
        default=None, description="Par défaut ceux de la disponibilité récurrente de ce jour."
    )
    visibility: VisibilityList | None = Field(
        default=None, description="Par défaut celle de la disponibilité récurrente de ce jour."
    )
    shared_with_sas: bool | None = Field(
        default=None, description="Par défaut comme la disponibilité récurrente de ce jour."
    )
    note: str | None = Field(default=None, max_length=200)

    _plausible_days = field_validator("day")(_plausible_day)


class OverrideOut(BaseModel):
    id: int
    effector_id: int
    site_id: int
    day: date
    ranges: list[TimeRange]
    slot_minutes: int
    kinds: list[Kind]
    visibility: list[Visibility]
    shared_with_sas: bool
    note: str | None


class OverrideSaved(OverrideOut):
    """The saved override and what it did to that date (held and booked slots are kept)."""

    slots_removed: int = Field(
        description="Créneaux libres de la disponibilité récurrente retirés."
    )
    slots_created: int = Field(description="Créneaux ouverts aux nouveaux horaires.")
    booked_kept: int = Field(description="Créneaux réservés ou en cours de réservation, conservés.")


class PlannedSlot(BaseModel):
    start_at: datetime
    end_at: datetime


class KeptSlot(PlannedSlot):
    status: Literal["held", "booked"]


class OverridePreview(BaseModel):
    """What changing the hours of that date would do, before it is saved."""

    added: list[PlannedSlot] = Field(description="Créneaux qui seraient ouverts.")
    removed: list[PlannedSlot] = Field(
        description="Créneaux libres de la disponibilité récurrente qui seraient retirés."
    )
    kept: list[KeptSlot] = Field(description="Créneaux réservés ou tenus, conservés.")
    skipped: list[SkippedSlot] = Field(description="Créneaux non ouverts, avec la raison.")


# --- ICS ---------------------------------------------------------------------------------------


class IcsImportReport(BaseModel):
    events: int = Field(description="Occurrences d'événements SNP sur l'horizon.")
    slots: int = Field(description="Créneaux décrits par le calendrier.")
    created: int
    unchanged: int
    removed: int = Field(description="Créneaux libres disparus du calendrier, retirés.")
    skipped: int = Field(description="Créneaux ignorés (chevauchement, absence).")
    all_day_ignored: int = Field(
        default=0, description="Événements « journée entière » SNP ignorés (non convertis)."
    )
    all_day_converted: int = Field(
        default=0, description="Événements « journée entière » SNP convertis en créneaux."
    )


class IcsPlannedSlot(BaseModel):
    start_at: datetime
    end_at: datetime


class IcsSkippedSlot(BaseModel):
    start_at: datetime
    end_at: datetime
    reason: Literal["collision", "absence", "all_day", "beyond_horizon"]
    detail: str = Field(description="Pourquoi, en français (le créneau chevauché...).")


class IcsPreview(BaseModel):
    """What an ICS import would do with the chosen options, before anything is written."""

    events: int = Field(description="Occurrences d'événements SNP retenues sur l'horizon.")
    slots: int = Field(description="Créneaux décrits par le calendrier.")
    to_create: int = Field(description="Créneaux qui seraient créés.")
    unchanged: int = Field(description="Créneaux déjà importés, inchangés.")
    to_remove: int = Field(description="Créneaux libres disparus du calendrier, qui partiraient.")
    skipped_count: int = Field(description="Créneaux et événements qui seraient ignorés.")
    all_day_ignored: int = Field(description="Événements « journée entière » ignorés.")
    all_day_converted: int = Field(description="Événements « journée entière » convertis.")
    created: list[IcsPlannedSlot] = Field(description="Les créneaux à créer (200 au plus).")
    skipped: list[IcsSkippedSlot] = Field(description="Chacun, avec la raison (200 au plus).")


class FeedTokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effector_id: int | None = Field(
        default=None,
        description="Par défaut l'effecteur connecté ; obligatoire pour la coordination.",
    )


class FeedTokenOut(BaseModel):
    url: str = Field(description="Adresse à coller dans l'agenda (secrète, révocable).")
    path: str


def model_dump_set(model: BaseModel) -> dict[str, Any]:
    """The fields the client actually sent (PATCH semantics)."""
    return {name: getattr(model, name) for name in model.model_fields_set}


# --- Annuaire Santé import -----------------------------------------------------------------------


class AnnuaireEntry(BaseModel):
    rpps: str
    name: str
    profession: str
    communes: list[str]


class AnnuaireChange(BaseModel):
    entry: AnnuaireEntry
    fields: list[str]


class AnnuairePreview(BaseModel):
    """What an Annuaire Santé extraction would do to the directory (lists cut at 200)."""

    lines_read: int
    lines_kept: int = Field(description="Lignes des professions choisies dans le territoire.")
    added_count: int
    changed_count: int
    unchanged_count: int
    left_count: int = Field(description="Dans l'annuaire mais pas dans le fichier (laissés).")
    added: list[AnnuaireEntry]
    changed: list[AnnuaireChange]
    left: list[AnnuaireEntry]
    rejected_count: int = Field(description="Lignes écartées (identifiant invalide...).")
    rejected: list[str] = Field(description="Les premières : « line N, column C: raison ».")
    rejected_kinds: dict[str, int]
    phones_ignored: int


class AnnuaireJobOut(BaseModel):
    """An import of the extraction: its progress, then its preview, then its report."""

    id: int
    status: Literal["previewing", "ready", "applying", "done", "failed", "discarded"]
    file_name: str
    file_bytes: int
    bytes_read: int
    lines_read: int
    professions: list[str]
    preview: AnnuairePreview | None
    report: dict[str, int] | None
    error: str | None


class GeocodingReport(BaseModel):
    refined: int = Field(description="Lieux dont la position approximative a été précisée.")


class CaldavConnectIn(BaseModel):
    """A CalDAV calendar to connect: its address, the user name and an application password
    (never returned, stored encrypted)."""

    url: str = Field(min_length=8, max_length=1000, description="Adresse CalDAV du calendrier.")
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=500, description="Mot de passe d'application.")
    write_bookings: bool = Field(
        default=False,
        description="Inscrire les rendez-vous SNP pris dans ce calendrier (initiales seulement).",
    )
    effector_id: int | None = None


class CaldavConflictOut(BaseModel):
    appointment_id: str
    start_at: datetime
    end_at: datetime


class CaldavBusyOut(BaseModel):
    start_at: datetime
    end_at: datetime


class CaldavSyncOut(BaseModel):
    busy: int = Field(description="Plages occupées lues dans le calendrier.")
    withdrawn: int = Field(description="Créneaux libres retirés car chevauchant une plage occupée.")
    written: int = Field(
        description="Rendez-vous SNP inscrits dans le calendrier ou mis à jour (déplacés, issue)."
    )
    removed: int = Field(
        description="Rendez-vous SNP retirés du calendrier (annulés, à replanifier, trop anciens).",
    )
    conflicts: list[CaldavConflictOut] = Field(
        description="Rendez-vous SNP pris sur une plage occupée (conservés, à vérifier)."
    )


class CaldavLinkOut(BaseModel):
    """The connected calendar, without its password."""

    connected: bool
    url: str | None = None
    username: str | None = None
    write_bookings: bool = False
    last_synced_at: datetime | None = None
    last_error: str | None = None
    busy: list[CaldavBusyOut] = Field(default_factory=list)
    report: CaldavSyncOut | None = None
