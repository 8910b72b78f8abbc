"""French labels of the codes the indicators show (dashboard, exports, annual report)."""

from __future__ import annotations

ORIGINS = {
    "patient_call": "Appel du patient",
    "pharmacist": "Pharmacien",
    "nurse": "Infirmier",
    "emergency_department": "Service des urgences",
    "sas": "SAS",
    "other": "Autre",
}
CHANNELS = {"phone": "Téléphone", "form": "Formulaire professionnel", "sas": "Plateforme SAS"}
OUTCOMES = {
    "slot_booked": "Créneau réservé",
    "medical_advice": "Conseil médical",
    "redirected_15": "Orienté vers le 15",
    "teleconsultation": "Téléconsultation",
    "pharmacist": "Pharmacien",
    "emergency_department": "Urgences",
    "transferred_regulator": "Transmis au régulateur",
    "unreachable": "Injoignable",
    "cancelled_by_patient": "Annulé par le patient",
    "no_slot_found": "Aucun créneau trouvé",
    "open": "En cours",
}
APPOINTMENT_STATUSES = {
    "booked": "À venir ou non renseigné",
    "fulfilled": "Patient vu",
    "noshow": "Patient absent",
    "cancelled": "Annulé",
    "rescheduled": "À replanifier",
}
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def label(table: dict[str, str], key: str | None) -> str:
    if key is None:
        return "Non renseigné"
    return table.get(key, key)
