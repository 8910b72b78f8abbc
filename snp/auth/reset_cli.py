"""`snp user reset-link EMAIL`: a one-time password reset link, printed for the coordinator
to hand over (accounts created by the SAS platform start with a random password).
`snp user reset-mfa EMAIL`: remove an account's second factor (a coordinator who lost both
their phone and their recovery codes, when no other coordinator can do it from the UI)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from snp.actor import Actor
from snp.auth import mfa, reset, service
from snp.command_line import run_in_session, settings_of
from snp.errors import DomainError, NotFound


def reset_link(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="Adresse e-mail du compte.")]
) -> None:
    """Affiche un lien à usage unique pour choisir un nouveau mot de passe (les liens précédents
    ne fonctionnent plus)."""
    settings = settings_of(ctx)

    async def work(session: AsyncSession) -> reset.ResetLink:
        return await reset.issue_link(session, Actor.system("cli"), settings, email=email)

    try:
        link = run_in_session(settings, work)
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


def reset_mfa(
    ctx: typer.Context, email: Annotated[str, typer.Argument(help="Adresse e-mail du compte.")]
) -> None:
    """Réinitialise la double authentification d'un compte (téléphone et codes de secours
    perdus) : ses sessions sont fermées, il en configure une nouvelle à sa prochaine connexion."""
    settings = settings_of(ctx)

    async def work(session: AsyncSession) -> str:
        user = await service.get_user_by_email(session, email)
        if user is None:
            raise NotFound(f"Aucun compte avec l'adresse « {email} ».")
        await mfa.reset(session, Actor.system("cli"), user.id)
        return user.email

    try:
        done = run_in_session(settings, work)
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Double authentification de {done} réinitialisée : nouvelle configuration à la "
        "prochaine connexion."
    )


def register(user_app: typer.Typer) -> None:
    user_app.command("reset-link")(reset_link)
    user_app.command("reset-mfa")(reset_mfa)
