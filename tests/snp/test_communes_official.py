"""Communes from the official files of data.gouv.fr: recognised by their headers, filtered to
the territory, previewed (added / changed / unchanged) before they are written (CLI and API)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from composition.cli import app as cli
from snp.auth.roles import Role
from snp.settings import get_settings
from snp.territory.models import Commune
from tests.factories import logged_in_as

# « Base officielle des codes postaux » (one row per commune and postal code).
POSTAL_BASE = """code_commune_INSEE,nom_commune_postal,code_postal,libelle_acheminement,ligne_5,latitude,longitude,code_commune,article,nom_commune,nom_commune_complet,code_departement,nom_departement,code_region,nom_region
35236,REDON,35600,REDON,,47.6514,-2.0843,236,,Redon,Redon,35,Ille-et-Vilaine,53,Bretagne
35047,BRUZ,35170,BRUZ,,48.0247,-1.7458,47,,Bruz,Bruz,35,Ille-et-Vilaine,53,Bretagne
56194,RIEUX,56350,RIEUX,,47.5981,-2.1064,194,,Rieux,Rieux,56,Morbihan,53,Bretagne
35238,RENNES,35000,RENNES,,48.1116,-1.6807,238,,Rennes,Rennes,35,Ille-et-Vilaine,53,Bretagne
35238,RENNES,35200,RENNES,,,,238,,Rennes,Rennes,35,Ille-et-Vilaine,53,Bretagne
1001,L ABERGEMENT CLEMENCIAT,1400,L ABERGEMENT CLEMENCIAT,,46.1534,4.9261,1,L',Abergement-Clémenciat,L'Abergement-Clémenciat,01,Ain,84,Auvergne-Rhône-Alpes
"""  # noqa: E501

# « Communes de France » (one row per commune; `;` as some downloads are).
COMMUNES_DE_FRANCE = """code_insee;nom_standard;nom_sans_pronom;reg_code;dep_code;code_postal;codes_postaux;population;latitude_mairie;longitude_mairie;latitude_centre;longitude_centre
35236;Redon;Redon;53;35;35600;35600;9416;47.65;-2.08;47.6514;-2.0843
56194;Rieux;Rieux;53;56;56350;56350;2900;47.59;-2.10;47.5981;-2.1064
"""  # noqa: E501

LA_POSTE = """#Code_commune_INSEE;Nom_commune;Code_postal;Libellé_d_acheminement;Ligne_5;coordonnees_gps
35236;REDON;35600;REDON;;47.6514, -2.0843
"""  # noqa: E501


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, app: object) -> Iterator[CliRunner]:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


async def run(runner: CliRunner, *args: str) -> tuple[int, list[str]]:
    result = await asyncio.to_thread(runner.invoke, cli, list(args))
    return result.exit_code, result.output.splitlines()


async def test_the_postal_base_is_filtered_to_the_territory_merged_and_previewed_first(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    file = tmp_path / "base.csv"
    file.write_text(POSTAL_BASE, encoding="utf-8")
    keep = "35,56194"
    code, output = await run(
        cli_env, "territory", "import-communes", str(file), "--garder", keep, "--preview"
    )
    assert code == 0, output
    assert output[0] == (
        "Communes : 4 seraient ajoutée(s), 0 seraient modifiée(s), 0 inchangée(s)."
    )
    assert "  + 35238 Rennes (35000, 35200)" in output
    assert await session.scalar(select(Commune).limit(1)) is None  # a preview writes nothing

    code, output = await run(cli_env, "territory", "import-communes", str(file), "--garder", keep)
    assert output[0] == "Communes : 4 ont été ajoutée(s), 0 ont été modifiée(s), 0 inchangée(s)."
    rennes = await session.get(Commune, "35238")
    assert rennes is not None
    assert (rennes.postal_code, rennes.postal_codes, rennes.latitude) == (
        "35000",
        "35000 35200",
        48.1116,
    )
    assert await session.get(Commune, "01001") is None  # not in the territory

    code, output = await run(cli_env, "territory", "import-communes", str(file), "--garder", keep)
    assert output[0] == "Communes : 0 ont été ajoutée(s), 0 ont été modifiée(s), 4 inchangée(s)."


async def test_communes_de_france_and_la_poste_files_are_read_by_their_headers(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    file = tmp_path / "communes-france.csv"
    file.write_text(COMMUNES_DE_FRANCE, encoding="utf-8")
    code, output = await run(cli_env, "territory", "import-communes", str(file))
    assert code == 0, output
    assert output[0].startswith("Communes : 2 ont été ajoutée(s)")
    poste = tmp_path / "laposte.csv"
    poste.write_text(LA_POSTE.replace("REDON;35600", "REDON-SUR-VILAINE;35600"), encoding="utf-8")
    code, output = await run(cli_env, "territory", "import-communes", str(poste), "--preview")
    assert output[:2] == [
        "Communes : 0 seraient ajoutée(s), 1 seraient modifiée(s), 0 inchangée(s).",
        "  ~ 35236 REDON-SUR-VILAINE : name",
    ]


async def test_a_commune_without_coordinates_and_a_bad_keep_are_named(
    cli_env: CliRunner, tmp_path: Path
) -> None:
    file = tmp_path / "base.csv"
    file.write_text(POSTAL_BASE.replace("47.5981,-2.1064", ","), encoding="utf-8")
    code, output = await run(cli_env, "territory", "import-communes", str(file), "--garder", "56")
    assert code == 1
    assert output == [
        "line 4, column latitude: coordonnées du centre manquantes",
        "1 erreur(s) : aucune commune importée.",
    ]
    code, output = await run(cli_env, "territory", "import-communes", str(file), "--garder", "x")
    assert code == 1
    assert output == ["« x » : département (35, 2A, 971) ou code INSEE (35236) attendu"]


async def test_the_coordinator_previews_then_applies_an_upload(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    files = {"file": ("base.csv", POSTAL_BASE.encode(), "text/csv")}
    preview = await client.post("/api/territory/communes/import?keep=56", files=files)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["added_count"], body["changed_count"], body["unchanged_count"]) == (1, 0, 0)
    assert body["added"][0]["name"] == "Rieux"
    assert await session.get(Commune, "56194") is None
    applied = await client.post("/api/territory/communes/import?keep=56&apply=true", files=files)
    assert applied.json()["added_count"] == 1
    assert await session.get(Commune, "56194") is not None

    bad = POSTAL_BASE.replace("56350,RIEUX", "563X0,RIEUX")
    refused = await client.post(
        "/api/territory/communes/import?keep=56",
        files={"file": ("base.csv", bad.encode(), "text/csv")},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0] == {
        "loc": ["file", 4, "code_postal"],
        "msg": "line 4, column code_postal: code postal attendu sur 5 chiffres",
        "type": "csv",
    }


async def test_only_the_coordinator_imports_communes(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.OPERATOR)
    files = {"file": ("base.csv", POSTAL_BASE.encode(), "text/csv")}
    assert (await client.post("/api/territory/communes/import", files=files)).status_code == 403
