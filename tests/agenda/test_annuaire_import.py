"""The directory from the Annuaire Santé extraction: GPs (options: nurses, pharmacists) of the
territory's communes, previewed (added / changed / left) then applied, idempotent; sites at
their commune's centre are flagged approximate. CLI and API (a background job with progress)."""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from typer.testing import CliRunner

from agenda.models import DirectoryImportJob, Effector
from agenda.service import annuaire, annuaire_jobs
from agenda.service.annuaire_format import header_line, practitioner
from composition.app import create_app
from composition.cli import app as cli
from snp.auth.roles import Role
from snp.db import Database
from snp.identifiers import rpps_with_check_digit
from snp.settings import get_settings
from snp.territory import CommuneOut
from tests.agenda.annuaire_sample import (
    LE_GALL,
    MARTIN,
    NURSE,
    REDON,
    load_territory,
    sample_text,
)
from tests.agenda.slot_factories import create_effector_with_account
from tests.conftest import empty_database, test_settings
from tests.factories import logged_in_as

REJECTED = (
    "line 9, column Identifiant PP: Le numéro RPPS est invalide (clé de contrôle incorrecte)."
)


async def effector(session: AsyncSession, rpps: str) -> Effector | None:
    session.expire_all()
    return await session.scalar(
        select(Effector).options(selectinload(Effector.sites)).where(Effector.national_id == rpps)
    )


# --- Command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, app: object) -> Iterator[CliRunner]:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


async def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = await asyncio.to_thread(runner.invoke, cli, list(args))
    return result.exit_code, result.stdout, result.stderr


