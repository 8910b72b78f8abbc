"""The orientation envelope (ring-fenced ACI money for the treatment and orientation service):
per Paris month of a contract year, the operator hours (from the operators' presence on the
phone line when there is presence data that month, the hours the coordinators entered otherwise),
the calls answered, the requests handled (received that month, any origin and channel, by date
of receipt) and the cost per request = hours x the contract's cost of an operator hour /
requests handled."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import telephony
from indicators import aci_amounts, aci_rules
from indicators.compensation import month_label
from indicators.models import AciContract, AciOperatorHours, IndRequest
from indicators.rollups import month_start
from indicators.timeutil import as_date
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.kit import PARIS


class OperatorHoursIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: date = Field(description="Un jour du mois (le premier est retenu).")
    hours: float = Field(ge=0, le=10_000, description="Heures d'opérateur du mois.")


class OrientationMonth(BaseModel):
    month: date
    label: str
    days_counted: int = Field(description="Jours du mois dans l'année du contrat, jusqu'à ce jour.")
    partial: bool = Field(description="Mois incomplet (début ou fin d'année, ou mois en cours).")
    operator_hours: float | None
    hours_source: str | None = Field(
        default=None, description="`presence` (ligne téléphonique) ou `entered` (saisies)."
    )
    calls_answered: int = Field(default=0, description="Appels de la ligne décrochés.")
    requests_handled: int
    cost: float | None
    cost_per_request: float | None


class OrientationEnvelope(BaseModel):
    year: int
    start: date
    end: date
    envelope: int = Field(description="Enveloppe fléchée de l'année (taille de la CPTS).")
    operator_hour_cost: float
    spent: float
    remaining: float
    requests_handled: int
    cost_per_request: float | None
    months: list[OrientationMonth]


async def set_operator_hours(session: AsyncSession, actor: Actor, data: OperatorHoursIn) -> None:
    month = data.month.replace(day=1)
    row = await session.get(AciOperatorHours, month)
    if row is None:
        row = AciOperatorHours(month=month)
        session.add(row)
    row.hours, row.entered_at, row.entered_by = data.hours, utcnow(), actor.user_id
    await audit.record(session, actor, "update", "aci_operator_hours", month.isoformat())


async def envelope(session: AsyncSession, year: int, today: date) -> OrientationEnvelope:
    contract = await session.scalar(select(AciContract).order_by(AciContract.id).limit(1))
    if contract is None:
        raise NotFound("Aucun contrat ACI n'est enregistré : la coordination doit le saisir.")
    start, end = aci_rules.contract_year_bounds(contract.signed_on, year)
    until = min(end, today)
    r = IndRequest
    month = month_start(r.received_date)
    requests: dict[date, int] = {}
    if start <= until:
        statement = (
            select(month, func.count())
            .where(r.received_date >= start, r.received_date <= until)
            .group_by(month)
        )
        requests = {as_date(m): int(n) for m, n in await session.execute(statement)}
    hours = {
        row.month: row.hours
        for row in await session.scalars(
            select(AciOperatorHours).where(
                AciOperatorHours.month >= start.replace(day=1), AciOperatorHours.month <= end
            )
        )
    }
    months: list[OrientationMonth] = []
    first = start.replace(day=1)
    presence = await _presence_months(session, first, end)
    while first <= end:
        following = aci_rules.add_months(first, 1)
        last = min(following - timedelta(days=1), end, today)
        days = max(0, (last - max(first, start)).days + 1)
        full_days = (following - first).days
        from_presence = presence.get(first)
        worked = from_presence[0] if from_presence else hours.get(first)
        source = "presence" if from_presence else ("entered" if worked is not None else None)
        handled = requests.get(first, 0)
        cost = None if worked is None else round(worked * contract.operator_hour_cost, 2)
        months.append(
            OrientationMonth(
                month=first,
                label=month_label(first),
                days_counted=days,
                partial=days < full_days,
                operator_hours=worked,
                hours_source=source,
                calls_answered=from_presence[1] if from_presence else 0,
                requests_handled=handled,
                cost=cost,
                cost_per_request=round(cost / handled, 2) if cost is not None and handled else None,
            )
        )
        first = following
    spent = round(sum(m.cost or 0 for m in months), 2)
    handled_total = sum(m.requests_handled for m in months)
    amount = aci_amounts.amounts_for(contract.cpts_size).orientation_service
    return OrientationEnvelope(
        year=year,
        start=start,
        end=end,
        envelope=amount,
        operator_hour_cost=contract.operator_hour_cost,
        spent=spent,
        remaining=round(amount - spent, 2),
        requests_handled=handled_total,
        cost_per_request=round(spent / handled_total, 2) if handled_total and spent else None,
        months=months,
    )


def _paris_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), PARIS)


async def _presence_months(
    session: AsyncSession, first: date, end: date
) -> dict[date, tuple[float, int]]:
    """Per month with presence data: operator hours on duty and calls answered."""
    found: dict[date, tuple[float, int]] = {}
    while first <= end:
        following = aci_rules.add_months(first, 1)
        begin, finish = _paris_midnight(first), _paris_midnight(following)
        worked = await telephony.presence_hours(session, begin, finish)
        if worked is not None:
            facts = await telephony.call_facts(session, begin, finish)
            answered = sum(
                1
                for f in facts
                if f.direction == telephony.Direction.INBOUND and f.answered_at is not None
            )
            found[first] = (round(worked, 2), answered)
        first = following
    return found
