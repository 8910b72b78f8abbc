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
Cell = str | int | float | None
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
        return (
            ["Période", "Consultations", "Même période l'an passé", "Évolution (%)"],
            [
                [p.label, p.consultations, p.previous_year, p.growth_percent]
                for p in d.national.periods
            ]
            + [
                [
                    "Total",
                    d.national.consultations,
                    d.national.previous_year,
                    d.national.growth_percent,
                ]
            ],
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
                ("Consultations réalisées", x.consulted),
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


def _local(value: datetime | None) -> str | None:
    return paris(value).strftime("%d/%m/%Y %H:%M") if value is not None else None


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
            r.age_band,
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


def to_xlsx(rows: Rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "".join(" " if c in "[]:*?/\\" else c for c in title)[:31]
    sheet.append([safe_cell(h) for h in rows[0]])
    for row in rows[1]:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def filename(table: str, filters: Filters, ext: str) -> str:
    return f"indicateurs-{table}-{filters.start.isoformat()}-{filters.end.isoformat()}.{ext}"
