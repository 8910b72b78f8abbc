"""Triage: apply the protocol in force to a request and record its decision and version.

A red flag ends the request at once: status `redirected_15`, outcome `redirected_15`, the flag
logged in its timeline; it never enters the queue (claims take only received/waiting ones).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import MissingValue, TriageLocked
from regulation.events import (
    RequestRedirected15,
    RequestReleased,
    RequestTransferred,
    RequestTriaged,
)
from regulation.models import AssignedTo, Orientation, Outcome, RegulationRequest, RequestStatus
from regulation.schemas import RedFlagOut, TriageOut
from regulation.service.engine import (
    Decision,
    FlagHit,
    check_red_flag_answers,
    evaluate,
    red_flag_hit,
    with_sex_facts,
)
from regulation.service.protocol import Answers
from regulation.service.records import (
    ENTITY,
    age_months,
    clear_claim,
    display_name,
    ensure_not_held_by_other,
    ensure_open,
    get_row,
    log_step,
    today_paris,
)
from regulation.service.versions import current_version
from snp import audit, events
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow

_TRIAGE_FIELDS = [
    "age_band",
    "assigned_to",
    "deadline_at",
    "motif",
    "orientation",
    "priority",
    "protocol_version",
    "regulator_decision_at",
    "retriage_reason",
    "status",
    "triage_answers",
    "triage_rule",
    "triaged_at",
]


async def triage_request(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    answers: Answers,
    *,
    motif: str | None = None,
    callback_at: datetime | None = None,
    now: datetime | None = None,
) -> TriageOut:
    """Triage (or re-triage) with the protocol in force; returns the decision for the console."""
    now = now or utcnow()
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    if row.status == RequestStatus.ORIENTED:
        raise TriageLocked("Demande déjà orientée : le tri n'est plus modifiable.")
    ensure_not_held_by_other(row, actor)
    motif = motif or row.motif
    version, document = await current_version(session)
    if motif is None and red_flag_hit(document, answers) is None:
        raise MissingValue("Choisissez le motif de la demande.", ("body", "motif"))
    months = age_months(row.birth_date, today_paris(now))
    decision = evaluate(document, motif or "", answers, months, sex=row.sex)
    if decision.red_flag is None:
        answers = with_sex_facts(document, motif, answers, row.sex)
    name = await display_name(session, actor)
    if row.referrer_answers:
        # Only the flags this triage asks (the referral form also shows other ages' flags).
        asked = {f.id for f in document.red_flags_for(decision.age_band, row.sex)}
        theirs = {k: v for k, v in row.referrer_answers.items() if k in asked}
        _log_referrer_review(session, actor, name, row, theirs, answers, now)
    row.motif = motif
    row.triage_answers = dict(answers)
    row.protocol_version = version.number
    row.age_band = decision.age_band
    row.triage_rule = decision.rule
    row.triaged_at = now
    row.priority = decision.priority
    row.retriage_reason = None
    row.regulator_decision_at = None
    row.regulator_decision_by_user_id = None
    row.regulator_decision_by_name = None
    if decision.red_flag is not None:
        await _redirect_15(session, actor, name, row, decision.red_flag, version.number, now)
    else:
        assert decision.deadline_hours is not None
        assert decision.orientation is not None
        row.deadline_at = now + timedelta(hours=decision.deadline_hours)
        row.orientation = decision.orientation
        row.callback_at = callback_at
        if row.status != RequestStatus.CLAIMED:
            row.status = RequestStatus.WAITING
        log_step(
            session,
            row.id,
            actor,
            name,
            "triaged",
            at=now,
            protocol_version=version.number,
            rule=decision.rule,
            priority=decision.priority.value,
            deadline_hours=decision.deadline_hours,
            orientation=decision.orientation.value,
            raised_by=list(decision.raised_by),
        )
        await events.emit(
            session,
            RequestTriaged(
                row.id,
                row.status,
                decision.priority,
                row.deadline_at,
                version.number,
                row.referrer_user_id,
            ),
        )
        if decision.orientation == Orientation.ADVICE:
            await _to_regulators(session, actor, name, row, now)
    await audit.changed(session, actor, ENTITY, row.id, _TRIAGE_FIELDS)
    await session.flush()
    return _triage_out(row, decision, version.number)


def _log_referrer_review(
    session: AsyncSession,
    actor: Actor,
    name: str,
    row: RegulationRequest,
    referrer: dict[str, bool],
    answers: Answers,
    now: datetime,
) -> None:
    """Who answered what: the referrer's red-flag answers the operator confirmed, changed or
    left unanswered in this triage (the timeline keeps both)."""
    confirmed = sorted(k for k, v in referrer.items() if answers.get(k) == v)
    changed = sorted(k for k, v in referrer.items() if k in answers and answers[k] != v)
    log_step(
        session,
        row.id,
        actor,
        name,
        "referrer_answers_reviewed",
        at=now,
        confirmed=confirmed,
        changed=changed,
        unanswered=sorted(k for k in referrer if k not in answers),
    )


async def _to_regulators(
    session: AsyncSession, actor: Actor, name: str, row: RegulationRequest, now: datetime
) -> None:
    """The protocol asks for a regulator's advice: the request goes on the regulators'
    worklist, out of an operator's hands; no slot until a regulator records a decision."""
    previous = None
    if row.status == RequestStatus.CLAIMED and actor.role != Role.REGULATOR:
        previous = row.claimed_by_user_id
        row.status = RequestStatus.WAITING
        clear_claim(row)
    if row.assigned_to == AssignedTo.REGULATOR and previous is None:
        return
    row.assigned_to = AssignedTo.REGULATOR
    log_step(session, row.id, actor, name, "transferred", at=now, to="regulator", by="protocol")
    if previous is not None:
        await events.emit(
            session,
            RequestReleased(row.id, row.status, "transferred", previous, row.referrer_user_id),
        )
    await events.emit(
        session, RequestTransferred(row.id, AssignedTo.REGULATOR, row.referrer_user_id)
    )


