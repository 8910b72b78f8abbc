"""`snp territory import communes FILE.csv`: all rows checked, all errors listed, all or nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from composition.cli import app as cli
from snp import territory
from snp.auth.roles import Role
from snp.settings import get_settings
from snp.territory.models import Commune
from tests.factories import logged_in_as

GOOD = """insee_code,name,postal_code,latitude,longitude
35236,Redon,35600,47.6514,-2.0843
2A004,Ajaccio,20000,41.9192,8.7386
"""

BAD = """insee_code,name,postal_code,latitude,longitude
35236,Redon,35600,47.6514,-2.0843
3X523,Nulle-Part,356,95,-2.0
35236,Redon bis,35600,47.65,-2.08
44185,,44460,abc,-2.06
"""


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, app: object) -> Iterator[CliRunner]:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_a_valid_file_is_imported_and_reimporting_changes_nothing(
    cli_env: CliRunner, tmp_path: Path
) -> None:
    file = tmp_path / "communes.csv"
    file.write_text(GOOD, encoding="utf-8")
    first = cli_env.invoke(cli, ["territory", "import", "communes", str(file)])
    assert first.exit_code == 0, first.output
    assert "2 créée(s)" in first.output
    second = cli_env.invoke(cli, ["territory", "import", "communes", str(file)])
    assert "0 créée(s), 0 modifiée(s), 2 inchangée(s)" in second.output


async def test_any_error_imports_nothing_and_every_error_is_printed(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    file = tmp_path / "communes.csv"
    file.write_text(BAD, encoding="utf-8")
    # In a thread: the CLI runs its own event loop, as it does in a terminal.
    result = await asyncio.to_thread(
        cli_env.invoke, cli, ["territory", "import", "communes", str(file)]
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert (
        "line 3, column insee_code: code INSEE attendu sur 5 caractères (ex. 35236, 2A004)" in lines
    )
    assert "line 3, column postal_code: code postal attendu sur 5 chiffres" in lines
    assert "line 3, column latitude: latitude hors limites (-90 à 90)" in lines
    assert "line 4, column name: diffère de la ligne 2 pour le même code INSEE" in lines
    assert "line 5, column name: valeur obligatoire" in lines
    assert "line 5, column latitude: latitude : nombre attendu" in lines
    assert "6 erreur(s) : aucune commune importée." in lines
    assert await session.scalar(select(func.count()).select_from(Commune)) == 0


def test_a_wrong_header_names_the_missing_column(cli_env: CliRunner, tmp_path: Path) -> None:
    file = tmp_path / "communes.csv"
    file.write_text("commune,name,postal_code,latitude,longitude\n35236,Redon,35600,47,-2\n")
    result = cli_env.invoke(cli, ["territory", "import", "communes", str(file)])
    assert result.exit_code == 1
    assert "line 1, column insee_code: colonne manquante dans l'en-tête" in result.output


def test_french_excel_files_with_semicolons_and_cp1252_are_read(
    cli_env: CliRunner, tmp_path: Path
) -> None:
    file = tmp_path / "communes.csv"
    text = (
        "insee_code;name;postal_code;latitude;longitude\n44067;Guémené-Penfao;44290;47,63;-1,83\n"
    )
    file.write_bytes(text.encode("cp1252"))
    result = cli_env.invoke(cli, ["territory", "import", "communes", str(file)])
    assert result.exit_code == 0, result.output


async def test_the_territory_api_serves_the_imported_communes(
    cli_env: CliRunner, tmp_path: Path, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await territory.set_cpts(session, name="CPTS Test", finess="350009171", phone="0299710000")
    await session.commit()
    file = tmp_path / "communes.csv"
    file.write_text(GOOD, encoding="utf-8")
    await asyncio.to_thread(cli_env.invoke, cli, ["territory", "import", "communes", str(file)])
    await logged_in_as(client, session, Role.REFERRER)
    body = (await client.get("/api/territory")).json()
    assert body["cpts"]["phone_display"] == "02 99 71 00 00"
    assert [c["name"] for c in body["communes"]] == ["Ajaccio", "Redon"]


def test_a_file_with_many_errors_prints_the_first_twenty_and_a_count_per_kind(
    cli_env: CliRunner, tmp_path: Path
) -> None:
    file = tmp_path / "communes.csv"
    rows = "".join(f"x{n},Commune,35600,47,-2\n" for n in range(400))
    file.write_text("insee_code,name,postal_code,latitude,longitude\n" + rows)
    result = cli_env.invoke(cli, ["territory", "import", "communes", str(file)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sum(line.startswith("line ") for line in lines) == 20
    assert "… 400 erreur(s) en tout, dont 380 non affichée(s). Par type :" in lines
    assert "  400 × insee_code : code INSEE attendu sur N caractères (ex. N, NAN)" in lines
    assert "400 erreur(s) : aucune commune importée." in lines


def test_a_file_in_an_unknown_encoding_is_refused_in_one_line(
    cli_env: CliRunner, tmp_path: Path
) -> None:
    file = tmp_path / "communes.csv"
    file.write_bytes(b"insee_code,name\n35236,Redon\x81\n")
    result = cli_env.invoke(cli, ["territory", "import", "communes", str(file)])
    assert result.exit_code == 1
    assert result.output.startswith("Fichier illisible : octet 0x81")
