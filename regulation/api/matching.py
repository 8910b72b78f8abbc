"""Matching and the escalation ladder: the best slots for a request, and what to do when none
fits its deadline."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from regulation.api.deps import Staff, regulation_router
from regulation.schemas_booking import (
    CandidatesOut,
    EscalationIn,
    EscalationOut,
    EscalationStepOut,
)
from regulation.service import escalation, matching
from regulation.service.needs import ConsultationKind
from snp.deps import SessionDep, SettingsDep

router = regulation_router()


@router.get("/requests/{request_id}/candidates")
async def list_candidates(
    request_id: int,
    session: SessionDep,
    settings: SettingsDep,
    actor: Staff,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    kind: Annotated[
        ConsultationKind | None,
        Query(description="Imposer un type de consultation (sinon : selon le tri et la mobilité)."),
    ] = None,
) -> CandidatesOut:
    """The best slots for the request, each with why it ranks there (delay, distance, load).

    Nothing before the deadline: the first later slots (`after_deadline`) and the escalation
    ladder."""
    return await matching.propose_candidates(
        session, actor, request_id, limit=limit, kind=kind, settings=settings
    )


@router.get("/requests/{request_id}/escalation")
async def get_escalation(
    request_id: int, session: SessionDep, settings: SettingsDep, actor: Staff
) -> EscalationOut:
    """The escalation ladder: médecin traitant (if a member), nearby effectors, whole CPTS."""
    return await escalation.escalation_ladder(session, actor, request_id, settings=settings)


@router.post("/requests/{request_id}/escalations")
async def record_escalation(
    request_id: int, body: EscalationIn, session: SessionDep, settings: SettingsDep, actor: Staff
) -> EscalationStepOut:
    """Record a started step (its SMS broadcast: `POST /api/notifications/broadcasts` with the
    step's `effector_ids`); emits `request.escalated`. Only the request's claim holder."""
    return await escalation.record_escalation(
        session, actor, request_id, body.step, broadcast_id=body.broadcast_id, settings=settings
    )
