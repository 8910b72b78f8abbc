"""The read model follows the real flows (intake, triage, booking through regulation, the
consultation log through agenda) inside their transactions, and `rebuild` recomputes exactly
the same rows from the source packages, fee ranks and monthly rollups included."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda.service.outcomes import record_outcome
from indicators import rollups
from indicators.models import IndAppointment, IndRequest, IndSupply
from indicators.queries import compute_dashboard
from indicators.rebuild import rebuild
from indicators.schemas import Filters
from indicators.timeutil import paris
from notifications import SatisfactionRecorded
from regulation.service.protocol import default_protocol_text, parse_protocol
from snp import events
from snp.auth.roles import Role
from snp.db import utcnow
from snp.identifiers import rpps_with_check_digit
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import actor_of, staff
from tests.regulation.test_booking_journey import new_request, url

pytestmark = pytest.mark.usefixtures("communes")
DOCTOR_RPPS = rpps_with_check_digit("2000000777")
DEFAULT = parse_protocol(default_protocol_text())
# Sore throat with fever: P2 at the practice; the patient would otherwise have gone to the ED.
SORE_THROAT = (
    {f.id: False for f in DEFAULT.red_flags_for("adult")}
    | {r.id: False for r in DEFAULT.risk_factors_for("adult")}
) | {
    "cannot_swallow_saliva": False,
    "high_fever": True,
    "would_go_to_ed": True,
}


def rows_of(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {c.name: getattr(item, c.key) for c in item.__table__.columns}
        for item in sorted(items, key=lambda i: str(i.__table__.primary_key.columns.values()[0]))
    ]


async def snapshot(session: AsyncSession) -> tuple[list[dict[str, Any]], ...]:
    session.expire_all()
    requests = (await session.scalars(select(IndRequest).order_by(IndRequest.request_id))).all()
    appointments = (
        await session.scalars(select(IndAppointment).order_by(IndAppointment.appointment_id))
    ).all()
    supply = (
        await session.scalars(
            select(IndSupply).order_by(IndSupply.effector_id, IndSupply.day, IndSupply.hour)
        )
    ).all()
    return (
        rows_of(list(requests)),
        rows_of(list(appointments)),
        await rollup_rows(session),
        [{c.name: getattr(s, c.key) for c in IndSupply.__table__.columns} for s in supply],
    )


async def rollup_rows(session: AsyncSession) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for model in rollups.ROLLUPS:
        table: Any = model.__table__
        rows = await session.execute(select(table).order_by(*table.primary_key.columns))
        out += [{"table": table.name, **row._asdict()} for row in rows]
    return out


async def book(client: httpx.AsyncClient, slot_id: int, **overrides: Any) -> tuple[int, str]:
    created = await new_request(client, **overrides)
    held = await client.post(url(created["id"], "hold"), json={"slot_id": slot_id})
    assert held.status_code == 200, held.text
    booked = await client.post(url(created["id"], "confirm"), json={"slot_id": slot_id})
    assert booked.status_code == 201, booked.text
    return created["id"], booked.json()["appointment"]["id"]


async def test_real_flows_fill_the_read_model_and_rebuild_gives_the_same_rows(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    doctor = await effector(session, "Martin", north_of(REDON, 2), rpps=DOCTOR_RPPS)
    now = utcnow().replace(second=0, microsecond=0)
    first_slot = await slot(session, doctor, now + timedelta(hours=2))
    second_slot = await slot(session, doctor, now + timedelta(hours=3))
    await slot(session, doctor, now + timedelta(hours=4))  # stays free

    seen_id, seen_appointment = await book(client, first_slot)
    own_id, own_appointment = await book(
        client, second_slot, motif="sore_throat", answers=SORE_THROAT, gp_rpps=DOCTOR_RPPS
    )
    advice = await new_request(client)
    callback = await client.post(url(advice["id"], "callbacks"), json={"result": "no_answer"})
    assert callback.status_code == 201, callback.text
    closed = await client.post(url(advice["id"], "close"), json={"outcome": "medical_advice"})
    assert closed.status_code == 200, closed.text

    coordinator = actor_of(await staff(session, client, Role.COORDINATOR))
    later = now + timedelta(hours=5)
    await record_outcome(
        session, coordinator, seen_appointment, "fulfilled", "emergency", now=later
    )
    await record_outcome(session, coordinator, own_appointment, "noshow", now=later)
    await session.commit()

    # The supply follows the slots' and the bookings' events too: no job to run.
    today = paris(now).date()
    requests, appointments, maintained, supplied = await snapshot(session)
    assert {r["table"] for r in maintained} == {m.__tablename__ for m in rollups.ROLLUPS}
    by_request = {r["request_id"]: r for r in requests}
    assert set(by_request) == {seen_id, own_id, advice["id"]}
    seen = by_request[seen_id]
    assert (seen["origin"], seen["channel"], seen["outcome"], seen["priority"]) == (
        "patient_call",
        "phone",
        "slot_booked",
        "P2",
    )
    assert (seen["appointment_id"], seen["appointment_status"]) == (seen_appointment, "fulfilled")
    assert seen["effector_id"] == doctor[0]
    assert seen["received_date"] == paris(seen["received_at"]).date()
    assert 0 < seen["consultation_minutes"] <= 121
    assert by_request[own_id]["would_go_to_ed"] is True
    assert by_request[advice["id"]]["outcome"] == "medical_advice"
    assert by_request[advice["id"]]["first_callback_at"] is not None
    assert by_request[advice["id"]]["callback_minutes"] is not None
    by_appointment = {a["appointment_id"]: a for a in appointments}
    assert (
        by_appointment[seen_appointment]["status"],
        by_appointment[seen_appointment]["after_care"],
    ) == ("fulfilled", "emergency")
    assert by_appointment[seen_appointment]["own_patient"] is False
    assert by_appointment[own_appointment]["status"] == "noshow"
    assert by_appointment[own_appointment]["own_patient"] is True  # the patient's own GP
    assert by_appointment[seen_appointment]["origin"] == "patient_call"
    for row in requests + appointments:
        assert not {"family_name", "given_name", "phone", "birth_date"} & set(row)

    report = await rebuild(session)
    await session.commit()
    assert (report.requests, report.appointments) == (3, 2)
    assert await snapshot(session) == (requests, appointments, maintained, supplied)

    supply = (
        await session.scalars(select(IndSupply).where(IndSupply.effector_id == doctor[0]))
    ).all()
    assert sum(s.offered for s in supply) == 3
    assert sum(s.booked for s in supply) == 2
    assert sum(s.free for s in supply) == 1

    d = await compute_dashboard(
        session, Filters(start=today - timedelta(days=1), end=today + timedelta(days=1))
    )
    assert d.requests.total == 3
    # The consultation recorded as seen is two hours ahead (slots are booked in the future):
    # it counts nowhere until it has happened.
    assert (d.slots.fulfilled, d.slots.noshow, d.slots.sent_to_ed) == (0, 1, 0)
    # Would have gone to the ED, oriented to a town slot, but did not come: no visit avoided.
    assert d.emergency.would_have_gone_to_ed == 0


async def test_satisfaction_answers_fill_the_consultation_and_survive_a_rebuild(
    session: AsyncSession,
) -> None:
    doctor = await effector(session, "Petit", REDON)
    start = utcnow().replace(second=0, microsecond=0) + timedelta(hours=1)
    slot_id = await slot(session, doctor, start)
    holder = "tests"
    await agenda.hold(session, slot_id, holder)
    appointment = await agenda.confirm(
        session, slot_id, holder, request_id=None, patient_label="P.T. 40 ans"
    )
    await session.commit()
    row = await session.get(IndAppointment, appointment.id)
    assert row is not None
    assert row.satisfaction is None

    await events.emit(session, SatisfactionRecorded(appointment.id, None, 4, utcnow()))
    await session.commit()
    assert await score_of(session, appointment.id) == 4

    await rebuild(session)
    await session.commit()
    assert await score_of(session, appointment.id) == 4


async def score_of(session: AsyncSession, appointment_id: str) -> int | None:
    session.expire_all()
    return await session.scalar(
        select(IndAppointment.satisfaction).where(IndAppointment.appointment_id == appointment_id)
    )
