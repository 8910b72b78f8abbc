"""Coordinators' « Lien SAS » routes: the link's health and replay of refused pushes. (SAS
regulators who forgot their password use the platform's « Mot de passe oublié » e-mail link.)"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from sas import link
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, require_roles

router = APIRouter(prefix="/api/sas/link", tags=["sas"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


class SasRefusedPushOut(BaseModel):
    id: int
    appointment: str
    method: str
    status: str
    start: str | None
    attempts: int
    error: str | None
    answer: str | None
    refused_at: datetime | None
    created_at: datetime


class SasLinkStatusOut(BaseModel):
    configured: bool
    platform_url: str
    client_certificate: bool
    last_success_at: datetime | None
    queue_length: int
    waiting_since: datetime | None
    last_error: str | None
    refused: list[SasRefusedPushOut]


class SasReplayedOut(BaseModel):
    replayed: int


@router.get("")
async def sas_link_status(
    session: SessionDep, settings: SettingsDep, _actor: Coordinator
) -> SasLinkStatusOut:
    """Last successful push, queue length, refused pushes with the platform's answer."""
    found = await link.link_status(session, settings)
    return SasLinkStatusOut(
        configured=bool(found.platform_url),
        platform_url=found.platform_url,
        client_certificate=found.client_certificate,
        last_success_at=found.last_success_at,
        queue_length=found.queue_length,
        waiting_since=found.waiting_since,
        last_error=found.last_error,
        refused=[
            SasRefusedPushOut(
                id=r.id,
                appointment=r.appointment,
                method=r.method,
                status=r.status,
                start=r.start,
                attempts=r.attempts,
                error=r.error,
                answer=r.answer,
                refused_at=r.refused_at,
                created_at=r.created_at,
            )
            for r in found.refused
        ],
    )


@router.post("/refused/replay")
async def replay_all(session: SessionDep, actor: Coordinator) -> SasReplayedOut:
    """Send every refused push again (in order), once the cause is fixed."""
    return SasReplayedOut(replayed=await link.replay(session, actor))


@router.post("/refused/{push_id}/replay")
async def replay_one(
    push_id: Annotated[int, Path(ge=1, le=2**63 - 1)], session: SessionDep, actor: Coordinator
) -> SasReplayedOut:
    """Send one refused push again."""
    return SasReplayedOut(replayed=await link.replay(session, actor, push_id))
