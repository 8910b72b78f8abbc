"""`snp indicators ...`: the indicators' commands, mounted by `composition.cli`."""

from __future__ import annotations

import asyncio

import typer

from indicators.rebuild import RebuildReport, rebuild
from snp.db import Database
from snp.settings import get_settings

indicators_app = typer.Typer(
    help="Indicateurs (modèle de lecture, tableaux de bord).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@indicators_app.command("rebuild")
def rebuild_command() -> None:
    """Recalcule tout le modèle de lecture des indicateurs depuis les demandes, les rendez-vous
    et les créneaux (reproductibilité : aucun chiffre saisi à la main)."""

    async def main() -> RebuildReport:
        database = Database(get_settings().database_url)
        try:
            async with database.transaction() as session:
                return await rebuild(session)
        finally:
            await database.dispose()

    report = asyncio.run(main())
    typer.echo(
        f"Indicateurs recalculés : {report.requests} demandes, {report.appointments} "
        f"rendez-vous, {report.supply_cells} cases d'offre de créneaux."
    )
