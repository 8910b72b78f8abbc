"""Regulation's input and output shapes (the web console's API contract).

Inputs refuse unknown fields and explain every refusal in French, naming the field; times are
UTC with an offset (the UI shows them in Europe/Paris). The protocol versions' shapes are in
`schemas_protocol.py` (re-exported here), matching and booking's in `schemas_booking.py`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
)

from agenda import RequestAppointment
from regulation.models import (
    AssignedTo,
    CallbackResult,
    Mobility,
    Orientation,
    Origin,
    Outcome,
    Priority,
    RequestStatus,
    Sex,
    Transfer15Mode,
)
from regulation.schemas_protocol import (  # re-exported: the protocol's shapes live there
    PropertyCheckOut,
    ProtocolApprovalIn,
    ProtocolChecksOut,
    ProtocolCurrentOut,
    ProtocolDiffOut,
    ProtocolList,
    ProtocolUploadIn,
    ProtocolVersionOut,
    ProtocolVersionSummary,
    VignetteResultOut,
)
from snp.edge import within
from snp.identifiers import display_phone, parse_mobile_phone, parse_rpps
from snp.kit import PARIS, Page
from snp.territory import parse_insee_code

# A call-back is agreed for the coming days: not in 1970, not next year.
CallbackTime = Annotated[
    AwareDatetime,
    AfterValidator(within(timedelta(hours=1), timedelta(days=30), "L'heure de rappel")),
]


def _birth_date(value: date) -> date:
    today = datetime.now(PARIS).date()
    if value > today:
        raise ValueError("La date de naissance ne peut pas être dans le futur.")
    if value < today - timedelta(days=366 * 125):
        raise ValueError("Date de naissance invalide (plus de 125 ans).")
    return value


def _insee(value: str) -> str:
    try:
        return parse_insee_code(value)
    except ValueError:
        raise ValueError("Code INSEE attendu sur 5 caractères (ex. 35236, 2A004).") from None


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
BirthDate = Annotated[date, AfterValidator(_birth_date)]
MobilePhone = Annotated[str, AfterValidator(parse_mobile_phone)]
InseeCode = Annotated[str, AfterValidator(_insee)]
Rpps = Annotated[str, AfterValidator(parse_rpps)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
MotifId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
AnswerMap = dict[Annotated[str, StringConstraints(max_length=60)], bool | str]

ReferrerOrigin = Literal[Origin.PHARMACIST, Origin.NURSE, Origin.EMERGENCY_DEPARTMENT, Origin.OTHER]

STATUS_LABELS: dict[RequestStatus, str] = {
    RequestStatus.RECEIVED: "Reçue, à trier",
    RequestStatus.WAITING: "En attente",
    RequestStatus.CLAIMED: "En cours de traitement",
    RequestStatus.ORIENTED: "Orientée (rendez-vous pris)",
    RequestStatus.CLOSED: "Clôturée",
    RequestStatus.REDIRECTED_15: "Réorientée vers le 15",
}

OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.SLOT_BOOKED: "Rendez-vous pris",
    Outcome.MEDICAL_ADVICE: "Conseil médical donné",
    Outcome.REDIRECTED_15: "Réorientée vers le 15 (SAMU)",
    Outcome.TELECONSULTATION: "Téléconsultation",
    Outcome.PHARMACIST: "Orientée vers un pharmacien",
    Outcome.EMERGENCY_DEPARTMENT: "Orientée vers les urgences",
    Outcome.TRANSFERRED_REGULATOR: "Transférée à un médecin régulateur",
    Outcome.UNREACHABLE: "Patient injoignable",
    Outcome.CANCELLED_BY_PATIENT: "Annulée par le patient",
    Outcome.NO_SLOT_FOUND: "Aucun créneau trouvé",
}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PatientIn(_In):
    """The patient, as the operator or the referrer types it."""

    family_name: Name
    given_name: Name
    birth_date: BirthDate
    sex: Sex = Sex.UNDETERMINED
    phone: MobilePhone = Field(description="Mobile number, any notation; stored in E.164.")
    commune_insee: InseeCode | None = Field(
        default=None, description="INSEE code of a commune of the territory."
    )
    address_line: ShortText | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    has_gp: bool | None = Field(default=None, description="Has a médecin traitant.")
    gp_name: ShortText | None = None
    gp_rpps: Rpps | None = None
    mobility: Mobility = Mobility.CAN_TRAVEL
    sms_consent: bool = False
    motif: MotifId | None = Field(default=None, description="A motif id of the protocol.")
    notes: LongText | None = None
    referrer_phone: MobilePhone | None = Field(
        default=None,
        description="The referrer's mobile (a professional referring the patient): the outcome "
        "is sent there by SMS. Stored in E.164.",
    )


class RequestCreate(PatientIn):
    """Operator intake (a call). With `answers` (and `motif`) the request is triaged at once."""

    sex: Sex
    origin: Origin = Origin.PATIENT_CALL
    referrer_structure: ShortText | None = Field(
        default=None, description="Who referred the patient, when a professional calls."
    )
    claim: bool = Field(default=True, description="Keep the request in hand (on the phone).")
    answers: AnswerMap | None = None
    callback_at: CallbackTime | None = None


class ReferralCreate(PatientIn):
    """A referrer's form (pharmacist, nurse, emergency department): few required fields.

    `red_flags` are the protocol's red-flag questions the referrer answered; any "yes" sends the
    request to the 15 at once and the answer says so.
    """

    origin: ReferrerOrigin
    structure: ShortText | None = Field(
        default=None, description="Pharmacy, practice or department (default: account name)."
    )
    red_flags: dict[Annotated[str, StringConstraints(max_length=60)], bool] = Field(
        default_factory=dict
    )


class RequestUpdate(_In):
    """Corrections to the patient's details (only the fields sent change)."""

    family_name: Name | None = None
    given_name: Name | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    phone: MobilePhone | None = None
    commune_insee: InseeCode | None = None
    address_line: ShortText | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    has_gp: bool | None = None
    gp_name: ShortText | None = None
    gp_rpps: Rpps | None = None
    mobility: Mobility | None = None
    sms_consent: bool | None = None
    notes: LongText | None = None
    motif: MotifId | None = Field(
        default=None,
        description="A motif id of the protocol; changing it after triage sends the request "
        "back to triage.",
    )


