"""The console backend's demo page (coordinator, `SNP_VOICE_BACKEND=console` only): plays the
phone network's part so the whole journey works without Twilio — a call rings, the caller hangs
up, the patient called back answers or not."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, require_roles
from snp.settings import Settings
from telephony.api import taking
from telephony.errors import WrongBackend
from telephony.schemas import CallOut, ConsoleCallIn, ConsoleDialResultIn
from telephony.service import board, calls, dialer
from telephony.service.line import line_for

router = APIRouter(prefix="/api/voice/console", tags=["voice"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


def _console_only(settings: Settings) -> None:
    if settings.voice_backend != "console":
        raise WrongBackend("Simulation réservée au mode console (SNP_VOICE_BACKEND=console).")


@router.post("/calls", status_code=status.HTTP_201_CREATED)
async def ring(
    session: SessionDep, settings: SettingsDep, actor: Coordinator, body: ConsoleCallIn
) -> CallOut:
    """A call rings the CPTS number (out of hours or with nobody on duty it ends at once)."""
    _console_only(settings)
    arrival = await calls.call_arrived(
        session, sid=f"console-{uuid.uuid4().hex}", from_number=body.sender, settings=settings
    )
    if settings.voice_auto_offer:
        await taking.offer_longest_waiting(session, line=line_for(settings))
    return await board.call_out(session, arrival.call_id)


@router.post("/calls/{call_id}/hang-up")
async def caller_hangs_up(
    session: SessionDep, settings: SettingsDep, actor: Coordinator, call_id: int
) -> CallOut:
    """The caller hangs up (while waiting: a callback task)."""
    _console_only(settings)
    row = await calls.get_call(session, call_id)
    await calls.call_finished(session, row=row, settings=settings)
    return await board.call_out(session, call_id)


@router.post("/callbacks/{call_id}/result")
async def patient_answers(
    session: SessionDep,
    settings: SettingsDep,
    actor: Coordinator,
    call_id: int,
    body: ConsoleDialResultIn,
) -> CallOut:
    """The patient called back answers (and talks so long), does not answer, or is busy."""
    _console_only(settings)
    await dialer.patient_leg_ended(
        session,
        call_id=call_id,
        dial_status=body.result,
        duration=body.duration_seconds,
        settings=settings,
    )
    return await board.call_out(session, call_id)
