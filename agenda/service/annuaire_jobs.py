"""Annuaire Santé imports as background jobs: upload -> preview (streamed, progress polled) ->
apply (batches, one transaction each) -> done; the CLI and the benchmark run the same steps.

A job's row holds its progress; the work runs in the app's event loop (the file is read in a
worker thread, so requests keep being served) and writes in short transactions, so no lock is
held for long on SQLite. Applying is idempotent: a job interrupted half-way is finished by
importing the file again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import AnnuaireJobNotFound, AnnuaireJobState, GeocoderFailed, InvalidUpload
from agenda.models import DirectoryImportJob
from agenda.schemas_supply import AnnuaireJobOut, AnnuairePreview
from agenda.service import annuaire, geocoding
from snp.actor import Actor
from snp.csv_import import open_text
from snp.db import Database, utcnow
from snp.territory import list_communes

log = logging.getLogger(__name__)

BATCH_PEOPLE = 200
# A running job reports progress every second or batch: silent this long, its server stopped.
STALLED = timedelta(minutes=10)
_TASKS: set[asyncio.Task[None]] = set()


@dataclass(slots=True)
class Progress:
    """Shared between the reading thread and the loop that reports it."""

    lines: int = 0
    bytes_read: int = 0


async def save_upload(
    chunks: AsyncIterator[bytes], directory: Path, max_bytes: int
) -> tuple[Path, int]:
    """Copy an upload to a file of `directory`, chunk by chunk (constant memory)."""
    handle, name = _new_file(directory)
    size = 0
    try:
        with os.fdopen(handle, "wb") as out:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidUpload(
                        f"Fichier trop volumineux (au plus {max_bytes // 1_000_000} Mo).",
                        loc=["file"],
                    )
                out.write(chunk)
    except BaseException:
        remove_file(name)
        raise
    if size == 0:
        remove_file(name)
        raise InvalidUpload("Le fichier est vide.", loc=["file"])
    return Path(name), size


def _new_file(directory: Path) -> tuple[int, str]:
    directory.mkdir(parents=True, exist_ok=True)
    return tempfile.mkstemp(prefix="annuaire-", suffix=".txt", dir=directory)


def remove_file(path: str | Path) -> None:
    Path(path).unlink(missing_ok=True)


async def read_file(
    session_factory: Callable[[], Any],
    path: Path,
    professions: Sequence[str],
    on_progress: Callable[[Progress], Awaitable[None]] | None = None,
) -> tuple[annuaire.ReadResult, annuaire.TerritoryIndex]:
    """Stream the extraction in a worker thread, reporting progress about every second."""
    async with session_factory() as session:
        territory = annuaire.TerritoryIndex.of(await list_communes(session))
    progress = Progress()
    with open_text(path) as stream:
        raw = stream.buffer

        def tick(lines: int) -> None:
            progress.lines = lines
            progress.bytes_read = raw.tell()

        work = asyncio.create_task(
            asyncio.to_thread(annuaire.read_annuaire, stream, territory, professions, tick)
        )
        while not work.done():
            await asyncio.wait({work}, timeout=1.0)
            if on_progress is not None and not work.done():
                await on_progress(progress)
        result = work.result()
        raw_size = raw.tell()
    progress.bytes_read = raw_size
    progress.lines = result.lines
    if on_progress is not None:
        await on_progress(progress)
    return result, territory


async def apply_people(
    database: Database,
    actor: Actor,
    result: annuaire.ReadResult,
    territory: annuaire.TerritoryIndex,
    on_batch: Callable[[annuaire.ApplyCounts, int], Awaitable[None]] | None = None,
) -> annuaire.ApplyCounts:
    """Write the kept people by batches, one transaction each (idempotent)."""
    total = annuaire.ApplyCounts()
    people = list(result.people.values())
    for start in range(0, len(people), BATCH_PEOPLE):
        async with database.transaction() as session:
            counts = await annuaire.apply_annuaire_batch(
                session, actor, people[start : start + BATCH_PEOPLE], territory
            )
        total.add(counts)
        if on_batch is not None:
            await on_batch(total, min(start + BATCH_PEOPLE, len(people)))
    return total


# --- Jobs ---------------------------------------------------------------------------------------


async def create_job(
    database: Database,
    actor: Actor,
    path: Path,
    file_name: str,
    size: int,
    professions: Sequence[str],
) -> int:
    async with database.transaction() as session:
        job = DirectoryImportJob(
            status="previewing",
            file_path=str(path),
            file_name=file_name[:200],
            file_bytes=size,
            bytes_read=0,
            lines_read=0,
            professions=",".join(professions),
            created_by_user_id=actor.user_id,
        )
        session.add(job)
        await session.flush()
        return job.id


def launch(coroutine: Awaitable[None], name: str) -> None:
    task: asyncio.Task[None] = asyncio.ensure_future(coroutine)
    task.set_name(name)
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


async def wait_for_jobs() -> None:
    """Wait for the running jobs (tests, shutdown)."""
    while _TASKS:
        await asyncio.gather(*list(_TASKS), return_exceptions=True)


async def _update(database: Database, job_id: int, **values: Any) -> None:
    async with database.transaction() as session:
        job = await session.get(DirectoryImportJob, job_id)
        if job is not None:
            for key, value in values.items():
                setattr(job, key, value)
            job.updated_at = utcnow()


async def run_preview(database: Database, job_id: int) -> None:
    async with database.transaction() as session:
        job = await _job(session, job_id)
        path, professions = Path(job.file_path), job.professions.split(",")
    try:

        async def report(progress: Progress) -> None:
            await _update(
                database, job_id, bytes_read=progress.bytes_read, lines_read=progress.lines
            )

        result, _ = await read_file(database.sessionmaker, path, professions, report)
        async with database.transaction() as session:
            preview = await annuaire.preview_annuaire(session, result, professions)
        await _update(database, job_id, status="ready", preview=preview.model_dump())
    except Exception as exc:  # the job says why; the coordinator may retry
        log.exception("Annuaire import %s failed while previewing", job_id)
        await _fail(database, job_id, path, exc)


async def run_apply(database: Database, job_id: int, actor: Actor) -> None:
    async with database.transaction() as session:
        job = await _job(session, job_id)
        path, professions = Path(job.file_path), job.professions.split(",")
    try:
        result, territory = await read_file(database.sessionmaker, path, professions)

        async def batch_done(total: annuaire.ApplyCounts, people: int) -> None:
            await _update(database, job_id, report={**total.as_dict(), "people_done": people})

        total = await apply_people(database, actor, result, territory, batch_done)
        report = {**total.as_dict(), "people_done": len(result.people)}
        settings = database.settings
        if settings is not None and settings.geocoder != "off":
            try:
                report["geocoded"] = await geocoding.refine_approximate_sites(
                    database, geocoding.GeocoderOptions.from_settings(settings)
                )
            except GeocoderFailed:  # the sites stay approximate, and say so
                report["geocoding_failed"] = 1
        await _update(database, job_id, status="done", report=report)
        remove_file(path)
    except Exception as exc:
        log.exception("Annuaire import %s failed while applying", job_id)
        await _fail(database, job_id, path, exc)


async def _fail(database: Database, job_id: int, path: Path, exc: Exception) -> None:
    message = getattr(exc, "msg", None) or "Erreur inattendue pendant l'import ; réessayez."
    await _update(database, job_id, status="failed", error=str(message)[:1000])
    remove_file(path)


async def _job(session: AsyncSession, job_id: int) -> DirectoryImportJob:
    job = await session.get(DirectoryImportJob, job_id)
    if job is None:
        raise AnnuaireJobNotFound()
    return job


async def get_job(session: AsyncSession, job_id: int) -> AnnuaireJobOut:
    return job_out(await _job(session, job_id))


async def latest_jobs(session: AsyncSession, limit: int = 10) -> list[AnnuaireJobOut]:
    rows = await session.scalars(
        select(DirectoryImportJob).order_by(DirectoryImportJob.id.desc()).limit(limit)
    )
    return [job_out(j) for j in rows]


async def mark_applying(session: AsyncSession, job_id: int) -> None:
    """`ready` -> `applying` (409 otherwise: a job is applied once)."""
    job = await _job(session, job_id)
    if job.status != "ready":
        raise AnnuaireJobState(
            "Cet import n'est pas prêt à être appliqué (aperçu en cours, "
            "déjà appliqué ou abandonné)."
        )
    job.status = "applying"
    job.updated_at = utcnow()


async def discard(session: AsyncSession, job_id: int) -> AnnuaireJobOut:
    """Give up a previewed import, or one stalled (no progress for `STALLED`: the server
    stopped while it ran); a running one is refused (409)."""
    job = await _job(session, job_id)
    running = job.status in ("previewing", "applying")
    if running and utcnow() - job.updated_at < STALLED:
        raise AnnuaireJobState("Cet import est en cours : attendez qu'il s'arrête.")
    if job.status == "ready" or running:
        job.status = "discarded"
        remove_file(job.file_path)
    return job_out(job)


def job_out(job: DirectoryImportJob) -> AnnuaireJobOut:
    return AnnuaireJobOut(
        id=job.id,
        status=job.status,
        file_name=job.file_name,
        file_bytes=job.file_bytes,
        bytes_read=job.bytes_read,
        lines_read=job.lines_read,
        professions=job.professions.split(","),
        preview=AnnuairePreview.model_validate(job.preview) if job.preview else None,
        report={k: int(str(v)) for k, v in job.report.items()} if job.report else None,
        error=job.error,
    )
