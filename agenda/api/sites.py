"""An effector's consultation sites, edited by the coordination (the directory's data: an
effector changes only their constraints and calendar, see `service.directory`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, status

from agenda.schemas_sites import SiteIn, SitePatch
from agenda.schemas_supply import SiteProfile
from agenda.service import sites as service
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, require_roles

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


@router.post("/effectors/{effector_id}/sites", status_code=status.HTTP_201_CREATED)
async def add_site(
    session: SessionDep, actor: Coordinator, effector_id: int, body: SiteIn
) -> SiteProfile:
    """Add a site; without coordinates it stands at its commune's centre (approximate)."""
    return await service.add_site(session, actor, effector_id, body)


@router.patch("/effectors/{effector_id}/sites/{site_id}")
async def update_site(
    session: SessionDep, actor: Coordinator, effector_id: int, site_id: int, body: SitePatch
) -> SiteProfile:
    """Edit a site (only the fields sent change)."""
    return await service.update_site(session, actor, effector_id, site_id, body)


@router.delete("/effectors/{effector_id}/sites/{site_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_site(
    session: SessionDep, actor: Coordinator, effector_id: int, site_id: int
) -> None:
    """Remove a site; 409 while it carries future slots, a recurring availability or the
    calendar subscription."""
    await service.remove_site(session, actor, effector_id, site_id)
