"""The supply figures follow the agenda's events in the same transaction: slots published one by
one, from a weekly recurring availability or a calendar import, moved, removed (by hand, by an
absence, by a pattern change), booked and cancelled count at once, with no job to run, and
always as `rebuild` (the repair command) recounts them from the agenda."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot
from agenda.service.appointments import cancel
from indicators.models import IndSupply
from indicators.rebuild import rebuild
from indicators.timeutil import paris
from snp.auth.roles import Role
from snp.db import utcnow
from snp.kit import PARIS
from tests.agenda.ics_helpers import calendar, event
from tests.agenda.slot_factories import book, create_effector_with_account
from tests.factories import logged_in_as, login
from tests.indicators.test_read_model import rollup_rows, rows_of


def paris_day(offset: int) -> date:
    return paris(utcnow()).date() + timedelta(days=offset)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


async def supply_and_rollups(session: AsyncSession) -> tuple[list[dict[str, Any]], ...]:
    session.expire_all()
    rows = (await session.scalars(select(IndSupply))).all()
    return rows_of(sorted(rows, key=lambda r: (r.effector_id, r.day, r.hour))), await rollup_rows(
        session
    )


async def every_day_14_15(
    client: httpx.AsyncClient, site_id: int, first: date, last: date
) -> httpx.Response:
    """The logged-in GP's weekly pattern over [first, last]: every day, holidays included,
    14:00-15:00 in 20-minute slots (14:00, 14:20, 14:40); the API's answer, checked created."""
    pattern = await client.post(
        "/api/agenda/templates",
        json={
            "site_id": site_id,
            "weekdays": "MO,TU,WE,TH,FR,SA,SU",
            "start_time": "14:00",
            "end_time": "15:00",
            "slot_minutes": 20,
            "include_public_holidays": True,
            "valid_from": str(first),
            "valid_until": str(last),
        },
    )
    assert pattern.status_code == 201, pattern.text
    return pattern


