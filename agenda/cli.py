"""`snp effectors ...` and `snp slots ...`: the agenda's commands, mounted by `composition.cli`."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.schemas_supply import EffectorImportReport, IcsImportReport
from agenda.service import effector_import, ics
from snp.actor import Actor
from snp.csv_import import decode, error_lines
from snp.db import Database
from snp.errors import DomainError
from snp.settings import get_settings

effectors_app = typer.Typer(
    help="Annuaire des effecteurs.", no_args_is_help=True, pretty_exceptions_enable=False
)
slots_app = typer.Typer(
    help="Créneaux SNP des effecteurs.", no_args_is_help=True, pretty_exceptions_enable=False
)

T = TypeVar("T")


def _run(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One transaction for the command, committed only when it succeeds. (Not `composition.cli`'s
    helper: `composition.cli` imports this module to mount it.)"""

    async def main() -> T:
        database = Database(get_settings().database_url)
        try:
            async with database.transaction() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(main())


@effectors_app.command("import")
def import_effectors(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
) -> None:
    """Import effectors and their sites from CSV (one row per effector and site):
    rpps,family_name,given_name,specialty_code,phone,email,site_name,address_line,
    postal_code,city,insee_code,latitude,longitude,structure_id."""
    try:
        text = decode(file.read_bytes())
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    actor = Actor.system("cli")
    try:
        report: EffectorImportReport = _run(
            lambda s: effector_import.import_effectors_csv(s, actor, text)
        )
    except effector_import.EffectorImportRejected as exc:
        for line in error_lines(exc.errors):
            typer.echo(line, err=True)
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Effecteurs : {report.created} créé(s), {report.updated} modifié(s), "
        f"{report.unchanged} inchangé(s). Lieux : {report.sites_created} créé(s), "
        f"{report.sites_updated} modifié(s), {report.sites_unchanged} inchangé(s)."
    )


@slots_app.command("import")
def import_slots(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    rpps: Annotated[str, typer.Option(help="RPPS (ou ADELI) de l'effecteur.")],
    site: Annotated[
        str | None,
        typer.Option(help="Nom du lieu dans l'annuaire (facultatif si l'effecteur n'en a qu'un)."),
    ] = None,
) -> None:
    """Import SNP availability from an ICS calendar (events marked with the keyword)."""
    settings = get_settings()
    options = ics.IcsOptions.from_settings(settings)
    data = file.read_bytes()
    actor = Actor.system("cli")

    async def work(session: AsyncSession) -> IcsImportReport:
        effector = await ics.effector_by_national_id(session, rpps)
        return await ics.import_ics_upload(
            session, actor, data, options=options, effector_id=effector.id, site_name=site
        )

    try:
        report = _run(work)
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Calendrier lu : {report.events} disponibilité(s) SNP, {report.slots} créneau(x). "
        f"{report.created} créé(s), {report.unchanged} déjà présent(s), "
        f"{report.removed} retiré(s), {report.skipped} ignoré(s) (chevauchement ou absence)."
    )
