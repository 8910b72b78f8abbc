"""The roles of the platform; every route declares which of them may call it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    REGULATOR = "regulator"
    EFFECTOR = "effector"
    REFERRER = "referrer"
    SAS_REGULATOR = "sas_regulator"
    COORDINATOR = "coordinator"
    # Read-only ARS/CPAM: aggregated indicators, the ACI contract, reports; never a patient.
    FUNDER = "funder"


ROLE_LABELS: dict[Role, str] = {
    Role.OPERATOR: "Opérateur·rice SNP",
    Role.REGULATOR: "Médecin régulateur",
    Role.EFFECTOR: "Effecteur (médecin)",
    Role.REFERRER: "Orienteur (pharmacie, IDE, urgences)",
    Role.SAS_REGULATOR: "Régulateur SAS",
    Role.COORDINATOR: "Coordination CPTS",
    Role.FUNDER: "Financeur (ARS, CPAM)",
}
