"""Data protection keeps every figure: requests built through the real services (intake and
triage, closing with every kind of outcome, booking, the consultation log, a cancellation and a
rebooking), the whole dashboard computed, the identity of closed requests pseudonymised once the
retention period is over, and the dashboard computed again — live, and rebuilt from the source
packages — is identical."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from agenda.service.outcomes import record_outcome
from indicators.queries import compute_dashboard
from indicators.rebuild import rebuild
from indicators.schemas import Filters
from indicators.timeutil import paris
from regulation import Outcome, close_request
from regulation.models import RegulationRequest
from regulation.schemas import RequestCreate
from regulation.service import booking, retention
from regulation.service.intake import create_request
from regulation.service.protocol import default_protocol_text, parse_protocol
from regulation.service.queue import claim_request
from regulation.service.triage import triage_request
from snp.actor import Actor
from snp.auth.roles import Role
from snp.db import utcnow
from snp.settings import get_settings
from tests.factories import create_user
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import actor_of, birth_date_for, patient

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}
ANSWERS: dict[str, Any] = (
    {f.id: False for f in DEFAULT.red_flags_for("adult")}
    | {r.id: False for r in DEFAULT.risk_factors_for("adult")}
) | FEVER_OK
PSEUDO = "Patient pseudonymisé"
REDON_INSEE = "35236"


async def intake(session: AsyncSession, actor: Actor, origin: str, **overrides: Any) -> int:
    body = patient(
        birth_date=birth_date_for(years=overrides.pop("years", 34)),
        answers=ANSWERS,
        origin=origin,
        notes="Rappeler après 18 h",
    )
    created = await create_request(
        session, actor, RequestCreate.model_validate(body | overrides), settings=get_settings()
    )
    await session.commit()
    return created.id


async def book(session: AsyncSession, actor: Actor, request_id: int, slot_id: int) -> str:
    await booking.hold_slot(session, actor, request_id, slot_id)
    booked = await booking.confirm_booking(session, actor, request_id, slot_id)
    await session.commit()
    return booked.appointment.id


async def build_activity(session: AsyncSession) -> tuple[datetime, int]:
    """A few days of activity of every kind; returns the last consultation time and the id
    of one effector."""
    operator = actor_of(await create_user(session, Role.OPERATOR, email="osnp@example.fr"))
    coordinator = actor_of(await create_user(session, Role.COORDINATOR, email="co@example.fr"))
    near = await effector(session, "Martin", north_of(REDON, 2))
    far = await effector(session, "Durand", north_of(REDON, 9))
    base = (utcnow() + timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    settings = get_settings()

    # Closed without a consultation: advice, pharmacist, the 15, no slot found.
    for origin, outcome in (
        ("patient_call", Outcome.MEDICAL_ADVICE),
        ("pharmacist", Outcome.PHARMACIST),
        ("nurse", Outcome.REDIRECTED_15),
        ("emergency_department", Outcome.NO_SLOT_FOUND),
    ):
        request_id = await intake(session, operator, origin)
        await close_request(
            session, operator, request_id, outcome, settings=settings, note="Aucun créneau"
        )
        await session.commit()

    # Booked then seen, seen and sent to the ED, hospitalised, absent.
    consultations = [
        ("patient_call", near, 0, "fulfilled", None),
        ("emergency_department", near, 1, "fulfilled", "emergency"),
        ("pharmacist", far, 2, "fulfilled", "hospitalised"),
        ("sas", far, 26, "noshow", None),
    ]
    last = base
    for origin, doctor, hours, seen, after_care in consultations:
        start = base + timedelta(hours=hours)
        request_id = await intake(session, operator, origin, years=8 if hours == 2 else 34)
        appointment_id = await book(
            session, operator, request_id, await slot(session, doctor, start)
        )
        await record_outcome(
            session,
            coordinator,
            appointment_id,
            seen,
            after_care,
            now=start + timedelta(hours=1),
        )
        await session.commit()
        last = max(last, start)

    # Cancelled by the patient, then rebooked with another effector and seen.
    request_id = await intake(session, operator, "patient_call")
    first = await book(
        session, operator, request_id, await slot(session, near, base + timedelta(hours=5))
    )
    await agenda.cancel(session, first, by="patient", reason="Empêchement", actor=coordinator)
    await session.commit()
    await claim_request(session, operator, request_id)  # back in the queue « à replanifier »
    await triage_request(session, operator, request_id, ANSWERS)  # the red flags asked again
    start = base + timedelta(hours=30)
    second = await book(session, operator, request_id, await slot(session, far, start))
    await record_outcome(session, coordinator, second, "fulfilled", now=start)
    await session.commit()

    # Still open: in the queue, untouched by the retention job.
    await intake(session, operator, "patient_call", claim=False)
    return max(last, start), near[0]


def figures(dashboard: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = dashboard.model_dump(mode="json")
    dumped.pop("computed_at")
    return dumped


async def dashboards(
    session: AsyncSession, last: datetime, effector_id: int
) -> list[dict[str, Any]]:
    """The whole dashboard, and filtered by commune, origin and effector."""
    today = paris(utcnow()).date()
    year = Filters(start=today - timedelta(days=365), end=paris(last).date() + timedelta(days=1))
    variants = [
        year,
        year.model_copy(update={"granularity": "quarter"}),
        year.model_copy(update={"commune": REDON_INSEE}),
        year.model_copy(update={"origin": "emergency_department"}),
        year.model_copy(update={"effector_id": effector_id}),
    ]
    return [figures(await compute_dashboard(session, f)) for f in variants]


async def test_pseudonymising_closed_requests_changes_no_figure(session: AsyncSession) -> None:
    last, effector_id = await build_activity(session)
    # Supply (slots offered) is refreshed by a job, not by events: rebuild first so that the
    # read model is complete, as it is in production once the job has run.
    await rebuild(session)
    await session.commit()
    before = await dashboards(session, last, effector_id)
    assert before[0]["requests"] != before[3]["requests"]  # the filters do filter

    # The retention period is over for everything closed (the open request stays open).
    later = utcnow() + relativedelta(months=12, days=7)
    done = await retention.pseudonymise_expired(session, retention_months=12, now=later)
    await session.commit()
    assert done == 9
    names = await session.execute(
        select(RegulationRequest.family_name, func.count()).group_by(RegulationRequest.family_name)
    )
    assert {name: count for name, count in names.all()} == {PSEUDO: 9, "Dupont": 1}

    after = await dashboards(session, last, effector_id)
    assert after == before

    # Rebuilt from the pseudonymised source tables, the figures are still the same.
    await rebuild(session)
    await session.commit()
    assert await dashboards(session, last, effector_id) == before
