"""Links between accounts and directory entries, managed by the coordination."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict

from agenda.service import account_links as service
from agenda.service import invitations
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, require_roles

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


class AccountLinkOut(BaseModel):
    user_id: int
    effector_id: int
    effector_name: str


class AccountLinkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: int


@router.get("/account-links")
async def list_account_links(session: SessionDep, actor: Coordinator) -> list[AccountLinkOut]:
    """Every account that manages an effector's agenda, with that effector."""
    links = await service.list_account_links(session)
    return [_out(link) for link in links]


class LinkCandidateOut(BaseModel):
    effector_id: int
    name: str
    email: str | None


@router.get("/account-candidates")
async def list_link_candidates(
    session: SessionDep,
    actor: Coordinator,
    q: Annotated[str | None, Query(max_length=100, description="Nom ou e-mail.")] = None,
) -> list[LinkCandidateOut]:
    """Active directory entries without an account (50 at most, by name), with their e-mail."""
    return [
        LinkCandidateOut(effector_id=c.effector_id, name=c.name, email=c.email)
        for c in await service.list_link_candidates(session, q)
    ]


@router.put("/effectors/{effector_id}/account")
async def link_account(
    effector_id: int, body: AccountLinkIn, session: SessionDep, actor: Coordinator
) -> AccountLinkOut:
    """Let an effector account manage this effector's agenda (audited)."""
    return _out(await service.link_account(session, actor, effector_id, body.user_id))


@router.delete("/effectors/{effector_id}/account", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_account(effector_id: int, session: SessionDep, actor: Coordinator) -> None:
    """No account manages this effector's agenda any more (audited)."""
    await service.unlink_account(session, actor, effector_id)


def _out(link: service.AccountLink) -> AccountLinkOut:
    return AccountLinkOut(
        user_id=link.user_id, effector_id=link.effector_id, effector_name=link.effector_name
    )


class EffectorInvitationOut(BaseModel):
    effector_id: int
    user_id: int
    channel: str  # "email" or "sms"
    expires_at: datetime


class BulkPreviewOut(BaseModel):
    count: int


class BulkInvitationOut(BaseModel):
    invited: int
    refused: list[str]


@router.post("/effectors/{effector_id}/invitation", status_code=status.HTTP_201_CREATED)
async def invite_effector(
    effector_id: int, session: SessionDep, settings: SettingsDep, actor: Coordinator
) -> EffectorInvitationOut:
    """Invite the GP of this entry: an account linked to it and a one-time link by e-mail (by
    SMS to their mobile when the entry has no e-mail); a new link when the account was never
    used."""
    found = await invitations.invite_effector(session, actor, settings, effector_id)
    return EffectorInvitationOut(
        effector_id=found.effector_id,
        user_id=found.user_id,
        channel=found.channel,
        expires_at=found.expires_at,
    )


@router.get("/invitations/bulk")
async def bulk_invitation_preview(session: SessionDep, actor: Coordinator) -> BulkPreviewOut:
    """How many directory entries (active, with an e-mail, no account) would be invited."""
    return BulkPreviewOut(count=await invitations.bulk_preview(session))


@router.post("/invitations/bulk")
async def bulk_invite(
    session: SessionDep, settings: SettingsDep, actor: Coordinator
) -> BulkInvitationOut:
    """Invite every entry of the preview by e-mail."""
    report = await invitations.bulk_invite(session, actor, settings)
    return BulkInvitationOut(invited=report.invited, refused=report.refused)