async def apply_red_flags(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    answers: Answers,
    *,
    now: datetime | None = None,
) -> FlagHit | None:
    """The referral form's quick check: only red-flag answers, kept as the referrer's own (the
    operator's triage shows them pre-filled and marked); a "yes" redirects to the 15."""
    now = now or utcnow()
    version, document = await current_version(session)
    check_red_flag_answers(document, answers, ("body", "red_flags"))
    row = await get_row(session, request_id, for_update=True)
    ensure_open(row)
    name = await display_name(session, actor)
    row.referrer_answers = {k: bool(v) for k, v in answers.items()}
    log_step(
        session,
        row.id,
        actor,
        name,
        "referrer_answers",
        at=now,
        protocol_version=version.number,
        yes=sorted(k for k, v in answers.items() if v is True),
        no=sorted(k for k, v in answers.items() if v is False),
    )
    await audit.changed(session, actor, ENTITY, row.id, ["referrer_answers"])
    hit = red_flag_hit(document, answers)
    if hit is None:
        return None
    row.triage_answers = dict(answers)
    row.protocol_version = version.number
    row.age_band = document.band_for(age_months(row.birth_date, today_paris(now))).id
    row.triage_rule = f"red_flag:{hit.id}"
    row.triaged_at = now
    row.priority = hit.priority
    await _redirect_15(session, actor, name, row, hit, version.number, now)
    await audit.changed(session, actor, ENTITY, row.id, _TRIAGE_FIELDS)
    await session.flush()
    return hit


async def _redirect_15(
    session: AsyncSession,
    actor: Actor,
    name: str,
    row: RegulationRequest,
    hit: FlagHit,
    protocol_version: int,
    now: datetime,
) -> None:
    row.status = RequestStatus.REDIRECTED_15
    row.outcome = Outcome.REDIRECTED_15
    row.red_flag_id = hit.id
    row.red_flag_text = hit.reason
    row.deadline_at = now
    row.orientation = None
    row.closed_at = now
    row.closed_by_user_id = actor.user_id
    clear_claim(row)
    log_step(
        session,
        row.id,
        actor,
        name,
        "red_flag",
        at=now,
        protocol_version=protocol_version,
        flag_id=hit.id,
        flag_text=hit.reason,
        priority=hit.priority.value,
    )
    log_step(session, row.id, actor, name, "closed", at=now, outcome=Outcome.REDIRECTED_15.value)
    await events.emit(
        session,
        RequestRedirected15(row.id, hit.priority, hit.id, protocol_version, row.referrer_user_id),
    )


def _triage_out(row: RegulationRequest, decision: Decision, version: int) -> TriageOut:
    flag = decision.red_flag
    if flag is not None:
        message = f"Signe d'alerte : {flag.reason}. Appelez le 15 immédiatement."
    else:
        message = f"Priorité {decision.priority.value} : à traiter avant l'échéance."
    return TriageOut(
        request_id=row.id,
        status=RequestStatus(row.status),
        call_15=flag is not None,
        message=message,
        protocol_version=version,
        age_band=decision.age_band,
        rule=decision.rule,
        priority=decision.priority,
        deadline_at=row.deadline_at if flag is None else None,
        orientation=decision.orientation,
        advice=decision.advice,
        red_flag=RedFlagOut(id=flag.id, reason=flag.reason, question=flag.question)
        if flag
        else None,
        raised_by=list(decision.raised_by),
    )
