"""A patient's rights for what notifications holds: the SMS sent about their requests or to
their number, the SMS received from them, their STOP, their satisfaction answers — read for a
right-of-access export, and erased (blanked as the retention job does) on request.

What belongs to another person stays out: a message about another request, even sent to the
same number (a parent's phone used for a child), and other recipients' numbers (the effector's,
the referrer's). The STOP is kept on erasure: it is what honours the objection.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, case, cast, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from notifications.models import (
    Audience,
    InboundMessage,
    MessageStatus,
    OptOut,
    OutboxMessage,
    Survey,
)
from notifications.service.retention import PSEUDONYMISED_BODY, PSEUDONYMISED_RECIPIENT


@dataclass(frozen=True, slots=True)
class SentSms:
    id: int
    created_at: datetime
    sent_at: datetime | None
    audience: str
    recipient: str | None  # the patient's own number only
    template: str
    body: str
    status: str
    request_id: int | None
    appointment_id: str | None


@dataclass(frozen=True, slots=True)
class ReceivedSms:
    id: int
    received_at: datetime
    sender: str
    body: str
    keyword: str | None
    request_id: int | None


@dataclass(frozen=True, slots=True)
class OptOutRecord:
    phone: str
    keyword: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SurveyAnswer:
    appointment_id: str
    sent_at: datetime
    score: int | None
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class PatientSms:
    sent: list[SentSms]
    received: list[ReceivedSms]
    opt_outs: list[OptOutRecord]
    surveys: list[SurveyAnswer]


def _real(phones: Collection[str]) -> set[str]:
    """The numbers to look for: a pseudonymised request's placeholder number is nobody's."""
    return set(phones) - {PSEUDONYMISED_RECIPIENT}


def _sent_about(
    request_ids: Collection[int], appointment_ids: Collection[str], phones: Collection[str]
) -> ColumnElement[bool]:
    """Messages about these requests or appointments, or to these numbers and about nobody
    else (auto-replies)."""
    about: list[ColumnElement[bool]] = [literal(False)]
    if request_ids:
        about.append(OutboxMessage.request_id.in_(sorted(request_ids)))
    if appointment_ids:
        about.append(OutboxMessage.appointment_id.in_(sorted(appointment_ids)))
    if phones:
        about.append(
            and_(
                OutboxMessage.recipient.in_(sorted(phones)),
                OutboxMessage.audience == Audience.PATIENT.value,
                OutboxMessage.request_id.is_(None),
                OutboxMessage.appointment_id.is_(None),
            )
        )
    return or_(*about)


def _received_from(request_ids: Collection[int], phones: Collection[str]) -> ColumnElement[bool]:
    """SMS received about these requests, or from these numbers and tied to no request."""
    about: list[ColumnElement[bool]] = [literal(False)]
    if request_ids:
        about.append(InboundMessage.request_id.in_(sorted(request_ids)))
    if phones:
        about.append(
            and_(InboundMessage.sender.in_(sorted(phones)), InboundMessage.request_id.is_(None))
        )
    return or_(*about)


def _surveys_of(
    request_ids: Collection[int], appointment_ids: Collection[str]
) -> ColumnElement[bool]:
    about: list[ColumnElement[bool]] = [literal(False)]
    if request_ids:
        about.append(Survey.request_id.in_(sorted(request_ids)))
    if appointment_ids:
        about.append(Survey.appointment_id.in_(sorted(appointment_ids)))
    return or_(*about)


async def patient_sms(
    session: AsyncSession,
    *,
    request_ids: Collection[int],
    appointment_ids: Collection[str],
    phones: Collection[str],
) -> PatientSms:
    """Every SMS about the person (see the module's docstring), oldest first."""
    own = _real(phones)
    sent = [
        SentSms(
            id=m.id,
            created_at=m.created_at,
            sent_at=m.sent_at,
            audience=m.audience,
            recipient=m.recipient if m.audience == Audience.PATIENT.value else None,
            template=m.template,
            body=m.body,
            status=m.status,
            request_id=m.request_id,
            appointment_id=m.appointment_id,
        )
        for m in await session.scalars(
            select(OutboxMessage)
            .where(_sent_about(request_ids, appointment_ids, own))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    ]
    received = [
        ReceivedSms(
            id=m.id,
            received_at=m.received_at,
            sender=m.sender,
            body=m.body,
            keyword=m.keyword,
            request_id=m.request_id,
        )
        for m in await session.scalars(
            select(InboundMessage)
            .where(_received_from(request_ids, own))
            .order_by(InboundMessage.received_at, InboundMessage.id)
        )
    ]
    opt_outs = [
        OptOutRecord(phone=o.phone, keyword=o.keyword, created_at=o.created_at)
        for o in await session.scalars(
            select(OptOut).where(OptOut.phone.in_(sorted(own))).order_by(OptOut.created_at)
        )
    ]
    surveys = [
        SurveyAnswer(
            appointment_id=s.appointment_id,
            sent_at=s.sent_at,
            score=s.score,
            answered_at=s.answered_at,
        )
        for s in await session.scalars(
            select(Survey).where(_surveys_of(request_ids, appointment_ids)).order_by(Survey.id)
        )
    ]
    return PatientSms(sent=sent, received=received, opt_outs=opt_outs, surveys=surveys)


async def erase_patient_sms(
    session: AsyncSession,
    *,
    request_ids: Collection[int],
    appointment_ids: Collection[str],
    phones: Collection[str],
) -> int:
    """Blank every SMS about the person as the retention job does (text, and the patient's and
    referrer's numbers); one still waiting to be sent is not sent. Returns how many rows
    changed. Their STOP stays."""
    personal = (Audience.PATIENT.value, Audience.REFERRER.value)
    waiting = (MessageStatus.QUEUED.value, MessageStatus.SENDING.value)
    sent = await session.execute(
        update(OutboxMessage)
        .where(
            _sent_about(request_ids, appointment_ids, _real(phones)),
            OutboxMessage.body != PSEUDONYMISED_BODY,
        )
        .values(
            body=PSEUDONYMISED_BODY,
            idempotency_key=literal("pseudonymised:").concat(cast(OutboxMessage.id, String)),
            recipient=_case_personal(personal),
            status=_case_waiting(waiting),
            claim_token=None,
        )
        .execution_options(synchronize_session=False)
    )
    from_them = _received_from(request_ids, _real(phones))
    received = await session.execute(
        update(InboundMessage)
        .where(from_them, InboundMessage.body != PSEUDONYMISED_BODY)
        .values(sender=PSEUDONYMISED_RECIPIENT, body=PSEUDONYMISED_BODY)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(Survey)
        .where(_surveys_of(request_ids, appointment_ids), Survey.phone != PSEUDONYMISED_RECIPIENT)
        .values(phone=PSEUDONYMISED_RECIPIENT)
        .execution_options(synchronize_session=False)
    )
    return int(sent.rowcount or 0) + int(received.rowcount or 0)  # type: ignore[attr-defined]


def _case_personal(personal: tuple[str, ...]) -> ColumnElement[str]:
    return case(
        (OutboxMessage.audience.in_(personal), PSEUDONYMISED_RECIPIENT),
        else_=OutboxMessage.recipient,
    )


def _case_waiting(waiting: tuple[str, ...]) -> ColumnElement[str]:
    return case(
        (OutboxMessage.status.in_(waiting), MessageStatus.SUPPRESSED.value),
        else_=OutboxMessage.status,
    )
