"""Recompute the whole read model from the source packages (reproducibility: every figure can
be recomputed from the log). Satisfaction scores, known only from the SMS survey events, are
kept; demo rows are left alone. The fee ranks and the monthly rollups are then recomputed from
the rows (`rollups.rebuild_all`): the same figures the event handlers maintain. It is the repair
command (`snp indicators rebuild`): the supply, like the rest, follows events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import regulation
from indicators import rollups
from indicators.models import IndAppointment, IndRequest, IndSupply
from indicators.sync import appointment_values, request_values
from indicators.timeutil import day_start_utc, paris
from snp.db import utcnow

PAGE = 1000


@dataclass(frozen=True, slots=True)
class RebuildReport:
    requests: int
    appointments: int
    supply_cells: int


async def _replace_supply(session: AsyncSession, first_day: date, last_day: date) -> int:
    cells = await agenda.supply_by_hour(
        session, day_start_utc(first_day), day_start_utc(last_day + timedelta(days=1))
    )
    in_range = (IndSupply.day >= first_day, IndSupply.day <= last_day)
    await session.execute(delete(IndSupply).where(*in_range, IndSupply.demo.is_(False)))
    demo_keys = {
        tuple(key)
        for key in await session.execute(
            select(
                IndSupply.effector_id, IndSupply.commune_insee, IndSupply.day, IndSupply.hour
            ).where(*in_range, IndSupply.demo.is_(True))
        )
    }
    cells = [c for c in cells if (c.effector_id, c.commune_insee, c.day, c.hour) not in demo_keys]
    session.add_all(
        IndSupply(
            effector_id=c.effector_id,
            commune_insee=c.commune_insee,
            day=c.day,
            hour=c.hour,
            offered=c.offered,
            booked=c.booked,
            free=c.free,
            recurring=c.recurring,
            imported=c.imported,
            demo=False,
        )
        for c in cells
    )
    await session.flush()
    return len(cells)


async def rebuild(
    session: AsyncSession, *, supply_days_back: int = 800, supply_days_ahead: int = 800
) -> RebuildReport:
    scored = await session.execute(
        select(IndAppointment.appointment_id, IndAppointment.satisfaction).where(
            IndAppointment.satisfaction.is_not(None)
        )
    )
    scores = {aid: score for aid, score in scored}
    await session.execute(delete(IndAppointment).where(IndAppointment.demo.is_(False)))
    await session.execute(delete(IndRequest).where(IndRequest.demo.is_(False)))
    await session.execute(delete(IndSupply).where(IndSupply.demo.is_(False)))

    appointments: dict[str, agenda.AppointmentFacts] = {}
    after = ""
    while page := await agenda.appointment_facts_page(session, after_id=after, limit=PAGE):
        appointments.update((a.appointment_id, a) for a in page)
        after = page[-1].appointment_id
    requests: dict[int, regulation.RequestFacts] = {}
    last = 0
    while batch := await regulation.request_facts_page(session, after_id=last, limit=PAGE):
        requests.update((r.request_id, r) for r in batch)
        last = batch[-1].request_id
    last = 0  # redirects to the 15 recorded with only what is known (negative keys)
    while batch := await regulation.redirect_15_facts_page(session, after_id=last, limit=PAGE):
        requests.update((r.request_id, r) for r in batch)
        last = -batch[-1].request_id

    for facts in requests.values():
        values = request_values(facts, appointments.get(facts.appointment_id or ""))
        session.add(IndRequest(request_id=facts.request_id, demo=False, **values))
    for appointment in appointments.values():
        request = requests.get(appointment.request_id) if appointment.request_id else None
        values = appointment_values(appointment, request)
        session.add(
            IndAppointment(
                appointment_id=appointment.appointment_id,
                demo=False,
                satisfaction=scores.get(appointment.appointment_id),
                **values,
            )
        )
    await session.flush()
    today = paris(utcnow()).date()
    cells = await _replace_supply(
        session, today - timedelta(days=supply_days_back), today + timedelta(days=supply_days_ahead)
    )
    await rollups.rebuild_all(session)
    return RebuildReport(len(requests), len(appointments), cells)
