"""The handover to the GP: what the booked effector needs to see their patient.

Only for their own appointments (agenda's `get_own_appointment`: anyone else's is a 404),
only while the appointment is live or reported, and every read is in the audit trail (the
appointment's and the request's). The effector SMS says « Détails sur la plateforme »: this is
those details. Nothing beyond need: the reason for the visit, the priority, the risk factors
and triage answers, the regulator's note and the patient's phone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.models import Priority, ProtocolVersion, RegulationRequest
from regulation.schemas_safety import HandoverAnswer, HandoverOut
from regulation.service.needs import KIND_LABELS
from regulation.service.protocol import ProtocolDocument, parse_protocol
from regulation.service.records import ENTITY, age_label, today_paris
from snp import audit
from snp.actor import Actor
from snp.errors import Conflict, NotFound

LIVE_OR_REPORTED = frozenset({"booked", "fulfilled", "noshow"})


async def _document(session: AsyncSession, number: int | None) -> ProtocolDocument | None:
    if number is None:
        return None
    text = await session.scalar(
        select(ProtocolVersion.yaml_text).where(ProtocolVersion.number == number)
    )
    return parse_protocol(text) if text is not None else None


def _answer_label(value: Any, choices: dict[str, str]) -> str:
    if value is True:
        return "Oui"
    if value is False:
        return "Non"
    return choices.get(str(value), str(value))


def risk_factor_labels(document: ProtocolDocument | None, answers: dict[str, Any]) -> list[str]:
    """The protocol's risk factors answered "yes" (the risk-factor step of versions that have
    one; read with getattr so versions without it give none)."""
    factors = getattr(document, "risk_factors", None) or []
    return [str(f.label) for f in factors if answers.get(f.id) is True]


def answered_questions(
    document: ProtocolDocument | None, motif: str | None, answers: dict[str, Any]
) -> list[HandoverAnswer]:
    """The motif's questions as asked, with the patient's answers (red flags left out: every
    one was "no", or there would be no appointment)."""
    found = document.motif(motif) if document is not None and motif else None
    if found is None:
        return []
    return [
        HandoverAnswer(
            question=q.text,
            answer=_answer_label(answers[q.id], {c.id: c.label for c in q.choices}),
        )
        for q in found.questions
        if q.id in answers
    ]


async def get_handover(session: AsyncSession, actor: Actor, appointment_id: str) -> HandoverOut:
    appointment = await agenda.get_own_appointment(session, actor, appointment_id)
    if appointment.status not in LIVE_OR_REPORTED:
        raise Conflict(
            "Rendez-vous annulé ou à replanifier : plus de transmission.",
            ("path", "appointment_id"),
        )
    row = (
        await session.get(RegulationRequest, appointment.request_id)
        if appointment.request_id is not None
        else None
    )
    if row is None:
        raise NotFound(
            "Aucune demande régulée n'est liée à ce rendez-vous.", ("path", "appointment_id")
        )
    await audit.read(session, actor, ENTITY, row.id)
    document = await _document(session, row.protocol_version)
    answers = dict(row.triage_answers or {})
    motif = document.motif(row.motif) if document is not None and row.motif else None
    return HandoverOut(
        appointment_id=appointment.id,
        start_at=appointment.start_at,
        end_at=appointment.end_at,
        kind=appointment.kind,
        kind_label=KIND_LABELS.get(appointment.kind, appointment.kind),
        request_id=row.id,
        family_name=row.family_name,
        given_name=row.given_name,
        age_label=age_label(row.birth_date, today_paris()),
        sex=row.sex,
        phone=row.phone,
        motif=row.motif,
        motif_label=motif.label if motif is not None else None,
        priority=Priority(row.priority) if row.priority else None,
        deadline_at=row.deadline_at,
        risk_factors=risk_factor_labels(document, answers),
        triage_answers=answered_questions(document, row.motif, answers),
        regulator_note=row.regulator_note,
        regulator_name=row.regulator_decision_by_name,
        protocol_version=row.protocol_version,
    )
