"""docker-compose.yml and the Dockerfile agree with the settings (no Docker engine here to run
them, so they are checked as data)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sqlalchemy.engine import make_url

from snp.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_compose_has_postgres_16_and_the_app_waiting_for_it() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "app", "proxy"}
    assert services["db"]["image"] == "postgres:16"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["app"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "/healthz" in " ".join(services["app"]["healthcheck"]["test"])


def test_compose_environment_uses_only_real_settings() -> None:
    environment = compose()["services"]["app"]["environment"]
    known = {f"SNP_{name.upper()}" for name in Settings.model_fields}
    assert set(environment) <= known
    Settings(**{k.removeprefix("SNP_").lower(): v for k, v in environment.items()})


def test_compose_database_url_matches_the_postgres_service() -> None:
    services = compose()["services"]
    url = make_url(services["app"]["environment"]["SNP_DATABASE_URL"])
    db_env = services["db"]["environment"]
    assert url.drivername == "postgresql+asyncpg"
    assert (url.host, url.port) == ("db", 5432)
    assert (url.username, url.password, url.database) == (
        db_env["POSTGRES_USER"],
        db_env["POSTGRES_PASSWORD"],
        db_env["POSTGRES_DB"],
    )


def test_compose_publishes_only_the_proxy_and_migrations_run_at_start() -> None:
    services = compose()["services"]
    app = services["app"]
    port = int(app["environment"]["SNP_PORT"])
    assert "ports" not in app  # reachable on the internal network only (issue 20, point 4)
    assert str(port) in app["expose"]
    assert "443:443" in services["proxy"]["ports"]
    assert services["proxy"]["environment"]["SNP_UPSTREAM"].endswith(f":{port}")
    assert "snp db upgrade" in " ".join(app["command"])
    assert app["environment"]["SNP_HOST"] == "0.0.0.0"  # noqa: S104 - inside the container


def test_the_dockerfile_builds_the_ui_and_migrates_before_serving() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "npm run build" in dockerfile
    assert "EXPOSE 8000" in dockerfile
    assert "snp db upgrade && snp serve" in dockerfile
    for package in ("snp/", "agenda/", "regulation/", "notifications/", "rights/"):
        assert f"COPY {package} {package}" in dockerfile


def pyproject() -> dict[str, Any]:
    data: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return data


def declared(extra: str | None) -> list[Requirement]:
    project = pyproject()["project"]
    raw = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(line) for line in raw]


def locked(lock_file: str) -> dict[str, str]:
    """name -> version pinned in a lock file; every pin carries at least one hash."""
    text = (ROOT / lock_file).read_text()
    pins: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^ \\;]+)", block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} is locked without a hash"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def test_every_dependency_has_a_lower_and_an_upper_bound() -> None:
    build = [Requirement(line) for line in pyproject()["build-system"]["requires"]]
    for requirement in [*declared(None), *declared("dev"), *build]:
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators, f"{requirement.name} has no lower bound"
        assert "<" in operators, f"{requirement.name} has no upper bound"


@pytest.mark.parametrize(
    ("lock_file", "extras"),
    [("requirements.lock", [None]), ("requirements-dev.lock", [None, "dev"])],
)
def test_the_lock_files_pin_every_dependency_within_its_bounds(
    lock_file: str, extras: list[str | None]
) -> None:
    pins = locked(lock_file)
    for extra in extras:
        for requirement in declared(extra):
            name = canonicalize_name(requirement.name)
            assert name in pins, f"{requirement.name} missing from {lock_file}"
            assert requirement.specifier.contains(pins[name], prereleases=True)
    runtime = locked("requirements.lock")
    assert {name: pins[name] for name in runtime} == runtime  # dev adds, never moves, a pin


def test_make_and_the_image_install_from_the_lock_files() -> None:
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
    assert "pip install --quiet --no-deps -e ." in makefile
    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-cache-dir --no-deps ." in dockerfile
    assert dockerfile.index("requirements.lock") < dockerfile.index("--no-deps")


def test_the_image_builds_the_ui_on_a_supported_node_without_host_modules() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM node:22-" in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".venv", "**/node_modules", "var", "frontend/dist", ".git", "**/__pycache__"):
        assert entry in ignored
    frontend_ignored = (ROOT / "frontend" / ".dockerignore").read_text().split()
    assert {"node_modules", "dist"} <= set(frontend_ignored)