async def dashboard(client: httpx.AsyncClient, first: date, last: date) -> dict[str, Any]:
    response = await client.get(
        "/api/indicators/dashboard", params={"start": str(first), "end": str(last)}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_gp_who_publishes_150_slots_sees_them_offered_at_once(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.offre@example.fr")
    await login(client, user.email)
    first, last = paris_day(1), paris_day(25)
    created = await client.post(
        "/api/agenda/templates",
        json={
            "site_id": effector.sites[0].id,
            "weekdays": "MO,TU,WE,TH,FR,SA,SU",
            "start_time": "14:00",
            "end_time": "16:00",
            "slot_minutes": 20,
            "include_public_holidays": True,
            "valid_from": str(first),
            "valid_until": str(last),
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["slots_created"] == 150  # 25 days x 6 slots

    await logged_in_as(client, session, Role.COORDINATOR)
    figures = await dashboard(client, first, last)
    assert (figures["slots"]["offered"], figures["slots"]["free"]) == (150, 150)
    # ... and they report their real source: a weekly recurring availability.
    assert (figures["slots"]["offered_recurring"], figures["slots"]["offered_imported"]) == (150, 0)
    by_hour = {row["key"]: row["offered"] for row in figures["supply_demand"]["by_hour"]}
    assert (by_hour["14"], by_hour["15"]) == (75, 75)
    (row,) = [e for e in figures["effectors"] if e["effector_id"] == effector.id]
    assert row["offered"] == 150


async def test_every_way_of_changing_slots_keeps_the_supply_as_rebuild_counts_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.agenda@example.fr")
    site_id = effector.sites[0].id
    await login(client, user.email)
    # Published one by one, then moved to another day, and one removed.
    one_off = []
    for hour in (9, 10, 11):
        created = await client.post(
            "/api/agenda/slots",
            json={
                "site_id": site_id,
                "start_at": at(paris_day(2), hour).isoformat(),
                "end_at": at(paris_day(2), hour, 20).isoformat(),
            },
        )
        assert created.status_code == 201, created.text
        one_off.append(created.json()["id"])
    moved = await client.patch(
        f"/api/agenda/slots/{one_off[0]}",
        json={
            "start_at": at(paris_day(3), 17).isoformat(),
            "end_at": at(paris_day(3), 17, 20).isoformat(),
        },
    )
    assert moved.status_code == 200, moved.text
    assert (await client.delete(f"/api/agenda/slots/{one_off[1]}")).status_code == 204
    # A weekly pattern, then an absence on one of its days, then the pattern edited.
    pattern = await every_day_14_15(client, site_id, paris_day(4), paris_day(10))
    absence = await client.post(
        "/api/agenda/absences",
        json={"start_date": str(paris_day(5)), "end_date": str(paris_day(5))},
    )
    assert absence.json()["slots_removed"] == 3, absence.text
    edited = await client.patch(
        f"/api/agenda/templates/{pattern.json()['id']}", json={"end_time": "14:40"}
    )
    assert edited.status_code == 200, edited.text
    # A calendar import, then the same calendar without one of its two events.
    events = [
        event(f"uid-{n}@test", at(paris_day(12), 8 + n), at(paris_day(12), 8 + n, 30))
        for n in range(2)
    ]
    for ics in (calendar(*events), calendar(events[0])):
        imported = await client.post(
            "/api/agenda/ics/import", files={"file": ("agenda.ics", ics, "text/calendar")}
        )
        assert imported.status_code == 200, imported.text
    # Booked, one of them then cancelled (its slot is free again).
    slots = (
        await session.scalars(
            select(Slot).where(Slot.effector_id == effector.id).order_by(Slot.start_at)
        )
    ).all()
    kept = await book(session, slots[0], request_id=0)
    cancelled = await book(session, slots[1], request_id=0)
    await cancel(session, cancelled.id, by="patient", reason="Empêchement")
    await session.commit()
    # The booked one moved by the GP to another free slot: one booked, the old one free again.
    moved_booking = await client.post(
        f"/api/agenda/appointments/{kept.id}/move",
        json={"slot_id": slots[2].id, "reason": "Imprévu au cabinet"},
    )
    assert moved_booking.status_code == 200, moved_booking.text

    maintained = await supply_and_rollups(session)
    rows = maintained[0]
    assert sum(r["offered"] for r in rows) == len(slots) == 2 + 6 * 2 + 1
    # By source: 6 days x 2 slots of the weekly pattern, 1 imported, 2 entered one by one.
    assert (sum(r["recurring"] for r in rows), sum(r["imported"] for r in rows)) == (12, 1)
    assert (sum(r["booked"] for r in rows), sum(r["free"] for r in rows)) == (1, len(slots) - 1)
    assert kept.status == "booked"
    await rebuild(session)
    await session.commit()
    assert await supply_and_rollups(session) == maintained


async def test_a_cancelled_change_leaves_the_supply_untouched(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A refused write (an overlapping slot) rolls back with the figures it would have moved."""
    user, effector = await create_effector_with_account(session, "dr.refus@example.fr")
    await login(client, user.email)
    body = {
        "site_id": effector.sites[0].id,
        "start_at": at(paris_day(2), 9).isoformat(),
        "end_at": at(paris_day(2), 9, 20).isoformat(),
    }
    assert (await client.post("/api/agenda/slots", json=body)).status_code == 201
    assert (await client.post("/api/agenda/slots", json=body)).status_code == 422
    rows = (await supply_and_rollups(session))[0]
    assert [(r["day"], r["offered"], r["free"]) for r in rows] == [(paris_day(2), 1, 1)]


async def test_changed_hours_on_one_date_keep_the_supply_as_rebuild_counts_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A date override replaces a pattern's slots (one of them booked and kept), an absence
    then removes some of its slots, and deleting it gives the date back to the pattern."""
    user, effector = await create_effector_with_account(session, "dr.horaires@example.fr")
    site_id = effector.sites[0].id
    await login(client, user.email)
    await every_day_14_15(client, site_id, paris_day(2), paris_day(5))
    (first,) = (
        await session.scalars(
            select(Slot).where(
                Slot.effector_id == effector.id, Slot.start_at == at(paris_day(3), 14)
            )
        )
    ).all()
    await book(session, first, request_id=0)

    def change(day: int, *ranges: tuple[str, str]) -> dict[str, Any]:
        return {
            "site_id": site_id,
            "day": str(paris_day(day)),
            "ranges": [{"start_time": a, "end_time": b} for a, b in ranges],
            "slot_minutes": 20,
        }

    morning = await client.post("/api/agenda/overrides", json=change(3, ("09:00", "10:00")))
    assert morning.json()["slots_removed"] == 2, morning.text
    closed = await client.post("/api/agenda/overrides", json=change(4))
    assert closed.json()["slots_removed"] == 3, closed.text
    absence = await client.post(
        "/api/agenda/absences",
        json={
            "start_date": str(paris_day(3)),
            "end_date": str(paris_day(3)),
            "start_time": "09:00",
            "end_time": "09:20",
        },
    )
    assert absence.json()["slots_removed"] == 1, absence.text
    reopened = await client.delete(f"/api/agenda/overrides/{closed.json()['id']}")
    assert reopened.json() == {"slots_removed": 0, "slots_created": 3}, reopened.text

    maintained = await supply_and_rollups(session)
    rows = maintained[0]
    # Day 2, 4 and 5: the pattern's 3 each; day 3: the booked 14:00 and 09:20, 09:40.
    assert sum(r["offered"] for r in rows) == 3 * 3 + 3
    assert (sum(r["recurring"] for r in rows), sum(r["booked"] for r in rows)) == (12, 1)
    await rebuild(session)
    await session.commit()
    assert await supply_and_rollups(session) == maintained
