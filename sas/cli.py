"""`snp sas …` commands (mounted by the composition root)."""

from __future__ import annotations

from typing import Annotated

import typer

from sas.check import check_platform
from snp.command_line import settings_of, sub_app

sas_app = sub_app("Interface avec la plateforme nationale SAS.")


@sas_app.command("check")
def check(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(help="Adresse FHIR de la plateforme (défaut : SNP_SAS_PLATFORM_URL)."),
    ] = None,
) -> None:
    """Tester la liaison avec la plateforme SAS : TLS, certificats, réponse HTTP."""
    report = check_platform(settings_of(ctx), url)
    for line in report.lines:
        typer.echo(line)
    if not report.ok:
        raise typer.Exit(1)
    typer.echo("La liaison avec la plateforme SAS fonctionne.")
