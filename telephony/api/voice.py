"""The operators' console: the board, presence, taking calls, their outcome, « Rappeler », the
callback tasks and the call log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.kit import PageDep
from telephony.api import taking
from telephony.models import CallOutcome, PresenceState
from telephony.schemas import (
    BoardOut,
    CallBackIn,
    CallOut,
    CallOutcomeIn,
    CallPage,
    LineHealthOut,
    PresenceIn,
    PresenceOut,
    TakenOut,
    TaskOut,
)
from telephony.service import board, calls, line_health, presence, tasks
from telephony.service.line import line_for

router = APIRouter(prefix="/api/voice", tags=["voice"])

Staff = Annotated[Actor, Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR))]
Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
# The supervision page's readers (as the queue's health: the coordination and the regulators).
Supervisor = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.REGULATOR))]


@router.get("/board")
async def get_board(session: SessionDep, settings: SettingsDep, actor: Staff) -> BoardOut:
    """Waiting calls (masked numbers, who they probably are), calls in progress, callback
    tasks and operators' presence: the console re-reads it on every `voice.*` live event."""
    return await board.board(session, actor, settings)


@router.get("/line-health")
async def get_line_health(
    session: SessionDep, settings: SettingsDep, actor: Supervisor
) -> LineHealthOut:
    """The line's health for the supervision page: calls waiting and the longest wait,
    operators available or on a call, today's answered / abandoned calls, call-back tasks."""
    return await line_health.line_health(session, settings)


@router.put("/presence")
async def put_presence(
    session: SessionDep, settings: SettingsDep, actor: Staff, body: PresenceIn
) -> PresenceOut:
    """Available (with the phone to ring) or away."""
    out = await presence.set_presence(session, actor, PresenceState(body.state), phone=body.phone)
    if settings.voice_auto_offer and body.state == "available":
        await taking.offer_longest_waiting(session, line=line_for(settings))
    return out


@router.post("/calls/{call_id}/take")
async def take_call(
    session: SessionDep, settings: SettingsDep, actor: Staff, call_id: int
) -> TakenOut:
    """« Prendre l'appel »: the caller is put through to my phone (one operator per call)."""
    return await taking.take(session, actor, call_id, line=line_for(settings))


@router.post("/calls/{call_id}/outcome")
async def set_outcome(
    session: SessionDep, actor: Staff, call_id: int, body: CallOutcomeIn
) -> CallOut:
    """What the call became: a request created or linked, advice only, a wrong number."""
    await calls.set_outcome(
        session, actor, call_id, CallOutcome(body.outcome), request_id=body.request_id
    )
    return await _one(session, call_id)


@router.post("/calls/{call_id}/hang-up")
async def hang_up(
    session: SessionDep, settings: SettingsDep, actor: Staff, call_id: int
) -> CallOut:
    """End the conversation from the console (the phone hanging up does it on Twilio)."""
    await calls.hang_up(session, actor, call_id, settings=settings)
    return await _one(session, call_id)


@router.post("/callbacks", status_code=status.HTTP_201_CREATED)
async def call_back(
    session: SessionDep, settings: SettingsDep, actor: Staff, body: CallBackIn
) -> CallOut:
    """« Rappeler »: my phone rings, then the patient's, with the CPTS number shown."""
    row = await taking.call_back(
        session, actor, line=line_for(settings), request_id=body.request_id, task_id=body.task_id
    )
    return await _one(session, row.id)


@router.post("/tasks/{task_id}/done")
async def close_task(session: SessionDep, actor: Staff, task_id: int) -> TaskOut:
    """The missed caller was dealt with another way: the task leaves the queue."""
    task = await tasks.close_task(session, task_id, user_id=actor.user_id, at=utcnow())
    return board.task_out(task)


@router.get("/calls")
async def call_log(
    session: SessionDep,
    actor: Staff,
    page: PageDep,
    start: datetime | None = None,
    end: datetime | None = None,
    outcome: Annotated[CallOutcome | None, Query()] = None,
) -> CallPage:
    """The call log, newest first (numbers masked)."""
    return await board.call_log(session, page=page, start=start, end=end, outcome=outcome)


async def _one(session: SessionDep, call_id: int) -> CallOut:
    return await board.call_out(session, call_id)
