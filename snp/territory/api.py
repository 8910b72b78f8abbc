from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from snp.actor import Actor
from snp.auth import Role
from snp.deps import ANY_ROLE, SessionDep, require_roles
from snp.errors import BusinessRuleError, NotFound
from snp.territory import service
from snp.territory.schemas import CommunesPreview, CptsIn, CptsOut, TerritoryOut

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


MAX_COMMUNES_BYTES = 60_000_000


@router.post("/communes/import")
async def import_communes(
    session: SessionDep,
    actor: Coordinator,
    file: UploadFile,
    apply: Annotated[bool, Query(description="false : aperçu seulement.")] = False,
    keep: Annotated[
        str | None,
        Query(max_length=2000, description="Départements ou codes INSEE gardés (35, 56194...)."),
    ] = None,
) -> CommunesPreview:
    """An official communes file (base officielle des codes postaux, communes de France, or our
    template): the preview of what would be added, changed and left unchanged, or (`apply`) the
    same, written. On any error nothing is written and the 422 names the line and the column."""
    if (file.size or 0) > MAX_COMMUNES_BYTES:
        raise BusinessRuleError(
            f"Fichier trop volumineux (au plus {MAX_COMMUNES_BYTES // 1_000_000} Mo).", ["file"]
        )
    return await service.import_communes_file(session, actor, file.file, keep=keep, apply=apply)
