"""Requests as operators handle them: intake, triage, queue, claims, call-backs, outcome."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, status

from regulation.api.deps import Intake, Staff, Supervisor, regulation_router
from regulation.models import AssignedTo, RequestStatus
from regulation.schemas import (
    CallbackIn,
    CallbackOut,
    ClaimOut,
    CloseIn,
    HeartbeatOut,
    QueueOut,
    RequestCreate,
    RequestOut,
    RequestPage,
    RequestSummary,
    RequestUpdate,
    TransferIn,
    TriageIn,
    TriageOut,
)
from regulation.schemas_supervision import SupervisionOut
from regulation.service import closing, intake, queue, search, supervision, triage
from snp.deps import SessionDep, SettingsDep
from snp.kit import PageDep

router = regulation_router()


@router.post("/requests", status_code=status.HTTP_201_CREATED)
async def create_request(
    body: RequestCreate, session: SessionDep, settings: SettingsDep, actor: Intake
) -> RequestOut:
    """Phone intake. Kept in hand by default (`claim`); triaged at once when `answers` are sent."""
    return await intake.create_request(session, actor, body, settings=settings)


@router.get("/requests")
async def list_requests(
    session: SessionDep,
    actor: Staff,
    page: PageDep,
    status_filter: Annotated[RequestStatus | None, Query(alias="status")] = None,
    name: Annotated[
        str | None, Query(max_length=120, description="Début du nom de famille (sans casse).")
    ] = None,
    phone: Annotated[
        str | None, Query(max_length=30, description="Téléphone, toute notation.")
    ] = None,
    birth_date: Annotated[date | None, Query(description="Date de naissance exacte.")] = None,
    scope: Annotated[
        search.Scope, Query(description="open : en cours ; closed : terminées ; all : toutes.")
    ] = search.Scope.ALL,
) -> RequestPage:
    """Find requests again (a patient calling back, the closed ones), newest first; each one
    listed is an audited read."""
    return await search.search_requests(
        session,
        actor,
        name=name,
        phone=phone,
        birth_date=birth_date,
        scope=scope,
        status=status_filter,
        page=page,
    )


@router.get("/requests/open-matches")
async def open_matches(
    session: SessionDep,
    actor: Intake,
    phone: Annotated[str | None, Query(max_length=30)] = None,
    family_name: Annotated[str | None, Query(max_length=120)] = None,
    birth_date: Annotated[date | None, Query()] = None,
    exclude_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[RequestSummary]:
    """Open requests with the same number, or the same family name and birth date: the new
    call may be a patient calling back (the intake form warns)."""
    return await search.open_matches(
        session,
        actor,
        phone=phone,
        family_name=family_name,
        birth_date=birth_date,
        exclude_id=exclude_id,
    )


@router.get("/requests/{request_id}")
async def get_request(request_id: int, session: SessionDep, actor: Staff) -> RequestOut:
    return await intake.get_request(session, actor, request_id)


@router.get("/requests/{request_id}/history")
async def patient_history(
    request_id: int, session: SessionDep, actor: Staff
) -> list[RequestSummary]:
    """The patient's other requests (same number, or same name and birth date), newest first."""
    return await search.patient_history(session, actor, request_id)


@router.patch("/requests/{request_id}")
async def update_request(
    request_id: int, body: RequestUpdate, session: SessionDep, settings: SettingsDep, actor: Staff
) -> RequestOut:
    """Correct the patient's details. Birth date, sex or motif changed after triage: the
    request goes back to triage (priority, orientation and deadline cleared, no booking)."""
    return await intake.update_request(session, actor, request_id, body, settings=settings)


@router.post("/requests/{request_id}/triage")
async def triage_request(
    request_id: int, body: TriageIn, session: SessionDep, actor: Staff
) -> TriageOut:
    """Apply the protocol in force. `call_15` true: red flag, the request is closed to the 15."""
    return await triage.triage_request(
        session, actor, request_id, body.answers, motif=body.motif, callback_at=body.callback_at
    )


@router.get("/queue")
async def get_queue(
    session: SessionDep,
    actor: Staff,
    assigned_to: Annotated[AssignedTo | None, Query()] = None,
) -> QueueOut:
    """Requests to handle, most urgent first (priority, then time left before the deadline)."""
    return await queue.list_queue(session, actor, assigned_to=assigned_to)


@router.get("/supervision")
async def get_supervision(session: SessionDep, actor: Supervisor) -> SupervisionOut:
    """The queue's health for the coordinator (and the regulators): waiting by priority, oldest
    wait, deadlines past or within 30 min, who holds which request, today's figures."""
    return await supervision.supervision(session)


@router.post("/requests/{request_id}/claim")
async def claim_request(request_id: int, session: SessionDep, actor: Staff) -> ClaimOut:
    """Take the request in hand; 409 names who already has it."""
    return await queue.claim_request(session, actor, request_id)


@router.post("/requests/{request_id}/release")
async def release_request(request_id: int, session: SessionDep, actor: Staff) -> ClaimOut:
    return await queue.release_request(session, actor, request_id)


@router.post("/requests/{request_id}/transfer")
async def transfer_request(
    request_id: int, body: TransferIn, session: SessionDep, actor: Staff
) -> ClaimOut:
    """Hand the request over to the medical regulators (back in the queue, assigned to them)."""
    return await queue.transfer_to_regulator(session, actor, request_id, note=body.note)


@router.post("/claims/heartbeat")
async def heartbeat(session: SessionDep, actor: Staff) -> HeartbeatOut:
    """Keep your claims (the live socket's `ping` does the same)."""
    return HeartbeatOut(refreshed=await queue.refresh_heartbeat(session, actor))


@router.post("/requests/{request_id}/callbacks", status_code=status.HTTP_201_CREATED)
async def log_callback(
    request_id: int, body: CallbackIn, session: SessionDep, settings: SettingsDep, actor: Staff
) -> CallbackOut:
    return await closing.log_callback_attempt(
        session, actor, request_id, body.result, settings=settings, note=body.note
    )


@router.post("/requests/{request_id}/close")
async def close_request(
    request_id: int, body: CloseIn, session: SessionDep, settings: SettingsDep, actor: Staff
) -> RequestOut:
    return await closing.close_request(
        session, actor, request_id, body.outcome, settings=settings, note=body.note
    )
