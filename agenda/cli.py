"""`snp effectors ...` and `snp slots ...`: the agenda's commands, mounted by `composition.cli`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import EffectorImportRejected
from agenda.schemas_supply import AnnuairePreview, EffectorImportReport, IcsImportReport
from agenda.service import annuaire, annuaire_jobs, effector_import, ics
from snp.actor import Actor
from snp.command_line import run_in_session, run_with_database, settings_of, sub_app
from snp.csv_import import error_lines, open_text
from snp.db import Database
from snp.errors import DomainError

effectors_app = sub_app("Annuaire des effecteurs.")
slots_app = sub_app("Créneaux SNP des effecteurs.")


@effectors_app.command("import")
def import_effectors(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Fichier CSV à importer."),
    ],
) -> None:
    """Importe les effecteurs et leurs lieux depuis un CSV (une ligne par effecteur et lieu) :
    rpps,family_name,given_name,specialty_code,phone,email,site_name,address_line,
    postal_code,city,insee_code,latitude,longitude,structure_id."""
    actor = Actor.system("cli")

    async def work(session: AsyncSession) -> EffectorImportReport:
        # Streamed: read row by row, written by batches, errors summarised (any file size).
        with open_text(file) as stream:
            return await effector_import.import_effectors_stream(session, actor, stream)

    try:
        report = run_in_session(settings_of(ctx), work)
    except EffectorImportRejected as exc:
        for line in error_lines(exc.errors, exc.count, exc.kinds):
            typer.echo(line, err=True)
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Effecteurs : {report.created} créé(s), {report.updated} modifié(s), "
        f"{report.unchanged} inchangé(s). Lieux : {report.sites_created} créé(s), "
        f"{report.sites_updated} modifié(s), {report.sites_unchanged} inchangé(s)."
    )


@effectors_app.command("import-annuaire")
def import_annuaire(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            help="Extraction PS_LibreAcces_Personne_activite_*.txt de l'Annuaire Santé.",
        ),
    ],
    preview: Annotated[
        bool, typer.Option("--preview", help="Afficher ce qui changerait, sans rien écrire.")
    ] = False,
    professions: Annotated[
        str, typer.Option(help="Professions gardées : gp, nurse, pharmacist (virgules).")
    ] = "gp",
) -> None:
    """Importe les médecins généralistes (et, en option, infirmiers et pharmaciens) exerçant dans
    les communes du territoire depuis l'extraction publique de l'Annuaire Santé (lue en flux)."""
    try:
        kept = annuaire.parse_professions(professions)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    settings = settings_of(ctx)
    actor = Actor.system("cli")

    async def work(database: Database) -> AnnuairePreview:
        async def progress(p: annuaire_jobs.Progress) -> None:
            typer.echo(f"… {p.lines} lignes lues ({p.bytes_read // 1_000_000} Mo)", err=True)

        result, territory = await annuaire_jobs.read_file(
            database.sessionmaker, file, kept, progress
        )
        async with database.transaction() as session:
            report = await annuaire.preview_annuaire(session, result, kept)
        if not preview:
            counts = await annuaire_jobs.apply_people(database, actor, result, territory)
            typer.echo(
                f"Appliqué : {counts.created} effecteur(s) créé(s), {counts.updated} modifié(s), "
                f"{counts.unchanged} inchangé(s) ; lieux : {counts.sites_created} créé(s), "
                f"{counts.sites_updated} modifié(s)."
            )
        return report

    try:
        report = run_with_database(settings, work)
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    verb = "seraient" if preview else "ont été"
    typer.echo(
        f"{report.lines_read} lignes lues, {report.lines_kept} gardées (territoire et "
        f"professions). {report.added_count} {verb} ajouté(s), {report.changed_count} {verb} "
        f"modifié(s), {report.unchanged_count} inchangé(s), {report.left_count} dans "
        "l'annuaire mais pas dans le fichier (laissés tels quels)."
    )
    for line in report.rejected:
        typer.echo(f"Ligne écartée : {line}", err=True)
    if report.rejected_count > len(report.rejected):
        for kind, n in report.rejected_kinds.items():
            typer.echo(f"  {n} × {kind}", err=True)


@slots_app.command("import")
def import_slots(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Calendrier ICS à lire."),
    ],
    rpps: Annotated[str, typer.Option(help="RPPS (ou ADELI) de l'effecteur.")],
    site: Annotated[
        str | None,
        typer.Option(help="Nom du lieu dans l'annuaire (facultatif si l'effecteur n'en a qu'un)."),
    ] = None,
) -> None:
    """Importe les disponibilités SNP d'un calendrier ICS (événements portant le mot-clé)."""
    settings = settings_of(ctx)
    options = ics.IcsOptions.from_settings(settings)
    data = file.read_bytes()
    actor = Actor.system("cli")

    async def work(session: AsyncSession) -> IcsImportReport:
        effector = await ics.effector_by_national_id(session, rpps)
        return await ics.import_ics_upload(
            session, actor, data, options=options, effector_id=effector.id, site_name=site
        )

    try:
        report = run_in_session(settings, work)
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Calendrier lu : {report.events} disponibilité(s) SNP, {report.slots} créneau(x). "
        f"{report.created} créé(s), {report.unchanged} déjà présent(s), "
        f"{report.removed} retiré(s), {report.skipped} ignoré(s) (chevauchement ou absence)."
    )
