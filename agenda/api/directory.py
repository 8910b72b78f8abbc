from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from agenda.schemas import EffectorPage
from agenda.service import directory as service
from snp.actor import Actor
from snp.auth.roles import Role
from snp.deps import SessionDep, require_roles

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

DirectoryReader = Annotated[
    Actor, Depends(require_roles(Role.COORDINATOR, Role.OPERATOR, Role.REGULATOR))
]


@router.get("/effectors")
async def list_effectors(
    session: SessionDep,
    actor: DirectoryReader,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EffectorPage:
    return await service.list_effectors(session, q=q, limit=limit, offset=offset)
