"""The `snp` command (composition root for the command line)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Annotated, TypeVar

import typer
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import cli as agenda_cli
from composition import demo, migrate
from indicators.cli import indicators_app
from snp import audit_archive, territory
from snp.actor import Actor
from snp.auth import reset_cli
from snp.auth import service as auth_service
from snp.auth.roles import ROLE_LABELS, Role
from snp.csv_import import CsvImportError, decode, error_lines
from snp.db import Database, utcnow
from snp.errors import DomainError
from snp.settings import get_settings

app = typer.Typer(
    help="Plateforme SNP : soins non programmés de la CPTS.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Base de données.", no_args_is_help=True, pretty_exceptions_enable=False)
user_app = typer.Typer(
    help="Comptes utilisateurs.", no_args_is_help=True, pretty_exceptions_enable=False
)
territory_app = typer.Typer(
    help="Territoire de la CPTS.", no_args_is_help=True, pretty_exceptions_enable=False
)
territory_import_app = typer.Typer(
    help="Imports du territoire.", no_args_is_help=True, pretty_exceptions_enable=False
)
audit_app = typer.Typer(
    help="Journal d'audit : archive chaînée.", no_args_is_help=True, pretty_exceptions_enable=False
)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(territory_app, name="territory")
territory_app.add_typer(territory_import_app, name="import")
app.add_typer(agenda_cli.effectors_app, name="effectors")
app.add_typer(agenda_cli.slots_app, name="slots")
app.add_typer(indicators_app, name="indicators")
reset_cli.register(user_app)  # snp user reset-link EMAIL

T = TypeVar("T")


def run_in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One transaction for one CLI command, committed only when it succeeds."""

    async def main() -> T:
        database = Database(get_settings().database_url)
        try:
            async with database.transaction() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(main())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Adresse d'écoute.")] = None,
    port: Annotated[int | None, typer.Option(help="Port d'écoute.")] = None,
) -> None:
    """Serve the API and the web UI."""
    settings = get_settings()
    uvicorn.run(
        "composition.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        proxy_headers=True,
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration."""
    migrate.upgrade(get_settings().database_url)
    typer.echo("Base de données à jour.")


@app.command("demo")
def load_demo() -> None:
    """Load (or refresh) the demo territory and its accounts."""
    accounts = run_in_session(demo.load)
    typer.echo(f"Territoire de démonstration chargé : {demo.CPTS_NAME}.")
    typer.echo(f"Comptes de démonstration (mot de passe : {demo.DEMO_PASSWORD}) :")
    for role, account in accounts.items():
        typer.echo(f"  {ROLE_LABELS[role]:<40} {account.email}")


@user_app.command("add")
def user_add(
    role: Annotated[Role, typer.Option(help="Rôle du compte.", case_sensitive=False)],
    email: Annotated[str, typer.Option(help="Adresse e-mail (identifiant).")],
    name: Annotated[str | None, typer.Option(help="Nom affiché.")] = None,
    password: Annotated[
        str | None, typer.Option(help="Mot de passe (généré et affiché si absent).")
    ] = None,
) -> None:
    """Create an account."""
    chosen = password or secrets.token_urlsafe(12)
    if len(chosen) < 10:
        typer.echo("Le mot de passe doit comporter au moins 10 caractères.", err=True)
        raise typer.Exit(2)

    async def work(session: AsyncSession) -> None:
        await auth_service.create_user(
            session,
            Actor.system("cli"),
            email=email,
            full_name=name or email,
            role=role,
            password=chosen,
        )

    try:
        run_in_session(work)
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Compte créé : {email} ({ROLE_LABELS[role]}).")
    if password is None:
        typer.echo(f"Mot de passe généré : {chosen}")


@territory_import_app.command("communes")
def import_communes(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import communes from CSV: insee_code,name,postal_code,latitude,longitude."""
    try:
        text = decode(file.read_bytes())
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    try:
        report = run_in_session(lambda s: territory.import_communes_csv(s, text))
    except CsvImportError as exc:
        for line in error_lines(exc.errors):
            typer.echo(line, err=True)
        typer.echo(f"{len(exc.errors)} erreur(s) : aucune commune importée.", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Communes importées : {report.created} créée(s), {report.updated} modifiée(s), "
        f"{report.unchanged} inchangée(s)."
    )


@audit_app.command("archive")
def audit_archive_command(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Fichier d'archive (ajout seul).")],
    older_than_days: Annotated[int, typer.Option(min=1, help="Entrées plus anciennes que.")] = 365,
) -> None:
    """Move audit entries older than N days to the hash-chained archive file."""
    before = utcnow() - timedelta(days=older_than_days)
    total = 0
    while moved := run_in_session(lambda s: audit_archive.archive(s, file, before)):
        total += moved
    typer.echo(f"{total} entrée(s) archivée(s) dans {file}.")


@audit_app.command("verify")
def audit_verify_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Check that no line of the archive was changed, removed or reordered."""
    result = audit_archive.verify(file)
    if result.broken_at is not None:
        typer.echo(f"Chaîne rompue à la ligne {result.broken_at} : archive altérée.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Archive intacte : {result.lines} entrée(s).")


def main() -> None:
    app(prog_name="snp")


if __name__ == "__main__":
    main()
