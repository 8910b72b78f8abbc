"""Data protection: the identity of closed requests is pseudonymised once the retention period
(`retention_months`, 12 by default) is over, by the job `regulation.pseudonymise`, in batches,
audited once per batch; open and recent requests are untouched; what indicators need stays; a
pseudonymised request can still be read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment
from agenda.service.outcomes import record_outcome
from agenda.service.retention import PSEUDONYMISED_LABEL
from notifications.models import OutboxMessage, Survey
from regulation import Outcome, close_request, get_request
from regulation.models import CallbackAttempt, CallbackResult, RegulationRequest
from regulation.schemas import RequestCreate
from regulation.service import booking, closing, retention
from regulation.service.intake import create_request
from regulation.service.protocol import default_protocol_text, parse_protocol
from snp import scheduler
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth.roles import Role
from snp.db import utcnow
from snp.settings import get_settings
from tests.factories import create_user
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import actor_of, birth_date_for, patient, staff

pytestmark = pytest.mark.usefixtures("communes")

DEFAULT = parse_protocol(default_protocol_text())
FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}
ANSWERS: dict[str, Any] = (
    {f.id: False for f in DEFAULT.red_flags_for("adult")}
    | {r.id: False for r in DEFAULT.risk_factors_for("adult")}
) | FEVER_OK
PSEUDO = "Patient pseudonymisé"


async def intake(session: AsyncSession, actor: Actor, **overrides: Any) -> int:
    """A phone intake triaged at once (fever, P2), kept in hand by `actor`."""
    body = patient(birth_date=birth_date_for(years=34), answers=ANSWERS, notes="Voisin : M. Rio")
    created = await create_request(
        session, actor, RequestCreate.model_validate(body | overrides), settings=get_settings()
    )
    await session.commit()
    return created.id


async def close(
    session: AsyncSession, actor: Actor, request_id: int, outcome: Outcome, at: datetime
) -> None:
    await close_request(
        session, actor, request_id, outcome, settings=get_settings(), note="Conseils", now=at
    )
    await session.commit()


async def row_of(session: AsyncSession, request_id: int) -> RegulationRequest:
    row = await session.get(RegulationRequest, request_id, populate_existing=True)
    assert row is not None
    return row


async def batch_audits(session: AsyncSession) -> list[str]:
    rows = await session.scalars(
        select(AuditEntry).where(AuditEntry.action == "pseudonymise").order_by(AuditEntry.id)
    )
    return [f"{r.actor_email}|{r.detail}" for r in rows]


async def test_only_requests_closed_longer_ago_than_the_retention_lose_their_identity(
    session: AsyncSession,
) -> None:
    operator = actor_of(await create_user(session, Role.OPERATOR, email="osnp@example.fr"))
    now = utcnow()
    old = await intake(
        session,
        operator,
        commune_insee=None,
        address_line="12 rue des Écoles",
        latitude=47.65432,
        longitude=-2.08765,
        birth_date="1990-09-17",
    )
    await closing.log_callback_attempt(
        session,
        operator,
        old,
        CallbackResult.NO_ANSWER,
        settings=get_settings(),
        note="Messagerie de Mme X",
    )
    await close(session, operator, old, Outcome.MEDICAL_ADVICE, now)
    sent_to_15 = await intake(session, operator)
    await close(session, operator, sent_to_15, Outcome.REDIRECTED_15, now)
    recent = await intake(session, operator)
    await close(session, operator, recent, Outcome.PHARMACIST, now + relativedelta(months=2))
    still_open = await intake(session, operator, claim=False)
    before_open = dict(vars(await row_of(session, still_open)))
    before_recent = dict(vars(await row_of(session, recent)))
    before_old = dict(vars(await row_of(session, old)))

    # Twelve months and a day after `now`: the first two are past the retention, not `recent`.
    later = now + relativedelta(months=12) + timedelta(days=1)
    done = await retention.pseudonymise_expired(session, retention_months=12, now=later)
    await session.commit()

    assert done == 2
    row = await row_of(session, old)
    assert (row.family_name, row.given_name, row.phone) == (PSEUDO, "", "+33000000000")
    assert row.birth_date == date(1990, 7, 1)  # coarsened: 1st of January or July
    assert (row.address_line, row.latitude, row.longitude) == (None, 47.65, -2.09)
    assert (row.gp_name, row.notes, row.outcome_note) == (None, None, None)
    assert row.pseudonymised_at == later
    # What indicators need stays exactly as it was.
    for kept in (
        "origin",
        "commune_insee",
        "age_band",
        "sex",
        "priority",
        "motif",
        "triage_answers",
        "outcome",
        "status",
        "received_at",
        "triaged_at",
        "closed_at",
        "has_gp",
        "gp_rpps",
        "orientation",
        "deadline_at",
    ):
        assert getattr(row, kept) == before_old[kept], kept
    note = await session.scalar(
        select(CallbackAttempt.note).where(CallbackAttempt.request_id == old)
    )
    assert note is None
    assert (await row_of(session, sent_to_15)).family_name == PSEUDO
    for request_id, before in ((recent, before_recent), (still_open, before_open)):
        untouched = await row_of(session, request_id)
        assert untouched.pseudonymised_at is None
        for field in ("family_name", "given_name", "phone", "birth_date", "notes", "gp_name"):
            assert getattr(untouched, field) == before[field]


async def test_it_is_batched_audited_once_per_batch_resumable_and_idempotent(
    session: AsyncSession,
) -> None:
    operator = actor_of(await create_user(session, Role.OPERATOR, email="osnp@example.fr"))
    now = utcnow()
    ids = []
    for _ in range(5):
        request_id = await intake(session, operator)
        await close(session, operator, request_id, Outcome.MEDICAL_ADVICE, now)
        ids.append(request_id)
    later = now + relativedelta(months=13)

    # Two batches of two per run at most: the next run carries on where it stopped.
    first = await retention.pseudonymise_expired(
        session, retention_months=12, now=later, batch_size=2, max_batches=2
    )
    await session.commit()
    assert first == 4
    assert [(await row_of(session, i)).family_name == PSEUDO for i in ids] == [
        True,
        True,
        True,
        True,
        False,
    ]
    second = await retention.pseudonymise_expired(
        session, retention_months=12, now=later, batch_size=2
    )
    await session.commit()
    assert second == 1
    again = await retention.pseudonymise_expired(session, retention_months=12, now=later)
    await session.commit()
    assert again == 0

    closed_before = (later - relativedelta(months=12)).date().isoformat()
    job = "regulation.pseudonymise"
    assert await batch_audits(session) == [
        f"{job}|count=2;closed_before={closed_before}",
        f"{job}|count=2;closed_before={closed_before}",
        f"{job}|count=1;closed_before={closed_before}",
    ]
    # No audit entry per patient.
    per_patient = await session.scalars(
        select(AuditEntry.id).where(
            AuditEntry.actor_email == job, AuditEntry.entity_id.in_([str(i) for i in ids])
        )
    )
    assert list(per_patient) == []


async def test_a_booked_request_its_appointment_label_and_sms_lose_identity_and_stay_readable(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    operator_user = await staff(session, client, Role.COORDINATOR, name="Anne Coordinatrice")
    operator = actor_of(operator_user)
    doctor = await effector(session, "Martin", north_of(REDON, 2))
    start = (utcnow() + timedelta(hours=2)).replace(second=0, microsecond=0)
    slot_id = await slot(session, doctor, start)
    request_id = await intake(session, operator)
    await booking.hold_slot(session, operator, request_id, slot_id)
    booked = await booking.confirm_booking(session, operator, request_id, slot_id)
    await session.commit()
    appointment_id = booked.appointment.id
    await record_outcome(
        session, operator, appointment_id, "fulfilled", now=start + timedelta(hours=1)
    )
    await session.commit()
    messages = list(
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.appointment_id == appointment_id)
        )
    )
    assert {m.audience for m in messages} >= {"patient", "effector"}
    for message in messages:  # as if sent long ago
        message.status = "delivered"
    survey = await session.scalar(select(Survey).where(Survey.appointment_id == appointment_id))
    if survey is None:  # surveys switched off: one as notifications writes it
        survey = Survey(
            appointment_id=appointment_id,
            request_id=request_id,
            phone="+33612345678",
            expires_at=utcnow() + timedelta(hours=48),
        )
        session.add(survey)
    survey.score = 4  # the patient answered
    await session.commit()

    later = utcnow() + relativedelta(months=12, days=1)
    assert await retention.pseudonymise_expired(session, retention_months=12, now=later) == 1
    await session.commit()

    label = await session.scalar(
        select(Appointment.patient_label).where(Appointment.id == appointment_id)
    )
    assert label == PSEUDONYMISED_LABEL
    kept = await session.scalar(select(Appointment.status).where(Appointment.id == appointment_id))
    assert kept == "fulfilled"
    session.expire_all()
    for message in await session.scalars(
        select(OutboxMessage).where(OutboxMessage.appointment_id == appointment_id)
    ):
        assert "M.D." not in message.body
        assert message.body.startswith("[SMS effacé")
        assert not message.idempotency_key.endswith("+33612345678")
        if message.audience in ("patient", "referrer"):
            assert message.recipient == "+33000000000"
        else:
            assert message.recipient != "+33000000000"

    answered = await session.scalar(select(Survey).where(Survey.appointment_id == appointment_id))
    assert answered is not None
    assert (answered.phone, answered.score) == ("+33000000000", 4)

    # Read paths still work, showing the pseudonymised patient.
    detail = await get_request(session, operator, request_id)
    assert (detail.family_name, detail.outcome, detail.appointment_id) == (
        PSEUDO,
        "slot_booked",
        appointment_id,
    )
    await session.commit()
    response = await client.get(f"/api/regulation/requests/{request_id}")
    assert response.status_code == 200, response.text
    assert response.json()["family_name"] == PSEUDO
    listed = await client.get("/api/regulation/requests", params={"status": "closed"})
    assert listed.status_code == 200, listed.text
    assert [i["family_name"] for i in listed.json()["items"]] == [PSEUDO]


async def test_the_scheduled_job_uses_the_retention_setting(session: AsyncSession) -> None:
    operator = actor_of(await create_user(session, Role.OPERATOR, email="osnp@example.fr"))
    long_ago = utcnow() - relativedelta(months=get_settings().retention_months, days=1)
    expired = await intake(session, operator)
    await close(session, operator, expired, Outcome.MEDICAL_ADVICE, long_ago)
    fresh = await intake(session, operator)
    await close(session, operator, fresh, Outcome.MEDICAL_ADVICE, utcnow())

    job = scheduler.registered_jobs()["regulation.pseudonymise"]
    await job.func(session)
    await session.commit()

    assert (await row_of(session, expired)).family_name == PSEUDO
    assert (await row_of(session, fresh)).family_name == "Dupont"