class TriageIn(_In):
    answers: AnswerMap = Field(description="Question id -> true/false or a choice id.")
    motif: MotifId | None = Field(default=None, description="Changes the request's motif.")
    callback_at: CallbackTime | None = Field(
        default=None, description="Agreed call-back time (P3)."
    )


class CloseIn(_In):
    outcome: Outcome
    note: LongText | None = Field(
        default=None, description="Required for no_slot_found: what was tried."
    )


class CallbackIn(_In):
    result: CallbackResult
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class TransferIn(_In):
    note: LongText | None = None


# -- outputs ---------------------------------------------------------------------------------


class RedFlagOut(BaseModel):
    id: str
    reason: str
    question: str | None = None


class TriageOut(BaseModel):
    request_id: int
    status: RequestStatus
    call_15: bool = Field(description="Red flag: tell the patient to call the 15 now.")
    message: str
    protocol_version: int
    age_band: str
    rule: str = Field(description="The protocol part that decided (red flag, rule or default).")
    priority: Priority
    deadline_at: datetime | None
    orientation: Orientation | None
    advice: str | None
    red_flag: RedFlagOut | None
    raised_by: list[str] = Field(
        default_factory=list,
        description="What made the result stricter than the motif's rule: the age band and risk "
        'factors whose floor applied ("age:newborn", "risk:anticoagulant").',
    )


class CallbackAttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    operator_name: str
    result: CallbackResult
    note: str | None


class TimelineEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    kind: str
    actor_name: str
    detail: dict[str, Any] | None


class FreeTextFlagOut(BaseModel):
    """Red-flag words found in the request's free text (notes, referral comment)."""

    id: str
    label: str
    words: list[str]


class RequestOut(BaseModel):
    """A request as the operator console shows it."""

    id: int
    status: RequestStatus
    assigned_to: AssignedTo
    family_name: str
    given_name: str
    birth_date: date
    age_months: int
    age_label: str
    sex: Sex
    phone: str
    commune_insee: str | None
    address_line: str | None
    latitude: float | None
    longitude: float | None
    has_gp: bool | None
    gp_name: str | None
    gp_rpps: str | None
    mobility: Mobility
    sms_consent: bool
    motif: str | None
    notes: str | None
    triage_answers: dict[str, Any] | None
    origin: Origin
    referrer_user_id: int | None
    referrer_structure: str | None
    referrer_phone: str | None = None
    referrer_answers: dict[str, bool] | None = Field(
        default=None,
        description="The referrer's own red-flag answers (at `received_at`), to confirm or change.",
    )
    protocol_version: int | None
    age_band: str | None
    priority: Priority | None
    deadline_at: datetime | None
    orientation: Orientation | None
    triage_rule: str | None
    red_flag_id: str | None
    red_flag_text: str | None
    callback_at: datetime | None
    claimed_by_user_id: int | None
    claimed_by_name: str | None
    claim_started_at: datetime | None
    outcome: Outcome | None
    outcome_note: str | None
    appointment_id: str | None
    hold_slot_id: int | None = Field(description="Créneau tenu pendant la confirmation.")
    hold_kind: str | None
    hold_expires_at: datetime | None
    rebook_reason: str | None = Field(description="« À replanifier » : pourquoi.")
    rebook_at: datetime | None
    offered_slot_id: int | None = Field(description="Créneau libéré proposé en priorité.")
    received_at: datetime
    triaged_at: datetime | None
    claimed_at: datetime | None
    oriented_at: datetime | None
    closed_at: datetime | None
    consultation_at: datetime | None
    callback_attempts: list[CallbackAttemptOut]
    timeline: list[TimelineEntryOut]
    retriage_reason: str | None = Field(
        default=None,
        description="Renvoyée au tri (âge, sexe ou motif changé, RDV annulé) : "
        "pourquoi ; aucune réservation avant un nouveau tri.",
    )
    may_book: bool = Field(
        default=False,
        description="A slot may be held and booked (triaged, no regulator's advice awaited).",
    )
    awaiting_regulator: bool = Field(
        default=False,
        description="The protocol asked for a regulator's advice, none recorded yet.",
    )
    regulator_decision_at: datetime | None = None
    regulator_decision_by_name: str | None = None
    regulator_note: str | None = None
    transfer_15_mode: Transfer15Mode | None = Field(
        default=None, description="Red flag: how the call reached the 15 (once recorded)."
    )
    transfer_15_at: datetime | None = None
    transfer_15_by_name: str | None = None
    transfer_15_note: str | None = None
    free_text_flags: list[FreeTextFlagOut] = Field(
        default_factory=list, description="Mots d'alerte trouvés dans le texte libre."
    )
    free_text_warning: str | None = Field(
        default=None, description="L'avertissement à montrer à l'opérateur (mots d'alerte)."
    )
    appointments: list[RequestAppointment] = Field(
        default_factory=list,
        description="Its appointments, latest first: who, when, where, and what became of each.",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


class RequestSummary(BaseModel):
    id: int
    status: RequestStatus
    priority: Priority | None
    family_name: str
    given_name: str
    birth_date: date
    phone: str
    age_label: str
    motif: str | None
    origin: Origin
    received_at: datetime
    deadline_at: datetime | None
    outcome: Outcome | None
    closed_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)


class RequestPage(Page[RequestSummary]):
    pass


Urgency = Literal["ok", "soon", "overdue"]


