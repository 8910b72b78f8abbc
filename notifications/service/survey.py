"""The satisfaction survey: after a consultation recorded as honoured, the patient (SMS consent,
not opted out) is asked for a score from 1 to 5; their single-digit answer from that number
within `sms_survey_answer_hours` records it and emits `SatisfactionRecorded` (for the
indicators). One survey per appointment (a corrected outcome does not ask again); the answer
goes to the number's latest open survey.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import AppointmentOutcomeRecorded
from notifications.events import SatisfactionRecorded
from notifications.models import Audience, Survey
from notifications.service import outbox, sources, timing
from notifications.service.outbox import About
from snp import events
from snp.db import dialect_insert, utcnow
from snp.settings import Settings

TEMPLATE = "patient_enquete"


async def ask(session: AsyncSession, event: AppointmentOutcomeRecorded, settings: Settings) -> bool:
    """Queue the survey of a fulfilled consultation; False when not asked."""
    if not settings.sms_survey_enabled or event.outcome != "fulfilled":
        return False
    if (event.recorded_at or utcnow()) < event.start_at:  # never about one still to come
        return False
    contact = await sources.patient_contact(session, event.request_id)
    if contact is None or not contact.phone or not contact.sms_consent:
        return False
    if await outbox.is_opted_out(session, contact.phone):
        return False
    now = utcnow()
    inserted = await session.execute(
        dialect_insert(session)(Survey)
        .values(
            appointment_id=event.appointment_id,
            request_id=event.request_id,
            phone=contact.phone,
            sent_at=now,
            expires_at=now + timedelta(hours=settings.sms_survey_answer_hours),
        )
        .on_conflict_do_nothing(index_elements=["appointment_id"])
    )
    if not inserted.rowcount:  # type: ignore[attr-defined]
        return False
    effector = await sources.effector_contact(session, event.effector_id)

    return await outbox.enqueue(
        session,
        key=f"survey:{event.appointment_id}:{contact.phone}",
        to=contact.phone,
        template=TEMPLATE,
        audience=Audience.PATIENT,
        values={
            "date": timing.paris_date(event.start_at),
            "praticien": effector.name if effector else "le médecin",
        },
        essential=False,
        expires_at=now + timedelta(hours=settings.sms_survey_answer_hours),
        about=About(
            appointment_id=event.appointment_id,
            request_id=event.request_id,
            effector_id=event.effector_id,
        ),
    )


async def record_answer(
    session: AsyncSession, phone: str, score: int, now: datetime, reply_key: str
) -> bool:
    """A digit 1-5 from `phone`: the score of its latest open survey; False when none."""
    survey = await session.scalar(
        select(Survey)
        .where(Survey.phone == phone, Survey.score.is_(None), Survey.expires_at > now)
        .order_by(Survey.sent_at.desc(), Survey.id.desc())
        .limit(1)
        .with_for_update()
    )
    if survey is None:
        return False
    survey.score, survey.answered_at = score, now
    await session.flush()
    await outbox.enqueue(
        session, key=reply_key, to=phone, template="reponse_enquete", audience=Audience.PATIENT
    )
    await events.emit(
        session,
        SatisfactionRecorded(
            appointment_id=survey.appointment_id,
            request_id=survey.request_id,
            score=score,
            at=now,
        ),
    )
    return True
