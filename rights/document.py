"""The right-of-access export as a readable French document: one self-contained HTML page
(no script, printable, openable on any computer), every value escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from html import escape

from rights.schemas import PersonRecordsOut
from snp.identifiers import display_phone
from snp.kit import PARIS

STATUS = {
    "received": "reçue",
    "waiting": "en attente",
    "claimed": "en cours de traitement",
    "oriented": "orientée (rendez-vous à venir)",
    "closed": "close",
    "redirected_15": "orientée vers le 15",
    "booked": "prévu",
    "cancelled": "annulé",
    "fulfilled": "honoré",
    "noshow": "non honoré",
    "to_rebook": "à replanifier",
}
ORIGIN = {
    "patient_call": "appel du patient",
    "pharmacist": "pharmacie",
    "nurse": "infirmier",
    "emergency_department": "urgences",
    "sas": "SAS",
    "other": "autre",
}
SEX = {"female": "féminin", "male": "masculin", "undetermined": "non précisé"}
AUDIENCE = {"patient": "vous", "effector": "le médecin", "referrer": "le professionnel orienteur"}
ACTION = {
    "read": "consultation",
    "create": "création",
    "update": "modification",
    "delete": "suppression",
    "rights_search": "recherche (droits du patient)",
    "rights_export": "export (droit d'accès)",
    "rectify": "rectification",
    "erase": "effacement",
    "pseudonymise": "pseudonymisation",
}
DIRECTION = {"inbound": "appel reçu de vous", "callback": "rappel vers vous"}
CALL_OUTCOME = {
    "request_created": "demande enregistrée",
    "request_linked": "rattaché à une demande",
    "advice_only": "conseil",
    "wrong_number": "erreur de numéro",
    "abandoned": "raccroché pendant l'attente",
    "no_operator": "aucun opérateur disponible",
    "out_of_hours": "hors des heures d'ouverture",
    "reached": "joint",
    "no_answer": "pas de réponse",
    "busy": "occupé",
}
ROLE = {
    "operator": "opérateur",
    "regulator": "médecin régulateur",
    "coordinator": "coordination",
    "effector": "médecin effecteur",
    "referrer": "professionnel orienteur",
    "sas_regulator": "régulateur du SAS",
}


def _text(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime):
        return value.astimezone(PARIS).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return escape(str(value))


def _phone(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return escape(display_phone(value))
    except Exception:
        return escape(value)


def _seconds(value: int | None) -> str:
    if value is None:
        return "—"
    minutes, seconds = divmod(value, 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def _rows(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f"<tr><th scope='row'>{escape(k)}</th><td>{v}</td></tr>" for k, v in pairs)


def _table(headers: Sequence[str], lines: Iterable[Sequence[str]]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line) + "</tr>" for line in lines)
    if not body:
        return "<p>Aucun.</p>"
    head = "".join(f"<th scope='col'>{escape(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(records: PersonRecordsOut) -> str:
    parts: list[str] = []
    for request in records.requests:
        answers = request.triage_answers or {}
        answer_text = ", ".join(f"{escape(k)} : {_text(v)}" for k, v in answers.items()) or "—"
        parts.append(f"<h3>Demande n° {request.id} du {_text(request.received_at)}</h3>")
        parts.append(
            "<table>"
            + _rows(
                [
                    ("Nom", _text(request.family_name)),
                    ("Prénom", _text(request.given_name)),
                    ("Date de naissance", _text(request.birth_date)),
                    ("Sexe", escape(SEX.get(request.sex, request.sex))),
                    ("Téléphone", _phone(request.phone)),
                    ("Adresse", _text(request.address_line)),
                    ("Commune (code INSEE)", _text(request.commune_insee)),
                    ("Médecin traitant", _text(request.gp_name)),
                    ("Accord pour les SMS de suivi", _text(request.sms_consent)),
                    ("Origine", escape(ORIGIN.get(request.origin, request.origin))),
                    ("Structure qui vous a orienté", _text(request.referrer_structure)),
                    ("Motif", _text(request.motif)),
                    ("Réponses aux questions", answer_text),
                    ("Notes", _text(request.notes)),
                    ("Priorité", _text(request.priority)),
                    ("Orientation", _text(request.orientation)),
                    ("Signe d'alerte", _text(request.red_flag_text)),
                    ("Avis du médecin régulateur", _text(request.regulator_note)),
                    ("Issue", _text(request.outcome)),
                    ("Note de clôture", _text(request.outcome_note)),
                    ("État", escape(STATUS.get(request.status, request.status))),
                    ("Close le", _text(request.closed_at)),
                ]
            )
            + "</table>"
        )
        if request.callbacks:
            parts.append("<h4>Rappels téléphoniques</h4>")
            parts.append(
                _table(
                    ["Date", "Résultat", "Note"],
                    [[_text(c.at), _text(c.result), _text(c.note)] for c in request.callbacks],
                )
            )
    appointments = _table(
        ["Date", "Médecin", "Lieu", "État", "Annulation"],
        [
            [
                _text(a.start_at),
                _text(a.effector_name),
                _text(a.place),
                escape(STATUS.get(a.status, a.status)),
                _text(a.cancel_reason),
            ]
            for a in records.appointments
        ],
    )
    sent = _table(
        ["Date", "Destinataire", "Texte", "État"],
        [
            [
                _text(m.created_at),
                escape(AUDIENCE.get(m.audience, m.audience)),
                _text(m.body),
                _text(m.status),
            ]
            for m in records.sms_sent
        ],
    )
    received = _table(
        ["Date", "Numéro", "Texte"],
        [[_text(m.received_at), _phone(m.sender), _text(m.body)] for m in records.sms_received],
    )
    opt_outs = _table(
        ["Numéro", "Mot-clé", "Depuis le"],
        [[_phone(o.phone), _text(o.keyword), _text(o.created_at)] for o in records.opt_outs],
    )
    surveys = _table(
        ["Envoyée le", "Note", "Répondue le"],
        [[_text(s.sent_at), _text(s.score), _text(s.answered_at)] for s in records.surveys],
    )
    calls = _table(
        ["Date", "Sens", "Numéro", "Attente", "Durée", "Issue"],
        [
            [
                _text(c.arrived_at),
                escape(DIRECTION.get(c.direction, c.direction)),
                _phone(c.number),
                _seconds(c.wait_seconds),
                _seconds(c.duration_seconds),
                escape(CALL_OUTCOME.get(c.outcome or "", c.outcome or "—")),
            ]
            for c in records.calls
        ],
    )
    accesses = _table(
        ["Date", "Qui (fonction)", "Action"],
        [
            [
                _text(e.at),
                escape(ROLE.get(e.actor_role or "", e.actor_role or "système")),
                escape(ACTION.get(e.action, e.action)),
            ]
            for e in records.accesses
        ],
    )
    controller = escape(records.controller)
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Vos données personnelles – {controller}</title>
<style>body{{font-family:sans-serif;max-width:50rem;margin:auto;padding:1rem;line-height:1.4}}
table{{border-collapse:collapse;width:100%;margin-bottom:1rem}}
th,td{{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}}</style>
</head><body>
<h1>Vos données personnelles</h1>
<p>Réponse de {controller} à votre demande d'accès (article 15 du RGPD), établie le
{_text(records.generated_at)}. Ce document contient toutes les données que la plateforme de
soins non programmés conserve sur vous.</p>
<h2>Vos demandes</h2>
{"".join(parts) or "<p>Aucune.</p>"}
<h2>Vos rendez-vous</h2>
{appointments}
<h2>SMS envoyés</h2>
{sent}
<h2>SMS reçus de vous</h2>
{received}
<h2>Opposition aux SMS (STOP)</h2>
{opt_outs}
<h2>Enquêtes de satisfaction</h2>
{surveys}
<h2>Vos appels au numéro de la CPTS</h2>
{calls}
<h2>Accès à votre dossier</h2>
<p>Qui a consulté ou modifié vos données, et quand (journal d'audit).</p>
{accesses}
<p>Vous pouvez demander la rectification ou l'effacement de ces données auprès de
{controller}, ou saisir la CNIL (www.cnil.fr).</p>
</body></html>"""
