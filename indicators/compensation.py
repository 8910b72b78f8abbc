"""The GPs' compensation envelope: per GP and Paris month, what the CPTS pays them for.

Definitions (stated in the statement, the CSV and the UI):
- SNP consultations: appointments recorded as seen, by Paris consultation date, up to today;
- fee-eligible acts: those among them that may carry the SNP fee (majoration SNP: regulated
  request, not the GP's own patient, within 48 h, and within the weekly cap per doctor,
  `SNP_SNP_FEE_WEEKLY_CAP`; rule in `queries`);
- hours with slots offered: Paris clock hours (e.g. 14:00-15:00 of a day) in which the GP
  offered at least one SNP slot in the agenda, up to today; slots offered: their number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from indicators import labels
from indicators.models import IndAppointment, IndSupply
from indicators.rollups import month_start
from indicators.timeutil import as_date

DEFINITIONS = (
    ("Consultations SNP", "rendez-vous SNP où le patient a été vu, par date de consultation."),
    (
        "Actes éligibles à la majoration SNP",
        "consultations régulées, hors patientèle du médecin traitant, dans les 48 h de la "
        "demande et dans le plafond hebdomadaire par médecin.",
    ),
    (
        "Heures avec créneaux proposés",
        "heures d'horloge (ex. 14 h-15 h d'un jour) où le médecin a proposé au moins un "
        "créneau SNP dans son agenda.",
    ),
    ("Créneaux proposés", "nombre de créneaux SNP proposés dans l'agenda."),
)


@dataclass(frozen=True, slots=True)
class MonthLine:
    effector_id: int
    name: str
    month: date
    consultations: int
    fee_eligible: int
    hours_with_slots: int
    slots_offered: int


def month_label(month: date) -> str:
    return f"{labels.MONTHS[month.month - 1]} {month.year}"


def _months(first: date, last: date) -> list[date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


async def month_lines(
    session: AsyncSession,
    first: date,
    last: date,
    today: date,
    weekly_cap: int,
    effector_id: int | None = None,
) -> list[MonthLine]:
    """One line per GP with activity and month of [first, last] (every month for one GP)."""
    until = min(last, today)
    a, s = IndAppointment, IndSupply
    counts: dict[tuple[int, date], list[int]] = {}
    if first <= until:
        where = [a.status == "fulfilled", a.start_date >= first, a.start_date <= until]
        if effector_id is not None:
            where.append(a.effector_id == effector_id)
        eligible = func.sum(case((a.fee_rank <= weekly_cap, 1), else_=0))
        month = month_start(a.start_date)
        statement = (
            select(a.effector_id, month, func.count(), eligible)
            .where(*where)
            .group_by(a.effector_id, month)
        )
        for e, m, n, fee in await session.execute(statement):
            counts.setdefault((e, as_date(m)), [0, 0, 0, 0])[0:2] = [int(n), int(fee or 0)]
        where_s = [s.offered > 0, s.day >= first, s.day <= until]
        if effector_id is not None:
            where_s.append(s.effector_id == effector_id)
        month_s = month_start(s.day).label("month")
        hours = select(s.effector_id, month_s, s.day, s.hour, func.sum(s.offered).label("n"))
        per_hour = hours.where(*where_s).group_by(s.effector_id, month_s, s.day, s.hour).subquery()
        h = per_hour.c
        statement = select(h.effector_id, h.month, func.count(), func.sum(h.n)).group_by(
            h.effector_id, h.month
        )
        for e, m, h, n in await session.execute(statement):
            counts.setdefault((e, as_date(m)), [0, 0, 0, 0])[2:4] = [int(h), int(n or 0)]
    if effector_id is not None:
        for m in _months(first, last):
            counts.setdefault((effector_id, m), [0, 0, 0, 0])
    names = await agenda.effector_names(session, sorted({e for e, _ in counts}))
    lines = [
        MonthLine(e, names.get(e, f"Effecteur {e}"), m, *values)
        for (e, m), values in counts.items()
    ]
    lines.sort(key=lambda line: (line.month, line.name, line.effector_id))
    return lines


def to_csv(lines: list[MonthLine]) -> bytes:
    """For the CPTS's accountant: `;`, UTF-8 with BOM, French headers and definitions."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Mois",
            "Médecin",
            "Identifiant effecteur",
            "Consultations SNP",
            "Actes éligibles à la majoration SNP",
            "Heures avec créneaux proposés",
            "Créneaux proposés",
        ]
    )
    for line in lines:
        writer.writerow(
            [
                line.month.strftime("%m/%Y"),
                line.name,
                line.effector_id,
                line.consultations,
                line.fee_eligible,
                line.hours_with_slots,
                line.slots_offered,
            ]
        )
    writer.writerow([])
    for title, text in DEFINITIONS:
        writer.writerow([f"{title} : {text}"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
