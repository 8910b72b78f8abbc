"""The gates no one walks around (the server's, whatever the UI shows).

- No slot is held or booked for a request that is not triaged (or was sent back to triage),
  nor for one the protocol sent to a regulator before a regulator recorded a decision.
- A request closes with a clinical outcome (advice, teleconsultation, pharmacist, emergency
  department, no slot found) only once triaged with a protocol version, or by a regulator (a
  physician, whose assessment replaces the protocol's) with a note; a request waiting for a
  regulator's decision closes with a clinical outcome only by a regulator.
"""

from __future__ import annotations

from regulation.errors import RegulatorDecisionRequired, TriageRequired
from regulation.models import Orientation, Outcome, RegulationRequest
from snp.actor import Actor
from snp.auth import Role

CLINICAL_OUTCOMES = frozenset(
    {
        Outcome.MEDICAL_ADVICE,
        Outcome.TELECONSULTATION,
        Outcome.PHARMACIST,
        Outcome.EMERGENCY_DEPARTMENT,
        Outcome.NO_SLOT_FOUND,
    }
)
NOT_TRIAGED = "Demande non triée : posez les signes d'alerte et faites le tri avant de réserver."
AWAITING_REGULATOR = (
    "Avis du médecin régulateur demandé par le protocole : aucun créneau ne peut être réservé "
    "avant sa décision."
)


def awaits_regulator(row: RegulationRequest) -> bool:
    return row.orientation == Orientation.ADVICE and row.regulator_decision_at is None


def ensure_bookable(row: RegulationRequest) -> None:
    """409 unless a slot may be held or booked for the request."""
    if row.triaged_at is None:
        if row.retriage_reason:
            raise TriageRequired(f"Demande à trier de nouveau : {row.retriage_reason}")
        raise TriageRequired(NOT_TRIAGED)
    if awaits_regulator(row):
        raise RegulatorDecisionRequired(AWAITING_REGULATOR)


def ensure_may_close(
    row: RegulationRequest, actor: Actor, outcome: Outcome, note: str | None
) -> None:
    """409 when `outcome` is clinical and the request's triage does not allow it."""
    if outcome not in CLINICAL_OUTCOMES:
        return
    regulator = actor.role == Role.REGULATOR
    if awaits_regulator(row) and not regulator:
        raise RegulatorDecisionRequired(
            "Avis du médecin régulateur demandé par le protocole : seul un médecin régulateur "
            "peut clôturer cette demande avec cette issue.",
            ("body", "outcome"),
        )
    if row.triaged_at is not None and row.protocol_version is not None:
        return
    if regulator and note:
        return
    if regulator:
        raise TriageRequired(
            "Demande non triée selon le protocole : indiquez votre évaluation médicale dans la "
            "note pour la clôturer avec cette issue.",
            ("body", "note"),
        )
    reason = f" ({row.retriage_reason})" if row.retriage_reason else ""
    raise TriageRequired(
        f"Demande non triée{reason} : faites le tri selon le protocole avant de la clôturer "
        "avec une issue médicale.",
        ("body", "outcome"),
    )
