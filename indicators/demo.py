"""Demo history for the dashboard: ~18 months of deterministic synthetic activity written into
the read model, flagged `demo` (rebuild keeps it; nothing in the source packages behind it).

Ids of demo requests start at DEMO_REQUEST_BASE so they never meet real requests' ids."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from indicators import rollups
from indicators.models import (
    AciContract,
    AciContractVersion,
    AciFigure,
    AciIndicator,
    AciOperatorHours,
    IndAppointment,
    IndRequest,
    IndSupply,
)
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
# Seasonality of unscheduled care: winter epidemics up, summer holidays down (per month).
SEASON = {1: 1.3, 2: 1.25, 3: 1.1, 4: 1.0, 5: 0.95, 6: 0.9, 7: 0.8, 8: 0.75, 9: 0.95, 10: 1.05}
SEASON |= {11: 1.15, 12: 1.3}
# GPs' office hours for SNP slots (Paris): weekdays 08:00-19:40, Saturday 08:00-11:40.
OFFICE_OPEN = 8
OFFICE_CLOSE = {0: 20, 1: 20, 2: 20, 3: 20, 4: 20, 5: 12}
SLOT_MINUTES = 20


def office_slot(wanted: datetime) -> datetime:
    """The first SNP slot start in office hours at or after `wanted` (Paris, 20-minute grid)."""
    local = paris(wanted)
    minute = -(-local.minute // SLOT_MINUTES) * SLOT_MINUTES
    local = local.replace(minute=0, second=0, microsecond=0) + timedelta(minutes=minute)
    for _ in range(8 * 24 * 3):
        close = OFFICE_CLOSE.get(local.weekday())
        if close is not None and OFFICE_OPEN <= local.hour < close:
            return local
        if close is None or local.hour >= close:
            following = local.date() + timedelta(days=1)
            local = datetime.combine(following, time(OFFICE_OPEN), tzinfo=PARIS)
        elif local.hour < OFFICE_OPEN:
            local = datetime.combine(local.date(), time(OFFICE_OPEN), tzinfo=PARIS)
    raise ValueError(wanted)  # pragma: no cover - a week always has office hours


def daily_volume(rng: random.Random, day: date, offset: int) -> int:
    """Requests of one day: growing over the history, seasonal, fewer at the weekend."""
    base = 4 + (DAYS - offset) // 90 + rng.randint(0, 4)
    weekday = {5: 0.7, 6: 0.45}.get(day.weekday(), 1.0)
    return max(1, round(base * SEASON[day.month] * weekday))


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
        volume = daily_volume(rng, day, offset)
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
        for _ in range(volume):
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
                wanted = received + timedelta(minutes=rng.randint(60, 30 * 60))
                start = office_slot(wanted).astimezone(UTC)
                status = "cancelled" if outcome == "cancelled_by_patient" else _pick(rng, STATUSES)
                if status == "cancelled" and outcome == "slot_booked":
                    status = "fulfilled"
                if paris(start).date() >= today and status != "cancelled":
                    status = "booked"  # not happened yet: no outcome recorded
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
        cell["recurring"] = cell["offered"]  # the demo GPs publish weekly availabilities
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
    await load_contract(session, today)
    return len(requests)


NATIONAL = [
    (
        "national_1",
        "Patients ayant un médecin traitant",
        "Nombre de patients du territoire ayant déclaré un médecin traitant.",
        "Chiffre CPAM au dernier jour de l'année du contrat.",
        60_000.0,
        61_500.0,
        "increasing",
    ),
    (
        "national_2",
        "Patients ALD, 70 ans et plus, CMU-C sans médecin traitant",
        "Patients en ALD, de 70 ans et plus ou bénéficiaires de la CMU-C (C2S) sans médecin "
        "traitant.",
        "Chiffre CPAM au dernier jour de l'année du contrat.",
        1_200.0,
        900.0,
        "decreasing",
    ),
    (
        "national_3",
        "Passages aux urgences non suivis d'hospitalisation (%)",
        "Part des passages aux urgences des patients du territoire non suivis d'hospitalisation.",
        "Passages non suivis d'hospitalisation / passages, chiffre ARS de l'année du contrat.",
        78.0,
        74.0,
        "decreasing",
    ),
    (
        "national_4",
        "Hospitalisations directes adressées par la ville (%)",
        "Part des hospitalisations directes (sans passage aux urgences) adressées par un "
        "professionnel de ville.",
        "Hospitalisations directes adressées par la ville / hospitalisations directes, ARS.",
        12.0,
        15.0,
        "increasing",
    ),
]
NATIONAL_FIGURES = {"national_1": 60_900.0, "national_2": 1_020.0, "national_3": 76.5}


async def load_contract(session: AsyncSession, today: date) -> None:
    """A demo ACI contract signed 400 days ago (year 1 closed, year 2 running), size 2, with
    the five national indicators; year 1's national figures entered except one."""
    if await session.scalar(select(AciContract.id).limit(1)) is not None:
        return
    now = utcnow()
    contract = AciContract(
        signed_on=today - timedelta(days=400),
        cpts_size=2,
        operator_hour_cost=32.0,
        version=1,
        updated_at=now,
        updated_by=None,
    )
    session.add(contract)
    await session.flush()
    rows: list[dict[str, Any]] = []
    for year in (1, 2):
        for code, label, definition, calculation, baseline, target, direction in NATIONAL:
            rows.append(
                {
                    "contract_year": year,
                    "code": code,
                    "label": label,
                    "definition": definition,
                    "calculation": calculation,
                    "source": "entered",
                    "metric": None,
                    "baseline": baseline,
                    "target": target,
                    "weight": 15.0,
                    "direction": direction,
                }
            )
        rows.append(
            {
                "contract_year": year,
                "code": "national_5",
                "label": "Consultations enregistrées dans l'organisation SNP",
                "definition": "Consultations de soins non programmés réalisées dans les créneaux "
                "de l'organisation territoriale (patient vu).",
                "calculation": "Rendez-vous SNP dont le patient a été vu, comptés par date "
                "de consultation (heure de Paris) sur l'année du contrat, jamais au-delà "
                "d'aujourd'hui.",
                "source": "platform",
                "metric": "snp_consultations",
                "baseline": 600.0 + 150 * (year - 1),
                "target": 900.0 + 150 * (year - 1),
                "weight": 40.0,
                "direction": "increasing",
            }
        )
    session.add_all(AciIndicator(contract_id=contract.id, **row) for row in rows)
    snapshot = {
        "signed_on": contract.signed_on.isoformat(),
        "cpts_size": 2,
        "operator_hour_cost": 32.0,
        "indicators": rows,
    }
    session.add(
        AciContractVersion(
            contract_id=contract.id,
            version=1,
            saved_at=now,
            saved_by=None,
            snapshot=json.dumps(snapshot),
        )
    )
    figure_day = contract.signed_on + timedelta(days=380)
    session.add_all(
        AciFigure(
            code=code,
            contract_year=1,
            value=value,
            source="CPAM (démonstration)",
            figure_date=figure_day,
            entered_at=now,
            entered_by=None,
        )
        for code, value in NATIONAL_FIGURES.items()
    )
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    for _ in range(12):
        if await session.get(AciOperatorHours, month) is None:
            session.add(AciOperatorHours(month=month, hours=140.0, entered_at=now, entered_by=None))
        month = (month - timedelta(days=1)).replace(day=1)