async def test_the_cli_previews_then_imports_the_territorys_gps_and_a_reimport_changes_nothing(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    await load_territory(session)
    _, already = await create_effector_with_account(session, "dr.ancien@example.fr")
    already_rpps = already.national_id
    await session.commit()
    file = tmp_path / "PS_LibreAcces_Personne_activite_202612050000.txt"
    file.write_text(sample_text(), encoding="utf-8")

    code, out, err = await run(cli_env, "effectors", "import-annuaire", str(file), "--preview")
    assert code == 0, err
    assert out.strip() == (
        "8 lignes lues, 4 gardées (territoire et professions). 2 seraient ajouté(s), "
        "0 seraient modifié(s), 0 inchangé(s), 1 dans l'annuaire mais pas dans le fichier "
        "(laissés tels quels)."
    )
    assert f"Ligne écartée : {REJECTED}" in err
    assert await effector(session, MARTIN) is None  # a preview writes nothing

    code, out, err = await run(cli_env, "effectors", "import-annuaire", str(file))
    assert code == 0, err
    assert out.splitlines()[0] == (
        "Appliqué : 2 effecteur(s) créé(s), 0 modifié(s), 0 inchangé(s) ; "
        "lieux : 3 créé(s), 0 modifié(s)."
    )
    martin = await effector(session, MARTIN)
    assert martin is not None
    assert (martin.family_name, martin.given_name, martin.profession, martin.specialty_code) == (
        "MARTIN",
        "Anne",
        "Médecin",
        "SM54",
    )
    port = next(s for s in martin.sites if s.name == "CABINET MEDICAL DU PORT")
    assert (port.address_line, port.postal_code, port.city, port.insee_code, port.phone) == (
        "3 Rue Du Port",
        "35600",
        "Redon",
        "35236",
        "+33299710000",
    )
    assert (port.latitude, port.longitude, port.position_approximate) == (*REDON, True)
    le_gall = await effector(session, LE_GALL)
    assert le_gall is not None
    assert le_gall.sites[0].insee_code == "56194"  # found by its postal code
    assert await effector(session, already_rpps) is not None  # left alone

    code, out, _ = await run(cli_env, "effectors", "import-annuaire", str(file))
    assert out.splitlines()[0].startswith("Appliqué : 0 effecteur(s) créé(s), 0 modifié(s), 2")


async def test_nurses_are_an_option(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    await load_territory(session)
    file = tmp_path / "annuaire.txt"
    file.write_text(sample_text(), encoding="utf-8")
    code, _, err = await run(
        cli_env, "effectors", "import-annuaire", str(file), "--professions", "gp,nurse"
    )
    assert code == 0, err
    nurse = await effector(session, NURSE)
    assert nurse is not None
    assert (nurse.profession, nurse.specialty_code) == ("Infirmier", "G15_60")
    code, _, err = await run(
        cli_env, "effectors", "import-annuaire", str(file), "--professions", "dentist"
    )
    assert code == 2
    assert "profession inconnue : dentist" in err


# --- API: a background job the page polls ------------------------------------------------------


@pytest.fixture
async def job_app(db_url: str, tmp_path: Path) -> AsyncIterator[FastAPI]:
    application = create_app(
        test_settings(db_url, directory_import_dir=tmp_path / "imports"), start_scheduler=False
    )
    database: Database = application.state.db
    await empty_database(database)
    yield application
    await annuaire_jobs.wait_for_jobs()
    await database.dispose()


@pytest.fixture
async def job_client(job_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=job_app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def job_session(job_app: FastAPI) -> AsyncIterator[AsyncSession]:
    database: Database = job_app.state.db
    async with database.sessionmaker() as s:
        yield s


async def settled(client: httpx.AsyncClient, job_id: int) -> dict[str, object]:
    await annuaire_jobs.wait_for_jobs()
    response = await client.get(f"/api/agenda/annuaire/imports/{job_id}")
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_the_coordinator_uploads_previews_and_applies_and_changes_show_next_time(
    job_client: httpx.AsyncClient, job_session: AsyncSession, tmp_path: Path
) -> None:
    await load_territory(job_session)
    await logged_in_as(job_client, job_session, Role.COORDINATOR)
    files = {"file": ("annuaire.txt", sample_text().encode(), "text/plain")}
    started = await job_client.post("/api/agenda/annuaire/imports", files=files)
    assert started.status_code == 200, started.text
    job_id = started.json()["id"]
    job = await settled(job_client, job_id)
    assert job["status"] == "ready"
    assert job["lines_read"] == 8
    assert job["bytes_read"] == job["file_bytes"]
    preview = job["preview"]
    assert isinstance(preview, dict)
    assert (preview["added_count"], preview["changed_count"], preview["left_count"]) == (2, 0, 0)
    assert [e["name"] for e in preview["added"]] == ["Anne MARTIN", "Yann LE GALL"]
    assert preview["rejected"] == [REJECTED]
    assert await effector(job_session, MARTIN) is None

    applied = await job_client.post(f"/api/agenda/annuaire/imports/{job_id}/apply")
    assert applied.status_code == 200, applied.text
    job = await settled(job_client, job_id)
    assert job["status"] == "done", job
    assert job["report"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "sites_created": 3,
        "sites_updated": 0,
        "people_done": 2,
    }
    assert list((tmp_path / "imports").iterdir()) == []  # the file is gone once applied
    again = await job_client.post(f"/api/agenda/annuaire/imports/{job_id}/apply")
    assert again.status_code == 409

    martin = await effector(job_session, MARTIN)
    assert martin is not None
    profile = (await job_client.get(f"/api/agenda/effectors/{martin.id}")).json()
    assert {s["position_approximate"] for s in profile["sites"]} == {True}

    # The practice moved: the preview says so, and applying puts the site at its commune.
    files = {"file": ("annuaire.txt", sample_text("DE LA GARE").encode(), "text/plain")}
    job_id = (await job_client.post("/api/agenda/annuaire/imports", files=files)).json()["id"]
    preview = (await settled(job_client, job_id))["preview"]
    assert isinstance(preview, dict)
    assert (preview["added_count"], preview["changed_count"], preview["unchanged_count"]) == (
        0,
        1,
        1,
    )
    assert preview["changed"][0]["fields"] == ["lieu modifié : CABINET MEDICAL DU PORT"]
    discarded = await job_client.post(f"/api/agenda/annuaire/imports/{job_id}/discard")
    assert discarded.json()["status"] == "discarded"


async def test_only_the_coordinator_imports_the_annuaire(
    job_client: httpx.AsyncClient, job_session: AsyncSession
) -> None:
    await logged_in_as(job_client, job_session, Role.OPERATOR)
    files = {"file": ("annuaire.txt", sample_text().encode(), "text/plain")}
    response = await job_client.post("/api/agenda/annuaire/imports", files=files)
    assert response.status_code == 403


async def test_a_file_that_is_not_the_extraction_names_the_missing_columns(
    job_client: httpx.AsyncClient, job_session: AsyncSession
) -> None:
    await load_territory(job_session)
    await logged_in_as(job_client, job_session, Role.COORDINATOR)
    files = {"file": ("x.txt", b"nom|prenom\nMartin|Anne\n", "text/plain")}
    job_id = (await job_client.post("/api/agenda/annuaire/imports", files=files)).json()["id"]
    job = await settled(job_client, job_id)
    preview = job["preview"]
    assert isinstance(preview, dict)
    assert (
        preview["rejected"][0] == "line 1, column Identifiant PP: colonne manquante dans l'en-tête"
    )
    assert preview["added_count"] == 0


# --- Streaming: memory bounded by the territory, not the file ------------------------------------


def test_reading_the_extraction_keeps_memory_bounded_whatever_its_length(tmp_path: Path) -> None:
    territory = annuaire.TerritoryIndex.of(
        [
            CommuneOut(
                insee_code="35236", name="Redon", postal_code="35600", latitude=47.6, longitude=-2.1
            )
        ]
    )

    def peak_for(lines: int) -> float:
        file = tmp_path / f"annuaire-{lines}.txt"
        with file.open("w", encoding="utf-8") as out:
            out.write(header_line())
            for n in range(lines):  # GPs all over France, one in a thousand in the territory
                insee = "35236" if n % 1000 == 0 else f"{29000 + n % 900}"
                rpps = rpps_with_check_digit(f"{1_100_000_000 + n}")
                out.write(practitioner(rpps=rpps, family=f"NOM{n}", given="A", insee=insee))
        tracemalloc.start()
        try:
            with file.open(encoding="utf-8", newline="") as stream:
                result = annuaire.read_annuaire(stream, territory, ("gp",))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert result.lines == lines
        assert len(result.people) == lines // 1000
        return peak / 1e6

    small, large = peak_for(10_000), peak_for(80_000)
    # Eight times the lines (about 17 MB): the memory of the 80 people kept, not of the file.
    assert large < small + 1.0


async def test_a_running_import_cannot_be_discarded_but_a_stalled_one_can(
    job_client: httpx.AsyncClient, job_session: AsyncSession, tmp_path: Path
) -> None:
    await logged_in_as(job_client, job_session, Role.COORDINATOR)
    now = datetime.now(UTC)
    running, stalled = (
        DirectoryImportJob(
            status="previewing",
            file_path=str(tmp_path / name),
            file_name=name,
            file_bytes=10,
            bytes_read=0,
            lines_read=0,
            professions="gp",
            updated_at=updated_at,
        )
        for name, updated_at in (("a.txt", now), ("b.txt", now - timedelta(minutes=30)))
    )
    job_session.add_all([running, stalled])
    await job_session.commit()
    refused = await job_client.post(f"/api/agenda/annuaire/imports/{running.id}/discard")
    assert refused.status_code == 409
    assert refused.json()["detail"][0]["msg"] == (
        "Cet import est en cours : attendez qu'il s'arrête."
    )
    discarded = await job_client.post(f"/api/agenda/annuaire/imports/{stalled.id}/discard")
    assert discarded.json()["status"] == "discarded"
    missing = await job_client.get("/api/agenda/annuaire/imports/999999")
    assert missing.status_code == 404
