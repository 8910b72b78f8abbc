"""The column set of the Annuaire Santé extraction `PS_LibreAcces_Personne_activite` (as
published, a trailing `|` on every line), and a writer of lines in that format: the tests' sample
files and the benchmark's generated extraction are built with it."""

from __future__ import annotations

from collections.abc import Mapping

HEADER = (
    "Type d'identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Code civilité d'exercice",
    "Libellé civilité d'exercice",
    "Code civilité",
    "Libellé civilité",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Code profession",
    "Libellé profession",
    "Code catégorie professionnelle",
    "Libellé catégorie professionnelle",
    "Code type savoir-faire",
    "Libellé type savoir-faire",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Code mode exercice",
    "Libellé mode exercice",
    "Numéro SIRET site",
    "Numéro SIREN site",
    "Numéro FINESS site",
    "Numéro FINESS établissement juridique",
    "Identifiant technique de la structure",
    "Raison sociale site",
    "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)",
    "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)",
    "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)",
    "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)",
    "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)",
    "Code commune (coord. structure)",
    "Libellé commune (coord. structure)",
    "Code pays (coord. structure)",
    "Libellé pays (coord. structure)",
    "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)",
    "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)",
    "Code Département (structure)",
    "Libellé Département (structure)",
    "Ancien identifiant de la structure",
    "Autorité d'enregistrement",
    "Code secteur d'activité",
    "Libellé secteur d'activité",
    "Code section tableau pharmaciens",
    "Libellé section tableau pharmaciens",
)


def header_line() -> str:
    return "|".join(HEADER) + "|\n"


def line(values: Mapping[str, str]) -> str:
    """One line of the extraction: the given columns, the others empty."""
    return "|".join(values.get(name, "") for name in HEADER) + "|\n"


def practitioner(
    *,
    rpps: str,
    family: str,
    given: str,
    profession: str = "10",
    savoir_faire: str = "SM54",
    site: str = "",
    number: str = "",
    street_type: str = "",
    street: str = "",
    postal: str = "",
    insee: str = "",
    city: str = "",
    phone: str = "",
    finess: str = "",
) -> str:
    labels = {"10": "Médecin", "60": "Infirmier", "21": "Pharmacien", "40": "Chirurgien-Dentiste"}
    return line(
        {
            "Type d'identifiant PP": "8",
            "Identifiant PP": rpps,
            "Identification nationale PP": "8" + rpps,
            "Code civilité d'exercice": "DR" if profession == "10" else "",
            "Libellé civilité d'exercice": "Docteur" if profession == "10" else "",
            "Nom d'exercice": family,
            "Prénom d'exercice": given,
            "Code profession": profession,
            "Libellé profession": labels.get(profession, ""),
            "Code catégorie professionnelle": "C",
            "Libellé catégorie professionnelle": "Civil",
            "Code type savoir-faire": "S" if savoir_faire else "",
            "Code savoir-faire": savoir_faire,
            "Libellé savoir-faire": "Médecine Générale" if savoir_faire == "SM54" else "",
            "Code mode exercice": "L",
            "Libellé mode exercice": "Libéral",
            "Numéro FINESS site": finess,
            "Raison sociale site": site,
            "Numéro Voie (coord. structure)": number,
            "Libellé type de voie (coord. structure)": street_type,
            "Libellé Voie (coord. structure)": street,
            "Code postal (coord. structure)": postal,
            "Code commune (coord. structure)": insee,
            "Libellé commune (coord. structure)": city,
            "Téléphone (coord. structure)": phone,
            "Code secteur d'activité": "SA07",
            "Libellé secteur d'activité": "Cabinet individuel",
        }
    )
