"""The `snp` command speaks French, tells its version, and reports every failure as one French
line on stderr with a non-zero exit status, never a traceback."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import typer.main

from composition.cli import app, run
from snp.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def snp(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = run(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = snp(capsys, "--version")
    assert status == 0
    assert out == f"snp {version('snp')}\n"


def test_an_unreachable_database_is_one_french_line_and_a_failure(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNP_DATABASE_URL", f"postgresql+asyncpg://snp@127.0.0.1:{unused_port()}/x")
    status, out, err = snp(capsys, "db", "upgrade")
    assert status == 1
    assert out == ""
    assert err.startswith("Base de données injoignable : ")
    assert err.count("\n") == 1


def test_the_installed_command_prints_no_traceback() -> None:
    environment = {
        **os.environ,
        "SNP_DATABASE_URL": f"postgresql+asyncpg://snp@127.0.0.1:{unused_port()}/x",
    }
    done = subprocess.run(
        [sys.executable, "-m", "composition.cli", "user", "add", "--role", "operator",
         "--email", "a@example.fr"],
        capture_output=True, text=True, env=environment, cwd=ROOT, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Base de données injoignable : ")
    assert done.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nope"], "Commande inconnue : « nope ». Voir « snp --help »."),
        (["user", "add", "--email", "a@example.fr"], "Paramètre obligatoire manquant : --role."),
        (
            ["user", "add", "--role", "chef", "--email", "a@example.fr"],
            "Valeur invalide pour --role : « chef » n'est pas une valeur possible",
        ),
        (["serve", "--port", "huit"], "Valeur invalide pour --port : doit être un nombre."),
        (["territory", "import", "communes", "/nulle/part.csv"], "Fichier introuvable"),
        (["db", "upgrade", "maintenant"], "Argument en trop : maintenant."),
    ],
)
def test_a_wrong_command_line_is_one_french_line_and_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    status, out, err = snp(capsys, *args)
    assert status == 2
    assert out == ""
    assert expected in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SNP_PORT", "huit", "Configuration invalide : SNP_PORT : Doit être un nombre entier."),
        ("SNP_DATABASE_URL", "n'importe quoi", "Adresse de base de données invalide"),
    ],
)
def test_a_broken_configuration_is_one_french_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    expected: str,
) -> None:
    monkeypatch.setenv(variable, value)
    status, _, err = snp(capsys, "db", "upgrade")
    assert status == 1
    assert err.startswith(expected)
    assert err.count("\n") == 1


async def test_a_refused_operation_prints_the_domain_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str, app: Any
) -> None:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    first = ["user", "add", "--role", "operator", "--email", "deux.fois@example.fr"]
    assert await _in_thread(first) == 0
    capsys.readouterr()
    assert await _in_thread(first) == 1
    assert capsys.readouterr().err == "Un compte existe déjà avec cette adresse e-mail.\n"


async def _in_thread(args: list[str]) -> int:
    # The command runs its own event loop, as in a terminal.
    return await asyncio.to_thread(run, args)


ENGLISH = re.compile(
    r"\b(the|and|from|this|show|message|exit|create|print|load|apply|commands|account)\b",
    re.IGNORECASE,
)


def command_paths() -> list[list[str]]:
    paths: list[list[str]] = []
    pending: list[tuple[list[str], Any]] = [([], typer.main.get_command(app))]
    while pending:
        path, command = pending.pop()
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            pending.append(([*path, name], sub))
    return sorted(paths)


def test_every_help_text_is_in_french(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    paths = command_paths()
    assert ["user", "reset-link"] in paths
    assert ["indicators", "rebuild"] in paths
    for path in paths:
        status, out, _ = snp(capsys, *path, "--help")
        assert status == 0
        body = out.split("\n", 3)[-1]  # past the "Usage:" line
        assert "Afficher cette aide et quitter." in body
        assert ENGLISH.findall(body) == [], path
