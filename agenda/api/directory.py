"""The directory: browse (operators, regulators, coordination), profiles, edits, CSV import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from agenda.errors import InvalidUpload
from agenda.schemas import EffectorPage
from agenda.schemas_supply import EffectorImportReport, EffectorPatch, EffectorProfile
from agenda.service import directory as service
from agenda.service import effector_import
from snp.actor import Actor
from snp.auth import Role
from snp.csv_import import decode
from snp.deps import ANY_ROLE, SessionDep, require_roles
from snp.kit import PageDep

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

MAX_CSV_BYTES = 5_000_000

DirectoryReader = Annotated[
    Actor, Depends(require_roles(Role.COORDINATOR, Role.OPERATOR, Role.REGULATOR))
]
# Ownership (an effector sees and edits only their own profile) is checked in the service.
ProfileReader = Annotated[
    Actor,
    Depends(require_roles(Role.COORDINATOR, Role.OPERATOR, Role.REGULATOR, Role.EFFECTOR)),
]
ProfileEditor = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.EFFECTOR))]
Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
AnyUser = Annotated[Actor, Depends(require_roles(*ANY_ROLE))]


async def read_upload(file: UploadFile, max_bytes: int) -> bytes:
    """The uploaded file's bytes; a French 422 on `file` when it is empty or too large."""
    data = await file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidUpload(
            f"Fichier trop volumineux (au plus {max_bytes // 1000} ko).", loc=["file"]
        )
    if not data:
        raise InvalidUpload("Le fichier est vide.", loc=["file"])
    return data


@router.get("/effectors")
async def list_effectors(
    session: SessionDep,
    actor: DirectoryReader,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> EffectorPage:
    return await service.list_effectors(session, q=q, page=page)


@router.post("/effectors/import")
async def import_effectors(
    session: SessionDep, actor: Coordinator, file: UploadFile
) -> EffectorImportReport:
    """CSV `rpps,family_name,given_name,specialty_code,phone,email,site_name,address_line,
    postal_code,city,insee_code,latitude,longitude,structure_id`: every row is checked first;
    on any error nothing is imported and the 422 lists every error (`loc`: file, line, column)."""
    data = await read_upload(file, MAX_CSV_BYTES)
    return await effector_import.import_effectors_csv(session, actor, decode(data))


@router.get("/effectors/{effector_id}")
async def get_effector(
    session: SessionDep, actor: ProfileReader, effector_id: int
) -> EffectorProfile:
    """Full profile with constraints and sites (calendar links for the effector and the
    coordination only)."""
    return await service.get_effector_profile(session, actor, effector_id)


@router.patch("/effectors/{effector_id}")
async def update_effector(
    session: SessionDep, actor: ProfileEditor, effector_id: int, body: EffectorPatch
) -> EffectorProfile:
    """Edit a profile; `active: false` deactivates. An effector may change only their own
    constraints and ICS subscription."""
    return await service.update_effector(session, actor, effector_id, body)


@router.get("/me")
async def get_me(session: SessionDep, actor: AnyUser) -> EffectorProfile:
    """The logged-in effector's own profile (404 when the account is linked to no effector)."""
    return await service.get_my_profile(session, actor)
