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
# The protocol's age bands (regulation/protocols), as the exports print them.
AGE_BANDS = {
    "newborn": "Nourrisson de moins de 3 mois",
    "infant": "Nourrisson de 3 mois à 2 ans",
    "child": "Enfant de 2 à 15 ans",
    "adult": "Adulte de 15 à 75 ans",
    "elderly": "Personne de 75 ans et plus",
}
# Export file names (French, no accent).
FILE_NAMES = {
    "national": "consultations-enregistrees",
    "requests_by_origin": "demandes-par-origine",
    "requests_by_channel": "demandes-par-canal",
    "requests_by_outcome": "demandes-par-issue",
    "requests_by_period": "demandes-par-periode",
    "delays": "delais",
    "slots": "creneaux-et-rendez-vous",
    "effectors": "par-effecteur",
    "emergency": "urgences-evitees",
    "supply_by_hour": "offre-et-demande-par-heure",
    "supply_by_commune": "offre-et-demande-par-commune",
    "snp_fee": "majoration-snp",
    "satisfaction": "satisfaction",
    "records": "demandes-pseudonymisees",
    "consultations": "consultations-majoration-snp",
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
