from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from snp.actor import Actor
from snp.auth import Role
from snp.deps import ANY_ROLE, SessionDep, require_roles
from snp.errors import NotFound
from snp.territory import service
from snp.territory.schemas import CptsIn, CptsOut, TerritoryOut

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


Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


@router.get("/cpts")
async def get_cpts(session: SessionDep, actor: Coordinator) -> CptsOut:
    """The CPTS identity (name, FINESS, phone, address), as the SAS bundles publish it."""
    cpts = await service.get_cpts(session)
    if cpts is None:
        raise NotFound("L'identité de la CPTS n'est pas encore renseignée.")
    return cpts


@router.put("/cpts")
async def put_cpts(body: CptsIn, session: SessionDep, actor: Coordinator) -> CptsOut:
    """Create or replace the CPTS identity (audited)."""
    await service.set_cpts(
        session,
        name=body.name,
        finess=body.finess,
        phone=body.phone,
        address=body.address,
        actor=actor,
    )
    cpts = await service.get_cpts(session)
    assert cpts is not None
    return cpts
