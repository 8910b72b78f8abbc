"""The phone line's figures, from telephony's call facts: calls by hour and weekday, answered
and answered within 60 s, abandonment rate, mean and p90 wait, calls per operator, calls that
became requests, and the call-back delay of missed callers. One definition per figure, printed
next to it (`DEFINITIONS`), in the dashboard and the exports.

Counted on inbound calls that arrived in the period (Paris days, `start` to `end` included).
Out-of-hours calls are counted apart: they are neither answered nor abandoned."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

import telephony
from indicators.exports import Cell, Rows
from snp import auth
from snp.kit import PARIS

ANSWERED_WITHIN_SECONDS = 60
WEEKDAYS = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
BECAME_REQUESTS = frozenset(
    {telephony.CallOutcome.REQUEST_CREATED, telephony.CallOutcome.REQUEST_LINKED}
)
MISSED_IN_HOURS = frozenset({telephony.CallOutcome.ABANDONED, telephony.CallOutcome.NO_OPERATOR})

DEFINITIONS: list[tuple[str, str]] = [
    ("Appels reçus", "Appels entrants arrivés sur la ligne de la CPTS pendant la période."),
    ("Hors horaires", "Appels arrivés ligne fermée (orientés vers le 116 117 ou le 15)."),
    ("Décrochés", "Appels reçus aux heures d'ouverture pris par un opérateur."),
    ("Décrochés en 60 s", "Part des appels décrochés après 60 secondes d'attente au plus."),
    (
        "Taux d'abandon",
        "Appels aux heures d'ouverture terminés sans opérateur (raccroché en attente ou personne "
        "de disponible), rapportés aux appels aux heures d'ouverture.",
    ),
    ("Attente moyenne / p90", "Attente des appels décrochés, de l'arrivée à la prise (secondes)."),
    ("Devenus demandes", "Appels décrochés dont l'issue est une demande créée ou retrouvée."),
    (
        "Délai de rappel",
        "Minutes entre le premier appel manqué d'un numéro et son rappel (tâche de rappel "
        "terminée), pour les appels manqués de la période.",
    ),
]


class OperatorCalls(BaseModel):
    user_id: int
    name: str
    answered: int
    mean_duration_seconds: float | None
    callbacks: int


class CallFigures(BaseModel):
    start: date
    end: date
    received: int
    out_of_hours: int
    in_hours: int
    answered: int
    answered_within_60s: int
    answered_within_60s_rate: float | None = Field(description="Part des décrochés, 0..1.")
    abandoned: int
    abandonment_rate: float | None = Field(description="Part des appels aux heures, 0..1.")
    mean_wait_seconds: float | None
    p90_wait_seconds: float | None
    became_requests: int
    callbacks: int
    callbacks_reached: int
    by_hour: list[int] = Field(description="Appels reçus par heure (Paris), 0 h à 23 h.")
    by_weekday: list[int] = Field(description="Appels reçus par jour, lundi à dimanche.")
    per_operator: list[OperatorCalls]
    missed_called_back: int
    missed_still_open: int
    mean_callback_delay_minutes: float | None
    p90_callback_delay_minutes: float | None
    called_back_within_hour_rate: float | None
    definitions: list[tuple[str, str]]


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (p90: the value 90 % of the values do not exceed)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return float(ordered[rank - 1])


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        datetime.combine(start, time(0), PARIS),
        datetime.combine(end + timedelta(days=1), time(0), PARIS),
    )


async def call_figures(session: AsyncSession, start: date, end: date) -> CallFigures:
    begin, finish = _bounds(start, end)
    facts = await telephony.call_facts(session, begin, finish)
    inbound = [f for f in facts if f.direction == telephony.Direction.INBOUND]
    callbacks = [f for f in facts if f.direction == telephony.Direction.CALLBACK]
    out_of_hours = [f for f in inbound if f.outcome == telephony.CallOutcome.OUT_OF_HOURS]
    in_hours = [f for f in inbound if f.outcome != telephony.CallOutcome.OUT_OF_HOURS]
    answered = [f for f in in_hours if f.answered_at is not None]
    waits = [float(f.wait_seconds) for f in answered if f.wait_seconds is not None]
    quick = sum(1 for w in waits if w <= ANSWERED_WITHIN_SECONDS)
    abandoned = sum(1 for f in in_hours if f.outcome in MISSED_IN_HOURS)
    by_hour = [0] * 24
    by_weekday = [0] * 7
    for f in inbound:
        local = f.arrived_at.astimezone(PARIS)
        by_hour[local.hour] += 1
        by_weekday[local.weekday()] += 1
    per_user: dict[int, list[float]] = defaultdict(list)
    for f in answered:
        if f.operator_user_id is not None:
            per_user[f.operator_user_id].append(float(f.duration_seconds or 0))
    callback_counts = Counter(f.operator_user_id for f in callbacks if f.operator_user_id)
    operators: list[OperatorCalls] = []
    for user_id in sorted(set(per_user) | {u for u in callback_counts if u is not None}):
        account = await auth.get_account(session, user_id)
        durations = per_user.get(user_id, [])
        operators.append(
            OperatorCalls(
                user_id=user_id,
                name=account.full_name if account is not None else f"Compte {user_id}",
                answered=len(durations),
                mean_duration_seconds=round(sum(durations) / len(durations), 1)
                if durations
                else None,
                callbacks=callback_counts.get(user_id, 0),
            )
        )
    delays, still_open = await telephony.missed_callback_delays(session, begin, finish)
    return CallFigures(
        start=start,
        end=end,
        received=len(inbound),
        out_of_hours=len(out_of_hours),
        in_hours=len(in_hours),
        answered=len(answered),
        answered_within_60s=quick,
        answered_within_60s_rate=round(quick / len(answered), 4) if answered else None,
        abandoned=abandoned,
        abandonment_rate=round(abandoned / len(in_hours), 4) if in_hours else None,
        mean_wait_seconds=round(sum(waits) / len(waits), 1) if waits else None,
        p90_wait_seconds=percentile(waits, 0.9),
        became_requests=sum(1 for f in answered if f.outcome in BECAME_REQUESTS),
        callbacks=len(callbacks),
        callbacks_reached=sum(1 for f in callbacks if f.outcome == telephony.CallOutcome.REACHED),
        by_hour=by_hour,
        by_weekday=by_weekday,
        per_operator=operators,
        missed_called_back=len(delays),
        missed_still_open=still_open,
        mean_callback_delay_minutes=round(sum(delays) / len(delays), 1) if delays else None,
        p90_callback_delay_minutes=round(p, 1) if (p := percentile(delays, 0.9)) else None,
        called_back_within_hour_rate=round(sum(1 for d in delays if d <= 60) / len(delays), 4)
        if delays
        else None,
        definitions=DEFINITIONS,
    )


def _rate(value: float | None) -> Cell:
    return None if value is None else round(value * 100, 1)


def figures_table(f: CallFigures) -> Rows:
    """The figures as an export: one line per figure, then by hour, weekday and operator."""
    rows: list[list[Cell]] = [
        ["Appels reçus", f.received],
        ["Hors horaires", f.out_of_hours],
        ["Aux heures d'ouverture", f.in_hours],
        ["Décrochés", f.answered],
        ["Décrochés en 60 s", f.answered_within_60s],
        ["Décrochés en 60 s (%)", _rate(f.answered_within_60s_rate)],
        ["Abandonnés", f.abandoned],
        ["Taux d'abandon (%)", _rate(f.abandonment_rate)],
        ["Attente moyenne (s)", f.mean_wait_seconds],
        ["Attente p90 (s)", f.p90_wait_seconds],
        ["Devenus demandes", f.became_requests],
        ["Rappels passés", f.callbacks],
        ["Rappels aboutis", f.callbacks_reached],
        ["Appels manqués rappelés", f.missed_called_back],
        ["Appels manqués encore à rappeler", f.missed_still_open],
        ["Délai moyen de rappel (min)", f.mean_callback_delay_minutes],
        ["Délai p90 de rappel (min)", f.p90_callback_delay_minutes],
        ["Rappelés dans l'heure (%)", _rate(f.called_back_within_hour_rate)],
    ]
    rows += [[f"Appels reçus de {h} h à {h + 1} h", n] for h, n in enumerate(f.by_hour)]
    rows += [[f"Appels reçus le {WEEKDAYS[d].lower()}", n] for d, n in enumerate(f.by_weekday)]
    rows += [[f"Appels décrochés par {o.name}", o.answered] for o in f.per_operator]
    return ["Indicateur", "Valeur"], rows
