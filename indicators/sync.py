"""Writing the read model from the source packages' facts: the one code path shared by the
event handlers (a few ids at a time) and `rebuild` (everything), so both give the same rows.

Every row written here also moves its monthly rollups by (new contribution - old contribution)
and recounts the SNP fee ranks of the effector-weeks it leaves and joins, in the same
transaction (`rollups`), so the rollups never lag the rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, update
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
import regulation
from indicators import fee_ranks, rollups
from indicators.models import IndAppointment, IndRequest
from indicators.timeutil import minutes_between, monday, paris


def request_values(
    facts: regulation.RequestFacts, appointment: agenda.AppointmentFacts | None
) -> dict[str, object]:
    received = paris(facts.received_at)
    consultation_at = appointment.start_at if appointment is not None else facts.consultation_at
    callback = facts.first_callback_at
    return {
        "received_at": facts.received_at,
        "received_date": received.date(),
        "received_hour": received.hour,
        "origin": facts.origin,
        "channel": facts.channel,
        "commune_insee": facts.commune_insee,
        "age_band": facts.age_band,
        "priority": facts.priority,
        "orientation": facts.orientation,
        "status": facts.status,
        "outcome": facts.outcome,
        "protocol_version": facts.protocol_version,
        "triaged_at": facts.triaged_at,
        "claimed_at": facts.claimed_at,
        "oriented_at": facts.oriented_at,
        "closed_at": facts.closed_at,
        "first_callback_at": callback,
        "callback_minutes": (
            minutes_between(facts.received_at, callback) if callback is not None else None
        ),
        "would_go_to_ed": facts.would_go_to_ed,
        "effector_id": appointment.effector_id if appointment is not None else None,
        "appointment_id": facts.appointment_id,
        "consultation_at": consultation_at,
        "appointment_status": appointment.status if appointment is not None else None,
        "consultation_minutes": (
            minutes_between(facts.received_at, consultation_at)
            if consultation_at is not None
            else None
        ),
    }


def appointment_values(
    facts: agenda.AppointmentFacts, request: regulation.RequestFacts | None
) -> dict[str, object]:
    start = paris(facts.start_at)
    received_at = request.received_at if request is not None else None
    return {
        "request_id": facts.request_id,
        "effector_id": facts.effector_id,
        "site_commune": facts.site_commune,
        "start_at": facts.start_at,
        "start_date": start.date(),
        "start_hour": start.hour,
        "start_week": monday(start.date()),
        "kind": facts.kind,
        "origin": request.origin if request is not None else facts.origin,
        "status": facts.status,
        "cancelled_by": facts.cancelled_by,
        "cancel_reason": facts.cancel_reason,
        "after_care": facts.after_care,
        "request_received_at": received_at,
        "delay_minutes": (
            minutes_between(received_at, facts.start_at) if received_at is not None else None
        ),
        "own_patient": bool(
            request is not None
            and request.gp_rpps
            and request.gp_rpps == facts.effector_national_id
        ),
    }


async def write_request(
    session: AsyncSession, request_id: int, values: dict[str, object], *, demo: bool = False
) -> None:
    """Inserts or updates one request row and moves its rollups."""
    row = await session.get(IndRequest, request_id)
    old: rollups.Deltas = {}
    if row is None:
        row = IndRequest(request_id=request_id, demo=demo)
        session.add(row)
    else:
        old = rollups.request_contribution(row)
    for name, value in values.items():
        setattr(row, name, value)
    rollups.defer(session, rollups.difference(old, rollups.request_contribution(row)))


async def write_appointment(
    session: AsyncSession,
    appointment_id: str,
    values: dict[str, object],
    *,
    demo: bool = False,
) -> None:
    """Inserts or updates one appointment row (`values` may hold only `satisfaction`), moves
    its rollups and recounts the fee ranks of the weeks concerned."""
    row = await session.get(IndAppointment, appointment_id)
    old: rollups.Deltas = {}
    weeks: set[tuple[int, date]] = set()
    was_candidate = False
    if row is None:
        row = IndAppointment(appointment_id=appointment_id, demo=demo)
        session.add(row)
    else:
        old = rollups.appointment_contribution(row)
        weeks.add((row.effector_id, row.start_week))
        was_candidate = fee_ranks.is_fee_candidate(row)
    for name, value in values.items():
        setattr(row, name, value)
    rollups.defer(session, rollups.difference(old, rollups.appointment_contribution(row)))
    # A row that is not a candidate, before or after, moves no rank.
    if was_candidate or fee_ranks.is_fee_candidate(row):
        weeks.add((row.effector_id, row.start_week))
        await fee_ranks.rerank(session, weeks)


async def refresh(
    session: AsyncSession,
    *,
    request_ids: Iterable[int] = (),
    appointment_ids: Iterable[str] = (),
) -> None:
    """Re-read these requests and appointments (and the ones linked to them) from their
    packages and write their read-model rows."""
    wanted_requests = set(request_ids)
    wanted_appointments = set(appointment_ids)
    appointments = {
        a.appointment_id: a for a in await agenda.appointment_facts(session, wanted_appointments)
    }
    wanted_requests |= {a.request_id for a in appointments.values() if a.request_id is not None}
    requests: dict[int, regulation.RequestFacts] = {}
    for request_id in sorted(wanted_requests):
        facts = await regulation.request_facts(session, request_id)
        if facts is not None:
            requests[request_id] = facts
    linked = {r.appointment_id for r in requests.values() if r.appointment_id} - set(appointments)
    for extra in await agenda.appointment_facts(session, linked):
        appointments[extra.appointment_id] = extra
    for appointment in appointments.values():
        request = requests.get(appointment.request_id) if appointment.request_id else None
        if appointment.request_id is not None and request is None:
            request = await regulation.request_facts(session, appointment.request_id)
        await write_appointment(
            session, appointment.appointment_id, appointment_values(appointment, request)
        )
    for request_id, facts in requests.items():
        linked_appointment = appointments.get(facts.appointment_id or "")
        await write_request(session, request_id, request_values(facts, linked_appointment))


async def set_satisfaction(session: AsyncSession, appointment_id: str, score: int) -> None:
    if await session.get(IndAppointment, appointment_id) is not None:
        await write_appointment(session, appointment_id, {"satisfaction": score})


async def forget_free_text(
    session: AsyncSession, request_ids: list[int], appointment_ids: list[str]
) -> None:
    """Retention: the cancellation reasons of these requests' appointments (free text)."""
    if not request_ids and not appointment_ids:
        return
    await session.execute(
        update(IndAppointment)
        .where(
            or_(
                IndAppointment.request_id.in_(request_ids),
                IndAppointment.appointment_id.in_(appointment_ids),
            ),
            IndAppointment.cancel_reason.is_not(None),
        )
        .values(cancel_reason=None)
        .execution_options(synchronize_session=False)
    )
