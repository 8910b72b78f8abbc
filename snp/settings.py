"""One settings class for the whole platform; every field is an `SNP_` environment variable.

The README's configuration table is generated from this class (`python -m snp.settings`), and a
test fails when the two differ, so add a `description` to every new field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SNP_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/snp.db",
        description="SQLAlchemy async URL: SQLite (aiosqlite) by default, "
        "`postgresql+asyncpg://user:pass@host/db` in production.",
    )
    database_pool_size: int = Field(
        default=10, ge=1, description="Connection pool size (PostgreSQL only)."
    )
    host: str = Field(default="127.0.0.1", description="Address `snp serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `snp serve` listens on.")
    frontend_dist: Path = Field(
        default=ROOT / "frontend" / "dist",
        description="Built web UI served at `/` (made by `make run`/`npm run build`).",
    )
    session_idle_minutes: int = Field(
        default=480, ge=5, description="A login session expires after this much inactivity."
    )
    session_max_hours: int = Field(
        default=12,
        ge=1,
        description="A login session ends this long after login, even when active.",
    )
    cookie_secure: bool = Field(
        default=False,
        description="Mark cookies `Secure` (set to true behind HTTPS in production).",
    )
    login_slowdown_after: int = Field(
        default=3, ge=1, description="Failed logins for one e-mail before answers are slowed."
    )
    login_slowdown_seconds: float = Field(
        default=1.0, ge=0, description="Extra delay per failed login beyond the slowdown threshold."
    )
    login_lock_after: int = Field(
        default=8, ge=2, description="Failed logins for one e-mail before it is locked."
    )
    login_lock_minutes: int = Field(
        default=15, ge=1, description="How long a locked e-mail stays locked."
    )
    scheduler_enabled: bool = Field(
        default=True, description="Start the job scheduler with the app (off for one-off CLIs)."
    )
    log_level: str = Field(default="INFO", description="Python logging level.")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def settings_table() -> str:
    """Markdown table of every setting, used to keep the README honest."""
    lines = ["| Variable | Default | Description |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Path):
            default = default.relative_to(ROOT) if default.is_relative_to(ROOT) else default
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        lines.append(f"| `SNP_{name.upper()}` | `{shown}` | {field.description} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(settings_table())
