"""Exports of every dashboard table and of the drill-down list, as CSV (`;`, UTF-8 with BOM,
so Excel in French opens it) or XLSX (openpyxl). French headers; no identity unless a
coordinator asks for it (the API traces that export in the audit trail)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import regulation
from indicators import labels
from indicators.queries import compute_dashboard
from indicators.records import list_consultations, list_records
from indicators.schemas import Count, Dashboard, Filters, SupplyDemandRow
from indicators.timeutil import paris
from snp.kit import PageParams
from snp.settings import Settings
from snp.spreadsheet import safe_cell

Table = Literal[
    "national",
    "requests_by_origin",
    "requests_by_channel",
    "requests_by_outcome",
    "requests_by_period",
    "delays",
    "slots",
    "effectors",
    "emergency",
    "supply_by_hour",
    "supply_by_commune",
    "snp_fee",
    "satisfaction",
    "records",
    "consultations",
]
TABLES: tuple[str, ...] = Table.__args__  # type: ignore[attr-defined]
TITLES: dict[str, str] = {
    "national": "Indicateur national : consultations enregistrées",
    "requests_by_origin": "Demandes par origine",
    "requests_by_channel": "Demandes par canal",
    "requests_by_outcome": "Demandes par issue",
    "requests_by_period": "Demandes par période",
    "delays": "Délais",
    "slots": "Créneaux et rendez-vous",
    "effectors": "Par effecteur",
    "emergency": "Urgences évitées",
    "supply_by_hour": "Offre et demande par heure",
    "supply_by_commune": "Offre et demande par commune",
    "snp_fee": "Majoration SNP",
    "satisfaction": "Satisfaction des patients",
    "records": "Demandes (pseudonymisées)",
    "consultations": "Consultations et majoration SNP",
}
Cell = str | int | float | datetime | None
Rows = tuple[list[str], list[list[Cell]]]


def _counts(title: str, counts: list[Count]) -> Rows:
    return [title, "Nombre"], [[c.label, c.count] for c in counts]


def _supply(first: str, rows: list[SupplyDemandRow]) -> Rows:
    return (
        [first, "Demandes", "Créneaux proposés", "Créneaux libres"],
        [[r.label, r.requests, r.offered, r.free] for r in rows],
    )


def _pairs(pairs: Sequence[tuple[str, Cell]]) -> Rows:
    return ["Indicateur", "Valeur"], [[k, v] for k, v in pairs]


def dashboard_table(d: Dashboard, table: str) -> Rows:
    if table == "national":
        rows: list[list[Cell]] = [
            [
                p.label + (" (partiel)" if p.partial else ""),
                p.consultations,
                p.previous_year,
                p.growth_percent,
            ]
            for p in d.national.periods
        ]
        rows.append(
            [
                "Total" + (" (partiel)" if d.national.partial else ""),
                d.national.consultations,
                d.national.previous_year,
                d.national.growth_percent,
            ]
        )
        return (
            ["Période", "Consultations", "Mêmes jours l'an passé", "Évolution (%)"],
            rows,
        )
    if table == "requests_by_origin":
        return _counts("Origine", d.requests.by_origin)
    if table == "requests_by_channel":
        return _counts("Canal", d.requests.by_channel)
    if table == "requests_by_outcome":
        return _counts("Issue", d.requests.by_outcome)
    if table == "requests_by_period":
        return _counts("Période", d.requests.by_period)
    if table == "delays":
        x = d.delays
        return _pairs(
            [
                ("Demandes orientées vers un créneau", x.slot_requests),
                ("Demandes orientées vues en consultation (par date de demande)", x.consulted),
                ("Vues dans les 24 h", x.within_24h),
                ("Vues dans les 48 h", x.within_48h),
                ("Part vue dans les 24 h (%)", x.share_24h_percent),
                ("Part vue dans les 48 h (%)", x.share_48h_percent),
                ("Délai médian demande → consultation (min)", x.median_minutes),
                ("90e centile demande → consultation (min)", x.p90_minutes),
                ("Demandes rappelées", x.callbacks),
                ("Délai médian du premier rappel (min)", x.callback_median_minutes),
                ("90e centile du premier rappel (min)", x.callback_p90_minutes),
            ]
        )
    if table == "slots":
        s = d.slots
        return _pairs(
            [
                ("Créneaux proposés", s.offered),
                ("dont disponibilités récurrentes", s.offered_recurring),
                ("dont agendas importés (ICS)", s.offered_imported),
                ("Créneaux réservés", s.booked_now),
                ("Créneaux libres", s.free),
                ("Taux de remplissage (%)", s.fill_rate_percent),
                ("Rendez-vous", s.appointments),
                ("Patients vus", s.fulfilled),
                ("Patients absents", s.noshow),
                ("Taux d'absence (%)", s.noshow_rate_percent),
                ("Annulés", s.cancelled),
                ("À replanifier", s.rescheduled),
                ("Résultat non renseigné", s.pending),
                ("Adressés aux urgences après consultation", s.sent_to_ed),
                ("Hospitalisés après consultation", s.hospitalised),
            ]
        )
    if table == "effectors":
        return (
            [
                "Effecteur",
                "Créneaux proposés",
                "Rendez-vous",
                "Patients vus",
                "Patients absents",
                "Éligibles à la majoration SNP",
            ],
            [
                [e.name, e.offered, e.booked, e.seen, e.noshows, e.snp_fee_eligible]
                for e in d.effectors
            ],
        )
    if table == "emergency":
        e = d.emergency
        return _pairs(
            [
                ("Demandes adressées par les urgences", e.ed_referrals),
                ("… prises en charge en ville", e.ed_referrals_handled_in_town),
                ("Patients qui seraient allés aux urgences", e.would_have_gone_to_ed),
                ("Passages aux urgences évités (estimation)", e.ed_visits_avoided),
            ]
        )
    if table == "supply_by_hour":
        return _supply("Heure", d.supply_demand.by_hour)
    if table == "supply_by_commune":
        return _supply("Commune (INSEE)", d.supply_demand.by_commune)
    if table == "snp_fee":
        f = d.snp_fee
        return _pairs(
            [
                ("Plafond hebdomadaire par médecin", f.weekly_cap),
                ("Consultations réalisées", f.fulfilled),
                ("Éligibles à la majoration SNP", f.eligible),
                ("Non éligibles : patient du médecin traitant", f.not_eligible_own_patient),
                ("Non éligibles : hors délai de 48 h ou sans régulation", f.not_eligible_delay),
                ("Non éligibles : plafond hebdomadaire atteint", f.not_eligible_cap),
            ]
        )
    if table == "satisfaction":
        return _counts("Note", d.satisfaction.distribution)
    raise ValueError(table)


def _local(value: datetime | None) -> datetime | None:
    """Paris wall-clock time without offset: Excel shows it as a date, the CSV as dd/mm/yyyy."""
    return paris(value).replace(tzinfo=None) if value is not None else None


async def records_table(
    session: AsyncSession, filters: Filters, *, with_identity: bool
) -> tuple[Rows, list[int]]:
    headers = [
        "Pseudonyme",
        "Reçue le",
        "Origine",
        "Canal",
        "Commune (INSEE)",
        "Tranche d'âge",
        "Priorité",
        "Issue",
        "Consultation le",
        "Rendez-vous",
        "Délai (min)",
        "Serait allé aux urgences",
    ]
    page = await list_records(session, filters, PageParams(limit=10_000_000))
    ids = [int(r.pseudonym[2:]) for r in page.items]
    rows: list[list[Cell]] = [
        [
            r.pseudonym,
            _local(r.received_at),
            labels.label(labels.ORIGINS, r.origin),
            labels.label(labels.CHANNELS, r.channel),
            r.commune_insee,
            labels.label(labels.AGE_BANDS, r.age_band) if r.age_band else None,
            r.priority,
            labels.label(labels.OUTCOMES, r.outcome or "open"),
            _local(r.consultation_at),
            labels.label(labels.APPOINTMENT_STATUSES, r.appointment_status)
            if r.appointment_status
            else None,
            r.consultation_minutes,
            {True: "oui", False: "non", None: None}[r.would_go_to_ed],
        ]
        for r in page.items
    ]
    if with_identity:
        identities = await regulation.request_identities(session, ids)
        headers += ["Nom", "Prénom", "Date de naissance", "Téléphone"]
        for request_id, row in zip(ids, rows, strict=True):
            who = identities.get(request_id)
            row += (
                [who.family_name, who.given_name, who.birth_date.strftime("%d/%m/%Y"), who.phone]
                if who
                else [None, None, None, None]
            )
    return (headers, rows), ids


async def consultations_table(session: AsyncSession, filters: Filters, weekly_cap: int) -> Rows:
    items = await list_consultations(session, filters, weekly_cap)
    names = await agenda.effector_names(session, {i.effector_id for i in items})
    after_care = {"emergency": "Urgences", "hospitalised": "Hospitalisation"}
    headers = [
        "Consultation le",
        "Effecteur",
        "Demande",
        "Commune du lieu (INSEE)",
        "Origine",
        "Délai depuis la demande (min)",
        "Suite",
        "Majoration SNP",
    ]
    rows: list[list[Cell]] = [
        [
            _local(i.start_at),
            names.get(i.effector_id, f"Effecteur {i.effector_id}"),
            i.pseudonym,
            i.site_commune,
            labels.label(labels.ORIGINS, i.origin),
            i.delay_minutes,
            after_care.get(i.after_care or ""),
            i.fee,
        ]
        for i in items
    ]
    return headers, rows


async def build_table(
    session: AsyncSession,
    filters: Filters,
    table: str,
    *,
    settings: Settings,
    with_identity: bool = False,
) -> Rows:
    if table == "records":
        rows, _ = await records_table(session, filters, with_identity=with_identity)
        return rows
    if table == "consultations":
        return await consultations_table(session, filters, settings.snp_fee_weekly_cap)
    return dashboard_table(await compute_dashboard(session, filters, settings), table)


def _csv_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, float):
        return str(value).replace(".", ",")  # French decimal comma
    return value


def to_csv(rows: Rows) -> bytes:
    """Every cell goes through `safe_cell` (no formula injection), numbers excepted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in rows[0]])
    for row in rows[1]:
        writer.writerow([_csv_cell(safe_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


CONSULTATIONS = (
    "Consultations",
    "rendez-vous SNP où le patient a été vu, par date de consultation (heure de Paris), "
    "jamais après aujourd'hui.",
)
REQUESTS = ("Demandes", "demandes reçues (tous canaux), par date de réception (heure de Paris).")
PARTIAL = (
    "(partiel)",
    "période incomplète (en cours ou coupée par le filtre) : comparée aux mêmes jours de l'an "
    "passé, à lire avec prudence.",
)
# What each exported table counts, printed in the workbook's « Définitions » sheet.
DEFINITIONS: dict[str, list[tuple[str, str]]] = {
    "national": [
        CONSULTATIONS,
        ("Mêmes jours l'an passé", "le même compte sur les mêmes jours un an plus tôt."),
        ("Évolution (%)", "(période - an passé) / an passé ; vide quand l'an passé vaut 0."),
        PARTIAL,
    ],
    "requests_by_origin": [REQUESTS],
    "requests_by_channel": [REQUESTS],
    "requests_by_outcome": [REQUESTS],
    "requests_by_period": [REQUESTS],
    "delays": [
        (
            "Demandes orientées vers un créneau",
            "demandes closes avec un créneau réservé, par date de demande.",
        ),
        (
            "Vues dans les 24 h / 48 h",
            "patient vu au plus 1 440 / 2 880 minutes après la demande (minutes arrondies à la "
            "minute supérieure).",
        ),
        ("Médiane, 90e centile", "méthode du rang le plus proche."),
    ],
    "slots": [
        ("Créneaux proposés", "créneaux SNP des agendas, par date du créneau."),
        (
            "dont disponibilités récurrentes",
            "créneaux créés par une disponibilité hebdomadaire de l'agenda ; les autres sont "
            "saisis un à un ou importés d'un agenda (ICS).",
        ),
        ("Patients vus", CONSULTATIONS[1]),
        ("Taux d'absence", "patients absents / (vus + absents)."),
    ],
    "effectors": [("Patients vus", CONSULTATIONS[1])],
    "emergency": [
        (
            "Passages aux urgences évités",
            "demandes des urgences prises en charge en ville + patients qui disaient aller aux "
            "urgences pris en charge en ville ; un rendez-vous manqué ou annulé n'en évite aucun.",
        )
    ],
    "supply_by_hour": [REQUESTS, ("Créneaux proposés", "par heure du créneau (heure de Paris).")],
    "supply_by_commune": [REQUESTS, ("Créneaux proposés", "par commune du lieu de consultation.")],
    "snp_fee": [
        CONSULTATIONS,
        (
            "Éligibles à la majoration SNP",
            "consultations régulées, hors patientèle du médecin traitant, dans les 48 h de la "
            "demande et dans le plafond hebdomadaire par médecin.",
        ),
    ],
    "satisfaction": [("Note", "réponses 1 à 5 à l'enquête SMS après la consultation.")],
    "records": [("Demandes", "une ligne par demande, pseudonymisée, par date de réception.")],
    "consultations": [CONSULTATIONS],
}


def to_xlsx(rows: Rows, title: str, definitions: list[tuple[str, str]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31]
    sheet.append([safe_cell(h) for h in rows[0]])
    for row in rows[1]:
        sheet.append([safe_cell(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY HH:MM"
    if definitions:
        notes = workbook.create_sheet("Définitions")
        notes.append([safe_cell("Libellé"), safe_cell("Définition")])
        for label, text in definitions:
            notes.append([safe_cell(label), safe_cell(text)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(table: str, filters: Filters, ext: str) -> str:
    name = labels.FILE_NAMES.get(table, table)
    return f"indicateurs-{name}-{filters.start.isoformat()}-{filters.end.isoformat()}.{ext}"
