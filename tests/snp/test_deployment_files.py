"""docker-compose.yml and the Dockerfile agree with the settings (no Docker engine here to run
them, so they are checked as data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from snp.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_compose_has_postgres_16_and_the_app_waiting_for_it() -> None:
    services = compose()["services"]
    assert set(services) == {"db", "app"}
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


def test_compose_ports_match_the_app_port_and_migrations_run_at_start() -> None:
    app = compose()["services"]["app"]
    port = int(app["environment"]["SNP_PORT"])
    assert f"{port}:{port}" in app["ports"]
    assert "snp db upgrade" in " ".join(app["command"])
    assert app["environment"]["SNP_HOST"] == "0.0.0.0"  # noqa: S104 - inside the container


def test_the_dockerfile_builds_the_ui_and_migrates_before_serving() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "npm run build" in dockerfile
    assert "EXPOSE 8000" in dockerfile
    assert "snp db upgrade && snp serve" in dockerfile
    for package in ("snp/", "agenda/", "regulation/", "notifications/"):
        assert f"COPY {package} {package}" in dockerfile