class QueueItem(BaseModel):
    id: int
    status: RequestStatus
    assigned_to: AssignedTo
    priority: Priority | None = Field(description="None: not triaged yet (to triage first).")
    motif: str | None
    origin: Origin
    referrer_structure: str | None
    family_name: str
    given_name: str
    age_label: str
    commune_insee: str | None
    mobility: Mobility
    received_at: datetime
    deadline_at: datetime | None
    callback_at: datetime | None
    waiting_seconds: int
    seconds_left: int | None = Field(description="Negative once the deadline is passed.")
    urgency: Urgency = Field(
        description="ok, soon (< 1 h left, or the last third of a shorter window) or overdue: "
        "the UI's colour."
    )
    soon_seconds: int = Field(
        default=3600, description="Time left under which this request shows as soon."
    )
    claimed_by_user_id: int | None
    claimed_by_name: str | None
    failed_callbacks: int
    rebook_reason: str | None = Field(
        default=None, description="Non vide : « à replanifier » (rendez-vous annulé), et pourquoi."
    )
    offered_slot_id: int | None = Field(
        default=None, description="Un créneau libéré lui est proposé en priorité."
    )
    retriage_reason: str | None = Field(
        default=None, description="Non vide : renvoyée au tri, et pourquoi."
    )
    awaiting_regulator: bool = Field(
        default=False, description="Avis du médecin régulateur attendu avant toute réservation."
    )
    free_text_alert: bool = Field(
        default=False, description="Mots d'alerte dans le texte libre de la demande."
    )
    transfer_note: str | None = Field(
        default=None,
        description="Motif du transfert au médecin régulateur donné par l'opérateur (le dernier).",
    )


class QueueOut(BaseModel):
    generated_at: datetime
    items: list[QueueItem]


class ClaimOut(BaseModel):
    request_id: int
    status: RequestStatus
    claimed_by_user_id: int | None
    claimed_by_name: str | None
    claim_started_at: datetime | None


class HeartbeatOut(BaseModel):
    refreshed: int = Field(description="How many claims of yours were kept alive.")


class CallbackOut(BaseModel):
    attempt: CallbackAttemptOut
    failed_attempts: int
    unreachable_allowed: bool = Field(description="Enough failed attempts to close unreachable.")


class ReferralAppointmentOut(BaseModel):
    """The appointment booked for a referral, as the referrer sees it: who, where and when."""

    status: str = Field(description="booked, cancelled, fulfilled, noshow, to_rebook")
    status_label: str
    kind: str = Field(description="AMB (cabinet), HH (visite à domicile), VR (téléconsultation)")
    start_at: datetime
    end_at: datetime
    practitioner: str = Field(description="« Dr Prénom Nom ».")
    practitioner_phone: str
    site_name: str | None
    address_line: str | None
    postal_code: str | None
    city: str | None


class ReferralOut(BaseModel):
    """What a referrer sees of their own referral: its progress and outcome."""

    id: int
    family_name: str
    given_name: str
    birth_date: date
    motif: str | None
    origin: Origin
    status: RequestStatus
    status_label: str
    outcome: Outcome | None
    outcome_label: str | None
    orientation: Orientation | None
    received_at: datetime
    closed_at: datetime | None
    consultation_at: datetime | None
    call_15: bool = Field(description="Sent to the 15: the patient must call it now.")
    message: str | None
    appointment: ReferralAppointmentOut | None = Field(
        default=None, description="The current appointment (on the referral's own page only)."
    )


class ReferralPage(Page[ReferralOut]):
    pass


__all__ = [
    "PropertyCheckOut",
    "ProtocolApprovalIn",
    "ProtocolChecksOut",
    "ProtocolCurrentOut",
    "ProtocolDiffOut",
    "ProtocolList",
    "ProtocolUploadIn",
    "ProtocolVersionOut",
    "ProtocolVersionSummary",
    "VignetteResultOut",
]
