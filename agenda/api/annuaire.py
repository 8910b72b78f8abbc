"""The directory from the Annuaire Santé extraction: upload (a background job previews it, the
page polls its progress), apply or discard; geocoding of approximate sites."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from agenda.errors import InvalidUpload
from agenda.schemas_supply import AnnuaireJobOut, GeocodingReport
from agenda.service import annuaire, annuaire_jobs, geocoding
from snp.actor import Actor
from snp.auth import Role
from snp.db import Database
from snp.deps import SessionDep, SettingsDep, get_database, require_roles

router = APIRouter(prefix="/api/agenda/annuaire", tags=["agenda"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
DatabaseDep = Annotated[Database, Depends(get_database)]
_CHUNK = 1 << 20


async def _chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await file.read(_CHUNK):
        yield chunk


@router.post("/imports")
async def start_import(
    database: DatabaseDep,
    settings: SettingsDep,
    actor: Coordinator,
    file: UploadFile,
    professions: Annotated[
        str, Query(max_length=100, description="gp, nurse, pharmacist (virgules).")
    ] = "gp",
) -> AnnuaireJobOut:
    """Upload the extraction `PS_LibreAcces_Personne_activite_*.txt`; its preview (added,
    changed, left) is computed in the background: poll the job until `ready`."""
    try:
        kept = annuaire.parse_professions(professions)
    except ValueError as exc:
        raise InvalidUpload(str(exc), loc=["query", "professions"]) from None
    path, size = await annuaire_jobs.save_upload(
        _chunks(file), settings.directory_import_dir, settings.directory_import_max_mb * 1_000_000
    )
    job_id = await annuaire_jobs.create_job(
        database, actor, path, file.filename or "annuaire.txt", size, kept
    )
    annuaire_jobs.launch(annuaire_jobs.run_preview(database, job_id), f"annuaire-{job_id}")
    async with database.transaction() as session:
        return await annuaire_jobs.get_job(session, job_id)


@router.get("/imports")
async def list_imports(session: SessionDep, actor: Coordinator) -> list[AnnuaireJobOut]:
    """The latest imports, newest first."""
    return await annuaire_jobs.latest_jobs(session)


@router.get("/imports/{job_id}")
async def get_import(session: SessionDep, actor: Coordinator, job_id: int) -> AnnuaireJobOut:
    """One import: its progress, then its preview, then its report."""
    return await annuaire_jobs.get_job(session, job_id)


@router.post("/imports/{job_id}/apply")
async def apply_import(database: DatabaseDep, actor: Coordinator, job_id: int) -> AnnuaireJobOut:
    """Apply a previewed import, in batches in the background (409 unless `ready`)."""
    async with database.transaction() as session:
        await annuaire_jobs.mark_applying(session, job_id)
    annuaire_jobs.launch(annuaire_jobs.run_apply(database, job_id, actor), f"annuaire-{job_id}")
    async with database.transaction() as session:
        return await annuaire_jobs.get_job(session, job_id)


@router.post("/imports/{job_id}/discard")
async def discard_import(session: SessionDep, actor: Coordinator, job_id: int) -> AnnuaireJobOut:
    """Give up a previewed import (its file is deleted)."""
    return await annuaire_jobs.discard(session, job_id)


@router.post("/geocode")
async def geocode_sites(
    database: DatabaseDep, settings: SettingsDep, actor: Coordinator
) -> GeocodingReport:
    """Refine the approximate sites with the configured geocoder (422 when it is `off`)."""
    if settings.geocoder == "off":
        raise InvalidUpload(
            "Aucun géocodeur n'est configuré (SNP_GEOCODER=off) : les positions restent "
            "approximatives.",
            loc=["geocoder"],
        )
    refined = await geocoding.refine_approximate_sites(
        database, geocoding.GeocoderOptions.from_settings(settings)
    )
    return GeocodingReport(refined=refined)
