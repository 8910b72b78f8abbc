"""Issue 20: the directory CSV import streams a file of any size with bounded memory and output.

A 50 MB file used to take 1 GB and print 390,000 error lines. Now rows are read one at a time,
written by batches, and errors are summarised: the first 20 in full, then a count per kind.
"""

from __future__ import annotations

import asyncio
import gc
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from agenda.errors import EffectorImportRejected
from agenda.models import Effector
from agenda.service.effector_import import import_effectors_stream
from composition.cli import app as cli
from snp.actor import Actor
from snp.csv_import import SHOWN_ERRORS
from snp.identifiers import rpps_with_check_digit
from snp.settings import get_settings

HEADER = (
    "rpps,family_name,given_name,specialty_code,phone,email,site_name,address_line,"
    "postal_code,city,insee_code,latitude,longitude,structure_id\n"
)


def rows(count: int, phone: str = "06 12 34 56 78") -> Iterator[str]:
    for n in range(count):
        rpps = rpps_with_check_digit(f"{1_000_000_000 + n}")
        yield (
            f"{rpps},Nom{n},Prénom,SM54,{phone},,Cabinet {n},{n} rue du Port,35600,Redon,"
            "35236,47.65,-2.08,\n"
        )


def write_file(path: Path, count: int, phone: str = "06 12 34 56 78") -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        out.writelines(rows(count, phone))
    return path


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, app: object) -> Iterator[CliRunner]:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


async def test_a_file_of_40000_bad_rows_prints_20_errors_and_a_count_per_kind(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    file = write_file(tmp_path / "big.csv", 40_000, phone="02 99 71 00 00")
    result = await asyncio.to_thread(cli_env.invoke, cli, ["effectors", "import", str(file)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:2] == [
        "line 2, column phone: Un numéro de portable est attendu (pour les SMS).",
        "line 3, column phone: Un numéro de portable est attendu (pour les SMS).",
    ]
    assert lines[SHOWN_ERRORS:] == [
        "… 40000 erreur(s) en tout, dont 39980 non affichée(s). Par type :",
        "  40000 × phone : Un numéro de portable est attendu (pour les SMS).",
        "40000 erreur(s) : aucun effecteur importé.",
    ]
    assert await session.scalar(select(func.count()).select_from(Effector)) == 0


async def test_checking_a_large_bad_file_keeps_a_small_bounded_memory(
    session: AsyncSession, tmp_path: Path
) -> None:
    file = write_file(tmp_path / "big.csv", 60_000, phone="pas un numéro")
    size_mb = file.stat().st_size / 1e6
    tracemalloc.start()
    try:
        with (
            file.open(encoding="utf-8", newline="") as stream,
            pytest.raises(EffectorImportRejected) as caught,
        ):
            await import_effectors_stream(session, Actor.system("test"), stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.count == 60_000
    assert len(caught.value.errors) == SHOWN_ERRORS
    assert size_mb > 6
    # Reading the file into memory, as before, would take several times its size.
    assert peak / 1e6 < 3


async def test_a_valid_file_is_written_by_batches_with_memory_bounded_by_the_batch(
    session: AsyncSession,
) -> None:
    async def peak_for(count: int) -> float:
        text = HEADER + "".join(rows(count))
        gc.collect()  # what earlier tests left for the collector is not this import's memory
        tracemalloc.start()
        try:
            report = await import_effectors_stream(
                session, Actor.system("test"), io.StringIO(text, newline=""), batch_size=100
            )
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        await session.rollback()
        assert report.created == count
        return (peak - len(text) * 2) / 1e6  # the in-memory test file itself left aside

    await peak_for(100)  # the first import fills the caches (compiled statements) once
    small, large = await peak_for(200), await peak_for(800)
    # Four times the rows, about the same memory: what grows is one RPPS per effector.
    assert large < small * 1.5 + 0.5
