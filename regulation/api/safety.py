"""Clinical safety: a regulator's decision, the transfer to the 15 after a red flag, the
regulators' follow-up list, and the booked effector's handover."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from regulation.api.deps import Effector, Physician, Staff, regulation_router
from regulation.schemas import RequestOut
from regulation.schemas_safety import (
    FollowUpPage,
    HandoverOut,
    RegulatorDecisionIn,
    Transfer15In,
)
from regulation.service import handover, safety
from snp.deps import SessionDep

router = regulation_router()


@router.post("/requests/{request_id}/regulator-decision")
async def record_regulator_decision(
    request_id: int, body: RegulatorDecisionIn, session: SessionDep, actor: Physician
) -> RequestOut:
    """A regulator's decision (orientation, priority, delay, note): required before booking a
    request the protocol sent to the regulators."""
    return await safety.record_regulator_decision(session, actor, request_id, body)


@router.post("/requests/{request_id}/transfer-15")
async def record_transfer_15(
    request_id: int, body: Transfer15In, session: SessionDep, actor: Staff
) -> RequestOut:
    """Record how a request sent to the 15 reached it (warm transfer or patient told to call),
    when and by whom; once."""
    return await safety.record_transfer_15(session, actor, request_id, body)


@router.get("/follow-up")
async def list_follow_up(
    session: SessionDep,
    actor: Staff,
    days: Annotated[int, Query(ge=1, le=31)] = safety.FOLLOW_UP_DAYS,
) -> FollowUpPage:
    """Requests sent to the 15 lately, those whose transfer is not recorded first."""
    return await safety.list_follow_up(session, actor, days=days)


@router.get("/handover/{appointment_id}")
async def get_handover(appointment_id: str, session: SessionDep, actor: Effector) -> HandoverOut:
    """The booked effector's details on their own appointment's patient (404 otherwise)."""
    return await handover.get_handover(session, actor, appointment_id)
