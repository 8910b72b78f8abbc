"""`snp user reset-link EMAIL`: a one-time password reset link, printed for the coordinator
to hand over (accounts created by the SAS platform start with a random password)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from snp.actor import Actor
from snp.auth import reset
from snp.db import Database
from snp.errors import DomainError
from snp.settings import get_settings


def reset_link(email: Annotated[str, typer.Argument(help="Adresse e-mail du compte.")]) -> None:
    """Print a one-time link to choose a new password (older links stop working)."""
    settings = get_settings()

    async def main() -> reset.ResetLink:
        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                return await reset.issue_link(session, Actor.system("cli"), settings, email=email)
        finally:
            await database.dispose()

    try:
        link = asyncio.run(main())
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Lien de réinitialisation pour {link.email} (valable jusqu'au "
        f"{link.expires_at:%d/%m/%Y %H:%M} UTC, une seule fois) :"
    )
    typer.echo(link.url)
    if not settings.public_base_url:
        typer.echo(
            "(SNP_PUBLIC_BASE_URL n'est pas défini : complétez le lien avec l'adresse du site.)",
            err=True,
        )


def register(user_app: typer.Typer) -> None:
    user_app.command("reset-link")(reset_link)
