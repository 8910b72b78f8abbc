"""What the notifications API reads and returns (French descriptions for the generated client)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from snp.kit import Page

MessageState = Literal[
    "queued", "sending", "sent", "delivered", "failed", "undeliverable", "suppressed"
]
AudienceName = Literal["patient", "effector", "referrer"]


class MessageOut(BaseModel):
    """One SMS of the outbox, as the coordinator's demo page shows it."""

    id: int
    created_at: datetime
    audience: AudienceName
    recipient: str = Field(description="Numéro E.164.")
    recipient_display: str = Field(description="Numéro affiché à la française.")
    template: str
    body: str
    encoding: Literal["GSM-7", "UCS-2"]
    segments: int
    status: MessageState
    essential: bool = Field(description="Envoyé même après STOP (confirmations, annulations).")
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None
    failed_at: datetime | None
    provider: str | None
    error_code: str | None
    error_label: str | None = Field(description="Motif de l'échec, en clair.")
    appointment_id: str | None
    appointment_start_at: datetime | None
    request_id: int | None
    effector_id: int | None


class MessagePage(Page[MessageOut]):
    limit: int
    offset: int


class AlertOut(BaseModel):
    """An essential SMS that will not arrive: phone the recipient, then acknowledge."""

    id: int
    status: Literal["failed", "undeliverable"]
    audience: AudienceName
    recipient: str
    recipient_display: str
    template: str
    reason: str = Field(description="Motif de l'échec, en clair.")
    error_code: str | None
    appointment_id: str | None
    appointment_start_at: datetime | None
    request_id: int | None
    effector_id: int | None
    created_at: datetime
    failed_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class InboundAlertOut(BaseModel):
    """A patient's SMS the platform did not understand: a person must read it (and call back
    at once when it holds red-flag words)."""

    id: int
    sender: str
    sender_display: str
    body: str
    received_at: datetime
    red_flag_words: str | None = Field(description="Mots d'alerte trouvés, ou rien.")
    urgent: bool = Field(description="Mots d'alerte : rappeler le patient sans attendre.")
    request_id: int | None = Field(description="La dernière demande dont ce numéro a reçu un SMS.")
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class AlertPage(Page[AlertOut]):
    inbound: list[InboundAlertOut] = Field(
        default_factory=list,
        description="SMS de patients non compris (les urgents d'abord), à lire et traiter.",
    )


class ConsoleInboundIn(BaseModel):
    """A reply typed on the demo page as if a phone had sent it (console backend only)."""

    model_config = ConfigDict(extra="forbid")

    sender: str = Field(min_length=6, max_length=30, description="Numéro de l'expéditeur.")
    body: str = Field(min_length=1, max_length=480, description="Texte du SMS reçu.")


class InboundOut(BaseModel):
    keyword: str | None = Field(
        description="Mot-clé reconnu : STOP, START, ANNULER, OUI, NOTE (chiffre de 1 à 5)."
    )
    outcome: str = Field(description="Ce qui a été fait.")
    duplicate: bool = Field(description="Déjà reçu (le fournisseur a renvoyé le même SMS).")


class BroadcastIn(BaseModel):
    """Offer a patient to several volunteer effectors at once by SMS."""

    model_config = ConfigDict(extra="forbid")

    request_id: int | None = Field(default=None, description="Demande de régulation concernée.")
    place: str = Field(min_length=2, max_length=40, description="Commune ou quartier du patient.")
    effector_ids: list[int] = Field(min_length=1, max_length=200)
    expires_minutes: int = Field(default=30, ge=5, le=720)


class BroadcastOut(BaseModel):
    id: int
    code: str
    request_id: int | None
    place: str
    status: Literal["open", "taken", "closed"]
    expires_at: datetime
    targets: int
    winner_effector_id: int | None
    taken_at: datetime | None
    step: str | None = Field(default=None, description="Étape d'escalade : gp, nearby, cpts.")
    winner_name: str | None = Field(default=None, description="L'effecteur qui a pris le patient.")
    answers: int = Field(default=0, description="Réponses OUI reçues (gagnante et tardives).")
    appointment_id: str | None = None
    appointment_start_at: datetime | None = Field(
        default=None, description="RDV posé pour le patient (heure donnée ou créneau libre)."
    )
    created_at: datetime | None = None


class BroadcastPage(BaseModel):
    items: list[BroadcastOut]
