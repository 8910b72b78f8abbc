"""Demo history for the dashboard: ~18 months of deterministic synthetic activity written into
the read model, flagged `demo` (rebuild keeps it; nothing in the source packages behind it).

Ids of demo requests start at DEMO_REQUEST_BASE so they never meet real requests' ids."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from indicators import rollups
from indicators.models import IndAppointment, IndRequest, IndSupply
from indicators.timeutil import minutes_between, monday, paris
from snp.db import utcnow
from snp.kit import PARIS, PageParams

SEED = 20261123
DAYS = 500
DEMO_REQUEST_BASE = 900_000_000
ORIGINS = [
    ("patient_call", 55),
    ("pharmacist", 14),
    ("nurse", 8),
    ("emergency_department", 9),
    ("sas", 12),
    ("other", 2),
]
OUTCOMES = [
    ("medical_advice", 38),
    ("slot_booked", 37),
    ("teleconsultation", 6),
    ("pharmacist", 6),
    ("redirected_15", 4),
    ("emergency_department", 2),
    ("unreachable", 3),
    ("no_slot_found", 2),
    ("cancelled_by_patient", 2),
]
STATUSES = [("fulfilled", 88), ("noshow", 6), ("cancelled", 4), ("rescheduled", 2)]
CHANNEL = {"patient_call": "phone", "other": "phone", "sas": "sas"}
HOURS = [8, 9, 9, 10, 10, 11, 12, 14, 15, 16, 17, 18, 18, 19, 20]


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def build_rows(
    effectors: list[tuple[int, str]], communes: list[str], today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Deterministic rows for the DAYS days before `today`."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    requests: list[dict[str, Any]] = []
    appointments: list[dict[str, Any]] = []
    supply: dict[tuple[int, str, date, int], dict[str, Any]] = {}
    serial = 0
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        volume = 4 + (DAYS - offset) // 90 + rng.randint(0, 4) - (3 if day.weekday() == 6 else 0)
        for effector_id, commune in effectors[:8]:
            if day.weekday() < 5 and (effector_id + day.toordinal()) % 3 == 0:
                hour = 14 + effector_id % 5
                supply[(effector_id, commune, day, hour)] = {
                    "effector_id": effector_id,
                    "commune_insee": commune,
                    "day": day,
                    "hour": hour,
                    "offered": 3,
                    "booked": 0,
                    "free": 3,
                    "demo": True,
                }
        for _ in range(max(volume, 1)):
            serial += 1
            received_local = datetime.combine(
                day, time(rng.choice(HOURS), rng.randrange(60)), tzinfo=PARIS
            )
            received = received_local.astimezone(UTC)
            origin = _pick(rng, ORIGINS)
            outcome = _pick(rng, OUTCOMES)
            request_id = DEMO_REQUEST_BASE + serial
            row: dict[str, Any] = {
                "request_id": request_id,
                "received_at": received,
                "received_date": day,
                "received_hour": received_local.hour,
                "origin": origin,
                "channel": CHANNEL.get(origin, "form"),
                "commune_insee": rng.choice(communes),
                "age_band": rng.choice(["infant", "child", "adult", "adult", "adult", "elderly"]),
                "priority": rng.choice(["P2", "P2", "P3"]),
                "orientation": None,
                "status": "closed",
                "outcome": outcome,
                "protocol_version": 1,
                "triaged_at": received + timedelta(minutes=4),
                "claimed_at": received + timedelta(minutes=rng.randint(1, 30)),
                "oriented_at": None,
                "closed_at": received + timedelta(minutes=rng.randint(10, 90)),
                "first_callback_at": None,
                "callback_minutes": None,
                "would_go_to_ed": rng.random() < 0.3,
                "effector_id": None,
                "appointment_id": None,
                "consultation_at": None,
                "appointment_status": None,
                "consultation_minutes": None,
                "demo": True,
            }
            if origin != "patient_call":
                callback = received + timedelta(minutes=rng.randint(5, 75))
                row["first_callback_at"] = callback
                row["callback_minutes"] = minutes_between(received, callback)
            if outcome in ("slot_booked", "cancelled_by_patient"):
                effector_id, site_commune = rng.choice(effectors)
                start = received + timedelta(minutes=rng.randint(60, 52 * 60) // 20 * 20)
                status = "cancelled" if outcome == "cancelled_by_patient" else _pick(rng, STATUSES)
                if status == "cancelled" and outcome == "slot_booked":
                    status = "fulfilled"
                start_local = paris(start)
                appointment_id = f"demo-{serial:08d}"
                delay = minutes_between(received, start)
                row.update(
                    orientation="AMB",
                    oriented_at=received + timedelta(minutes=8),
                    effector_id=effector_id,
                    appointment_id=appointment_id,
                    consultation_at=start,
                    appointment_status=status,
                    consultation_minutes=delay,
                )
                fulfilled = status == "fulfilled"
                appointments.append(
                    {
                        "appointment_id": appointment_id,
                        "request_id": request_id,
                        "effector_id": effector_id,
                        "site_commune": site_commune,
                        "start_at": start,
                        "start_date": start_local.date(),
                        "start_hour": start_local.hour,
                        "start_week": monday(start_local.date()),
                        "kind": "AMB",
                        "origin": origin,
                        "status": status,
                        "cancelled_by": "patient" if status == "cancelled" else None,
                        "cancel_reason": None,
                        "after_care": (
                            rng.choice(["emergency", "hospitalised"])
                            if fulfilled and rng.random() < 0.03
                            else None
                        ),
                        "request_received_at": received,
                        "delay_minutes": delay,
                        "own_patient": rng.random() < 0.1,
                        "satisfaction": (
                            rng.choice([3, 4, 4, 5, 5, 5])
                            if fulfilled and rng.random() < 0.4
                            else None
                        ),
                        "demo": True,
                    }
                )
                cell = supply.setdefault(
                    (effector_id, site_commune, start_local.date(), start_local.hour),
                    {
                        "effector_id": effector_id,
                        "commune_insee": site_commune,
                        "day": start_local.date(),
                        "hour": start_local.hour,
                        "offered": 0,
                        "booked": 0,
                        "free": 0,
                        "demo": True,
                    },
                )
                cell["offered"] += 1
                cell["booked"] += 1
            requests.append(row)
    for cell in supply.values():
        cell["free"] = cell["offered"] - cell["booked"]
    return requests, appointments, list(supply.values())


async def load_history(session: AsyncSession, today: date | None = None) -> int:
    """(Re)write the demo history; returns the number of demo requests."""
    today = today or paris(utcnow()).date()
    page = await agenda.list_effectors(session, page=PageParams(limit=13))
    effectors = [(e.id, e.sites[0].insee_code) for e in page.items if e.sites]
    if not effectors:
        return 0
    communes = sorted({c for _, c in effectors})
    requests, appointments, supply = build_rows(effectors, communes, today)
    for model in (IndAppointment, IndRequest, IndSupply):
        await session.execute(delete(model).where(model.demo.is_(True)))
    for table, rows in (
        (IndRequest, requests),
        (IndAppointment, appointments),
        (IndSupply, supply),
    ):
        for start in range(0, len(rows), 2000):
            await session.execute(insert(table), rows[start : start + 2000])
    # Bulk inserts bypass `sync`: recompute the fee ranks and the rollups from the rows.
    await rollups.rebuild_all(session)
    return len(requests)
