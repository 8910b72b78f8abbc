"""The public patient information notice (RGPD art. 13-14): what the CPTS does with the data of
the people it helps, how long it keeps it, and how to exercise one's rights.

Served at `/informations-patients` without login, as plain HTML (readable on any phone, no
script), so SMS (through the short link `/donnees`) and the phone script can point to it.
The CPTS's name and phone come from the territory settings; the retention periods from the
platform's settings.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse

from snp import territory
from snp.deps import SessionDep, SettingsDep, public

router = APIRouter(tags=["patient-info"])

PATH = "/informations-patients"
# The short link the patients' SMS carry (every character counts in an SMS).
SHORT_PATH = "/donnees"


def notice_link(public_base_url: str) -> str:
    """The notice's short absolute link (`https://snp.example.fr/donnees`), or "" when the
    platform's public address is not configured."""
    base = public_base_url.strip().rstrip("/")
    return f"{base}{SHORT_PATH}" if base else ""


@router.get(SHORT_PATH, dependencies=[Depends(public)], include_in_schema=False)
async def patient_information_short_link() -> RedirectResponse:
    """The SMS's short link: to the notice."""
    return RedirectResponse(PATH, status_code=308)


@router.get(PATH, dependencies=[Depends(public)], response_class=HTMLResponse)
async def patient_information(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """Notice d'information des patients (publique)."""
    cpts = await territory.get_cpts(session)
    name = escape(cpts.name) if cpts else "la CPTS"
    phone = escape(cpts.phone_display) if cpts else ""
    contact = f" au {phone}" if phone else ""
    months = settings.retention_months
    body = f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vos données – {name}</title></head><body>
<main style="max-width:40rem;margin:auto;font-family:sans-serif;line-height:1.5;padding:1rem">
<h1>Vos données personnelles</h1>
<p>Vous avez appelé ou été orienté vers le service de soins non programmés de {name}.
Pour vous trouver un rendez-vous, nous enregistrons votre identité, votre numéro de portable,
votre commune, le motif de votre demande et vos réponses aux questions de l'opérateur.</p>
<h2>Qui les voit</h2>
<p>Les opérateurs et médecins régulateurs de {name} ; le médecin qui vous reçoit (vos
initiales et votre âge) ; le Service d'accès aux soins (SAS) quand il a pris le rendez-vous.
Les données sont hébergées par un hébergeur certifié pour les données de santé (HDS).</p>
<h2>Les SMS</h2>
<p>Nous ne vous envoyons de SMS de suivi (rappel, enquête) qu'avec votre accord.
Répondez STOP pour ne plus en recevoir.</p>
<h2>Combien de temps</h2>
<p>Votre nom, votre téléphone, votre adresse et les notes sont effacés {months} mois après la
fin de la prise en charge. Seules des statistiques anonymes sont conservées.</p>
<h2>Vos droits</h2>
<p>Vous pouvez demander à consulter, corriger ou faire effacer vos données, ou vous opposer à
leur utilisation, en contactant {name}{contact}. Vous pouvez aussi saisir la CNIL
(www.cnil.fr).</p>
</main></body></html>"""
    return HTMLResponse(body, headers={"Cache-Control": "no-cache"})
