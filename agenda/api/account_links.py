"""Links between accounts and directory entries, managed by the coordination."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, ConfigDict

from agenda.service import account_links as service
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, require_roles

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
