from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from snp.actor import Actor
from snp.deps import ANY_ROLE, SessionDep, require_roles
from snp.errors import NotFound
from snp.territory import service
from snp.territory.schemas import TerritoryOut

router = APIRouter(prefix="/api/territory", tags=["territory"])


@router.get("")
async def get_territory(
    session: SessionDep, actor: Annotated[Actor, Depends(require_roles(*ANY_ROLE))]
) -> TerritoryOut:
    territory = await service.get_territory(session)
    if territory is None:
        raise NotFound(
            "Aucun territoire n'est chargé (lancez `snp demo` ou importez les communes)."
        )
    return territory
