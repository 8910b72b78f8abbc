"""`snp indicators ...`: the indicators' commands, mounted by `composition.cli`."""

from __future__ import annotations

import typer

from indicators.rebuild import rebuild
from snp.command_line import run_in_session, settings_of, sub_app

indicators_app = sub_app("Indicateurs (modèle de lecture, tableaux de bord).")


@indicators_app.command("rebuild")
def rebuild_command(ctx: typer.Context) -> None:
    """Recalcule tout le modèle de lecture des indicateurs depuis les demandes, les rendez-vous
    et les créneaux (reproductibilité : aucun chiffre saisi à la main)."""

    report = run_in_session(settings_of(ctx), rebuild)
    typer.echo(
        f"Indicateurs recalculés : {report.requests} demandes, {report.appointments} "
        f"rendez-vous, {report.supply_cells} cases d'offre de créneaux."
    )
