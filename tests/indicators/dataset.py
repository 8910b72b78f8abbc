# ruff: noqa: E501  (the dataset is a table: one request a line)
"""A hand-built dataset for the indicators: a few dozen requests over 2025 and 2026, written
straight into the read model with explicit Paris times, every outcome and origin, edge cases at
exactly 24 h and 48 h, both daylight-saving changes, cancellations, no-shows, a rescheduling,
emergency-department referrals and an effector crossing the weekly SNP fee cap.

The rows are written by the production writers (`indicators.sync`) from facts, as the event
handlers do: derived columns (Paris day and hour, delays in minutes), SNP fee ranks and monthly
rollups included; the supply rows are then recounted into the rollups as the supply job does. Every expected figure in
test_dashboard.py was worked out by hand from the tables below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentFacts
from indicators import rollups
from indicators.models import IndSupply
from indicators.sync import (
    appointment_values,
    request_values,
    write_appointment,
    write_request,
)
from regulation import RequestFacts

PARIS = ZoneInfo("Europe/Paris")
REDON, SAVENAY = "35236", "44003"
# effector id -> (national id, site commune)
EFFECTORS = {1: ("10000000001", REDON), 2: ("10000000002", SAVENAY), 3: ("10000000003", REDON)}
CHANNEL = {
    "patient_call": "phone",
    "other": "phone",
    "pharmacist": "form",
    "nurse": "form",
    "emergency_department": "form",
    "sas": "sas",
}


def at(y: int, mo: int, d: int, h: int, mi: int = 0, fold: int = 0) -> datetime:
    """A Paris wall-clock time (fold=1: the second 02:xx of the October change)."""
    return datetime(y, mo, d, h, mi, tzinfo=PARIS, fold=fold)


@dataclass
class Appt:
    effector: int
    start: datetime
    status: str = "fulfilled"
    after_care: str | None = None
    own_patient: bool = False
    satisfaction: int | None = None
    cancelled_by: str | None = None


@dataclass
class Req:
    id: int
    received: datetime
    origin: str
    commune: str | None
    outcome: str | None
    appt: Appt | None = None
    would_go: bool | None = None
    callback_after: int | None = None  # minutes


REQUESTS: list[Req] = [
    # 2025, the year before
    Req(1, at(2025, 3, 10, 9), "patient_call", REDON, "slot_booked", Appt(1, at(2025, 3, 10, 14))),
    Req(2, at(2025, 3, 20, 10), "pharmacist", REDON, "slot_booked", Appt(2, at(2025, 3, 21, 10))),
    Req(3, at(2025, 10, 15, 8), "sas", SAVENAY, "slot_booked", Appt(1, at(2025, 10, 15, 18), "noshow")),
    Req(4, at(2025, 11, 5, 11), "nurse", SAVENAY, "medical_advice"),
    Req(5, at(2025, 6, 16, 8), "patient_call", REDON, "slot_booked", Appt(3, at(2025, 6, 16, 10))),
    # January 2026: exactly 24 h, one minute more; exactly 48 h, one minute more; ED referrals
    Req(10, at(2026, 1, 5, 9), "patient_call", REDON, "slot_booked", Appt(1, at(2026, 1, 6, 9), satisfaction=5)),
    Req(11, at(2026, 1, 5, 9), "patient_call", REDON, "slot_booked", Appt(1, at(2026, 1, 6, 9, 1))),
    Req(12, at(2026, 1, 12, 10), "pharmacist", SAVENAY, "slot_booked", Appt(2, at(2026, 1, 14, 10), satisfaction=4)),
    Req(13, at(2026, 1, 12, 10), "pharmacist", SAVENAY, "slot_booked", Appt(2, at(2026, 1, 14, 10, 1))),
    Req(14, at(2026, 1, 20, 14), "emergency_department", REDON, "slot_booked", Appt(1, at(2026, 1, 20, 16), satisfaction=2)),
    Req(15, at(2026, 1, 20, 15), "emergency_department", REDON, "redirected_15"),
    Req(16, at(2026, 1, 25, 20), "patient_call", REDON, "medical_advice", would_go=True, callback_after=30),
    # March 2026, around the spring change (Sunday 29 March, 02:00 -> 03:00)
    Req(20, at(2026, 3, 28, 10), "patient_call", REDON, "slot_booked", Appt(1, at(2026, 3, 29, 10))),  # 23 h
    Req(21, at(2026, 3, 28, 11), "patient_call", REDON, "slot_booked", Appt(2, at(2026, 3, 29, 12))),  # 24 h
    Req(22, at(2026, 3, 29, 1, 30), "nurse", SAVENAY, "teleconsultation", would_go=True, callback_after=45),
    Req(23, at(2026, 3, 30, 9), "sas", SAVENAY, "slot_booked", Appt(3, at(2026, 3, 30, 17), "noshow")),
    Req(24, at(2026, 3, 30, 9, 30), "patient_call", REDON, "cancelled_by_patient", Appt(3, at(2026, 3, 31, 10), "cancelled", cancelled_by="patient")),
    Req(25, at(2026, 3, 31, 10), "patient_call", REDON, "slot_booked", Appt(3, at(2026, 4, 1, 10), "rescheduled")),
    # October 2026, around the autumn change (Sunday 25 October, 03:00 -> 02:00)
    Req(30, at(2026, 10, 24, 10), "patient_call", REDON, "slot_booked", Appt(1, at(2026, 10, 25, 10))),  # 25 h
    Req(31, at(2026, 10, 25, 2, 30, fold=1), "pharmacist", SAVENAY, "unreachable", callback_after=10),
    Req(32, at(2026, 10, 25, 2, 30, fold=0), "other", None, "no_slot_found"),
    Req(33, at(2026, 10, 26, 8), "patient_call", REDON, "slot_booked", Appt(1, at(2026, 10, 26, 11), after_care="emergency")),
    Req(34, at(2026, 10, 27, 8), "patient_call", REDON, "slot_booked", Appt(2, at(2026, 10, 27, 18), after_care="hospitalised", own_patient=True)),
    Req(35, at(2026, 10, 28, 9), "patient_call", REDON, None),
    Req(36, at(2026, 10, 28, 10), "patient_call", REDON, "pharmacist", would_go=False),
    Req(37, at(2026, 10, 28, 11), "emergency_department", SAVENAY, "medical_advice"),
    Req(38, at(2026, 11, 2, 9), "nurse", SAVENAY, "transferred_regulator"),
    Req(39, at(2026, 11, 2, 10), "emergency_department", REDON, "emergency_department"),
]  # fmt: skip
# Week of Monday 15 June 2026: effector 3 sees 22 + 1 (Sunday 23:40) fee candidates, cap is 20;
# then one on Monday 22 June at 00:10 Paris (still Sunday in UTC), first of the next week.
REQUESTS += [
    Req(100 + i, at(2026, 6, 15, 8), "patient_call", REDON, "slot_booked",
        Appt(3, at(2026, 6, 15, 9) + timedelta(minutes=20 * i)))
    for i in range(22)
]  # fmt: skip
REQUESTS += [
    Req(122, at(2026, 6, 21, 8), "patient_call", REDON, "slot_booked", Appt(3, at(2026, 6, 21, 23, 40))),
    Req(123, at(2026, 6, 21, 22), "patient_call", REDON, "slot_booked", Appt(3, at(2026, 6, 22, 0, 10))),
]  # fmt: skip
# A consultation booked straight by the SAS, without a regulation request.
DIRECT = ("a-direct-50", Appt(2, at(2026, 2, 10, 10)), "sas")
SUPPLY = [
    # effector, commune, Paris day-hour, offered, booked, free
    (1, REDON, at(2026, 1, 6, 9), 3, 2, 1),
    (2, SAVENAY, at(2026, 1, 14, 10), 2, 2, 0),
    (1, REDON, at(2026, 3, 29, 10), 4, 1, 3),
    (3, REDON, at(2026, 6, 15, 9), 24, 22, 2),
    (1, REDON, at(2025, 3, 10, 14), 5, 1, 4),
]
NAMES = {1: "Anne Aubert", 2: "Bruno Bernard", 3: "Claire Colin"}


def appointment_id(request_id: int) -> str:
    return f"a-{request_id:04d}"


def _appointment_facts(
    aid: str, request_id: int | None, appt: Appt, origin: str
) -> AppointmentFacts:
    national_id, commune = EFFECTORS[appt.effector]
    return AppointmentFacts(
        appointment_id=aid,
        request_id=request_id,
        effector_id=appt.effector,
        effector_national_id=national_id,
        site_commune=commune,
        start_at=appt.start,
        kind="AMB",
        origin=origin,
        status=appt.status,
        cancelled_by=appt.cancelled_by,
        cancel_reason="Le patient ne peut plus venir." if appt.cancelled_by else None,
        after_care=appt.after_care,
    )


def _request_facts(r: Req) -> RequestFacts:
    gp = EFFECTORS[r.appt.effector][0] if r.appt and r.appt.own_patient else "19999999999"
    return RequestFacts(
        request_id=r.id,
        received_at=r.received,
        origin=r.origin,
        channel=CHANNEL[r.origin],
        commune_insee=r.commune,
        age_band="adult",
        priority="P2",
        orientation="AMB" if r.appt else None,
        status="closed" if r.outcome else "waiting",
        outcome=r.outcome,
        protocol_version=1,
        triaged_at=r.received + timedelta(minutes=5),
        claimed_at=r.received + timedelta(minutes=6),
        oriented_at=r.received + timedelta(minutes=9) if r.appt else None,
        closed_at=r.received + timedelta(minutes=10) if r.outcome else None,
        first_callback_at=(
            r.received + timedelta(minutes=r.callback_after) if r.callback_after else None
        ),
        would_go_to_ed=r.would_go,
        appointment_id=appointment_id(r.id) if r.appt else None,
        consultation_at=r.appt.start if r.appt else None,
        gp_rpps=gp,
    )


async def load(session: AsyncSession) -> None:
    for r in REQUESTS:
        facts = _request_facts(r)
        appt_facts = (
            _appointment_facts(appointment_id(r.id), r.id, r.appt, "operator") if r.appt else None
        )
        await write_request(session, r.id, request_values(facts, appt_facts))
        if r.appt and appt_facts:
            values = appointment_values(appt_facts, facts)
            await write_appointment(session, appt_facts.appointment_id, values)
            if r.appt.satisfaction is not None:
                await write_appointment(
                    session, appt_facts.appointment_id, {"satisfaction": r.appt.satisfaction}
                )
    aid, appt, origin = DIRECT
    await write_appointment(
        session, aid, appointment_values(_appointment_facts(aid, None, appt, origin), None)
    )
    for effector, commune, when, offered, booked, free in SUPPLY:
        session.add(
            IndSupply(
                effector_id=effector,
                commune_insee=commune,
                day=when.date(),
                hour=when.hour,
                offered=offered,
                booked=booked,
                free=free,
                demo=False,
            )
        )
    await session.flush()
    await rollups.rebuild_all(session)
    await session.commit()
