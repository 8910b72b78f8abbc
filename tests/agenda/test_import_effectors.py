"""`snp effectors import FILE.csv` and its upload: every row checked, all or nothing, idempotent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from agenda.models import Effector, Site
from agenda.service.effector_import import parse_effectors_csv, parse_structure_id
from composition.cli import app as cli
from snp.auth.roles import Role
from snp.csv_import import CsvImportError
from snp.identifiers import finess_with_check_digit, rpps_with_check_digit
from snp.settings import get_settings
from tests.agenda.slot_factories import create_effector_with_account
from tests.factories import logged_in_as

HEADER = (
    "rpps,family_name,given_name,specialty_code,phone,email,site_name,address_line,"
    "postal_code,city,insee_code,latitude,longitude,structure_id"
)
MARTIN = rpps_with_check_digit("1000000001")
LE_GALL = rpps_with_check_digit("1000000002")
ADELI = "351234567"  # a pharmacist, not a physician
FINESS = finess_with_check_digit("35000917")
SIRET = "73282932000074"

GOOD = f"""{HEADER}
{MARTIN},Martin,Anne,SM54,06 12 34 56 78,anne.martin@example.fr,Cabinet du Port,1 rue du Port,35600,Redon,35236,47.6514,-2.0843,{FINESS}
{MARTIN},Martin,Anne,SM54,06 12 34 56 78,anne.martin@example.fr,Maison de santé,2 place du Marché,35600,Redon,35236,47.65,-2.08,{SIRET}
{LE_GALL},Le Gall,Yann,SM54,+33 6 11 22 33 44,,Cabinet de Rieux,3 rue de Vannes,56350,Rieux,56194,47.5981,-2.1064,4{LE_GALL}01
{ADELI},Durand,Julie,G15_10,0698765432,julie.durand@example.fr,Pharmacie du Port,4 quai Duguay-Trouin,35600,Redon,35236,47.649,-2.085,
"""  # noqa: E501

BAD = f"""{HEADER}
{MARTIN},Martin,Anne,SM54,06 12 34 56 78,,Cabinet du Port,1 rue du Port,35600,Redon,35236,47.65,-2.08,
{MARTIN},Martin,Anne,SM54,06 98 76 54 32,,Maison de santé,2 place du Marché,35600,Redon,35236,47.65,-2.08,
{MARTIN},Martin,Anne,SM54,06 12 34 56 78,,Cabinet du Port,1 rue du Port,35600,Redon,35236,47.65,-2.08,
10000000018,Bernard,Paul,SM54,06 12 34 56 78,,Cabinet,1 rue,35600,Redon,35236,47.65,-2.08,
{ADELI},Petit,Marc,SM54,02 99 71 00 00,,Cabinet,1 rue,35600,Redon,35236,47.65,-2.08,
{LE_GALL},,Yann,SM54,06 11 22 33 44,yann@,Cabinet,1 rue,356,Rieux,3523,95,-2.1,350009170
{LE_GALL},Le Gall,Yann,SM54,06 11 22 33 44,,Annexe,1 rue,56350,Rieux,56194,47.6,-2.1,73282932000075
"""  # noqa: E501

BAD_ERRORS = [
    "line 3, column phone: diffère de la ligne 2 pour le même RPPS",
    "line 4, column site_name: site déjà présent ligne 2 pour ce RPPS",
    "line 5, column rpps: Le numéro RPPS est invalide (clé de contrôle incorrecte).",
    "line 6, column rpps: numéro ADELI refusé pour un médecin : RPPS attendu (11 chiffres)",
    "line 6, column phone: Un numéro de portable est attendu (pour les SMS).",
    "line 7, column family_name: valeur obligatoire",
    "line 7, column email: adresse e-mail invalide",
    "line 7, column postal_code: code postal attendu sur 5 chiffres",
    "line 7, column insee_code: code INSEE attendu sur 5 caractères (ex. 35236, 2A004)",
    "line 7, column latitude: latitude hors limites (-90 à 90)",
    "line 7, column structure_id: Le numéro FINESS est invalide (clé de contrôle incorrecte).",
    "line 8, column structure_id: numéro SIRET invalide (clé de contrôle incorrecte)",
]


async def count(session: AsyncSession, model: type[Effector] | type[Site]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# --- Checking the file -------------------------------------------------------------------------


def test_a_valid_file_gives_one_row_per_effector_and_site_in_canonical_form() -> None:
    rows = parse_effectors_csv(GOOD)
    assert [(r.national_id, r.national_id_kind, r.site.name) for r in rows] == [
        (MARTIN, "RPPS", "Cabinet du Port"),
        (MARTIN, "RPPS", "Maison de santé"),
        (LE_GALL, "RPPS", "Cabinet de Rieux"),
        (ADELI, "ADELI", "Pharmacie du Port"),
    ]
    assert rows[2].phone == "+33611223344"
    assert rows[2].email is None
    assert [r.site.structure_id for r in rows] == [
        "1" + FINESS,
        "3" + SIRET,
        f"4{LE_GALL}01",
        None,
    ]


def test_every_error_of_the_file_is_reported_with_its_line_and_column() -> None:
    with pytest.raises(CsvImportError) as caught:
        parse_effectors_csv(BAD)
    assert [str(e) for e in caught.value.errors] == BAD_ERRORS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (FINESS, "1" + FINESS),
        ("1" + FINESS, "1" + FINESS),
        (SIRET, "3" + SIRET),
        ("3" + SIRET, "3" + SIRET),
        (f"{MARTIN}01", f"4{MARTIN}01"),
        (f"4{MARTIN}01", f"4{MARTIN}01"),
    ],
)
def test_structure_ids_are_finess_siret_or_rpps_rang_stored_with_their_fhir_prefix(
    value: str, expected: str
) -> None:
    assert parse_structure_id(value) == expected


def test_an_unknown_structure_id_says_what_is_expected() -> None:
    with pytest.raises(ValueError, match="FINESS \\(9 caractères\\), SIRET \\(14 chiffres\\)"):
        parse_structure_id("12345")


# --- Command line ------------------------------------------------------------------------------


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, app: object) -> Iterator[CliRunner]:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


async def run_cli(runner: CliRunner, *args: str) -> tuple[int, list[str]]:
    # In a thread: the CLI runs its own event loop, as it does in a terminal.
    result = await asyncio.to_thread(runner.invoke, cli, list(args))
    return result.exit_code, result.output.splitlines()


async def test_the_cli_imports_a_valid_file_and_reimporting_it_changes_nothing(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    file = tmp_path / "effecteurs.csv"
    file.write_text(GOOD, encoding="utf-8")
    code, output = await run_cli(cli_env, "effectors", "import", str(file))
    assert code == 0, output
    assert output == [
        "Effecteurs : 3 créé(s), 0 modifié(s), 0 inchangé(s). "
        "Lieux : 4 créé(s), 0 modifié(s), 0 inchangé(s)."
    ]
    code, output = await run_cli(cli_env, "effectors", "import", str(file))
    assert output == [
        "Effecteurs : 0 créé(s), 0 modifié(s), 3 inchangé(s). "
        "Lieux : 0 créé(s), 0 modifié(s), 4 inchangé(s)."
    ]
    changed = GOOD.replace("+33 6 11 22 33 44", "06 11 22 33 55") + (
        f"{LE_GALL},Le Gall,Yann,SM54,06 11 22 33 55,,Annexe,5 rue,56350,Rieux,56194,47.6,-2.1,\n"
    )
    file.write_text(changed, encoding="utf-8")
    code, output = await run_cli(cli_env, "effectors", "import", str(file))
    assert output == [
        "Effecteurs : 0 créé(s), 1 modifié(s), 2 inchangé(s). "
        "Lieux : 1 créé(s), 0 modifié(s), 4 inchangé(s)."
    ]
    pharmacist = await session.scalar(select(Effector).where(Effector.national_id == ADELI))
    assert pharmacist is not None
    assert (pharmacist.national_id_kind, pharmacist.profession) == (
        "ADELI",
        "Professionnel de santé",
    )


async def test_the_cli_imports_nothing_when_one_row_is_wrong_and_prints_every_error(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    file = tmp_path / "effecteurs.csv"
    file.write_text(BAD, encoding="utf-8")
    code, output = await run_cli(cli_env, "effectors", "import", str(file))
    assert code == 1
    assert output == [*BAD_ERRORS, "12 erreur(s) : aucun effecteur importé."]
    assert await count(session, Effector) == 0


# --- Upload ------------------------------------------------------------------------------------


async def test_the_coordination_uploads_the_file_and_gets_the_report_or_every_error(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await logged_in_as(client, session, Role.COORDINATOR)
    refused = await client.post(
        "/api/agenda/effectors/import", files={"file": ("e.csv", BAD.encode(), "text/csv")}
    )
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert [d["msg"] for d in detail] == BAD_ERRORS
    assert detail[0]["loc"] == ["file", 3, "phone"]
    assert await count(session, Effector) == 0

    imported = await client.post(
        "/api/agenda/effectors/import", files={"file": ("e.csv", GOOD.encode(), "text/csv")}
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "sites_created": 4,
        "sites_updated": 0,
        "sites_unchanged": 0,
    }


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.EFFECTOR, Role.REGULATOR])
async def test_only_the_coordination_imports_the_directory(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await logged_in_as(client, session, role)
    response = await client.post(
        "/api/agenda/effectors/import", files={"file": ("e.csv", GOOD.encode(), "text/csv")}
    )
    assert response.status_code == 403


async def test_an_import_leaves_the_account_link_and_the_constraints_alone(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    effector.home_visits, effector.home_visit_radius_km = True, 12.0
    effector_id, rpps, user_id = effector.id, effector.national_id, user.id
    await session.commit()
    row = (
        f"{rpps},Martin,Anne,SM54,06 12 34 56 78,,Cabinet 1,1 rue du Port,"
        "35600,Redon,35236,47.6514,-2.0843,\n"
    )
    await logged_in_as(client, session, Role.COORDINATOR)
    response = await client.post(
        "/api/agenda/effectors/import",
        files={"file": ("e.csv", f"{HEADER}\n{row}".encode(), "text/csv")},
    )
    assert response.json()["updated"] == 1
    session.expire_all()
    updated = await session.get(Effector, effector_id)
    assert updated is not None
    assert (updated.family_name, updated.user_id, updated.home_visits) == ("Martin", user_id, True)
