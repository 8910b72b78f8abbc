"""The `snp` command (composition root for the command line).

The root reads the settings once and puts them on the command's context, where every
sub-command finds them (`snp.command_line.settings_of`). `main()` turns every failure into one
French line on stderr and a non-zero exit status: no traceback reaches the user.
"""

from __future__ import annotations

import errno
import re
import secrets
import socket
import sys
from collections.abc import Sequence
from datetime import timedelta
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any

import pydantic
import sqlalchemy.exc
import typer
import typer.main
import typer.rich_utils
import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

import composition.handlers  # noqa: F401  (the same event handlers as the web app)
from agenda import cli as agenda_cli
from composition import demo, migrate
from indicators.cli import indicators_app
from sas.cli import sas_app
from snp import audit_archive, territory
from snp.actor import Actor
from snp.auth import ROLE_LABELS, Invitation, Role, create_account, invite_account, reset_cli
from snp.command_line import HELP_OPTION, run_in_session, settings_of, sub_app
from snp.csv_import import CsvRejected, error_lines
from snp.db import utcnow
from snp.errors import DomainError, french_message
from snp.settings import get_settings

app = typer.Typer(
    help="Plateforme SNP : soins non programmés de la CPTS.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = sub_app("Base de données.")
user_app = sub_app("Comptes utilisateurs.")
territory_app = sub_app("Territoire de la CPTS.")
territory_import_app = sub_app("Imports du territoire.")
cpts_app = sub_app("Identité de la CPTS (nom, FINESS, téléphone, adresse).")
audit_app = sub_app("Journal d'audit : archive chaînée.")
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(territory_app, name="territory")
app.add_typer(cpts_app, name="cpts")
territory_app.add_typer(territory_import_app, name="import")
app.add_typer(agenda_cli.effectors_app, name="effectors")
app.add_typer(agenda_cli.slots_app, name="slots")
app.add_typer(indicators_app, name="indicators")
app.add_typer(sas_app, name="sas")
reset_cli.register(user_app)  # snp user reset-link EMAIL


def snp_version() -> str:
    try:
        return package_version("snp")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "inconnue"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"snp {snp_version()}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Afficher la version et quitter.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """Plateforme SNP : soins non programmés de la CPTS."""
    ctx.obj = get_settings()


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Adresse d'écoute.")] = None,
    port: Annotated[int | None, typer.Option(help="Port d'écoute.")] = None,
) -> None:
    """Sert l'API et l'interface web."""
    settings = settings_of(ctx)
    uvicorn.run(
        "composition.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_config=None,
        proxy_headers=True,
    )


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Applique toutes les migrations en attente."""
    migrate.upgrade(settings_of(ctx).database_url)
    typer.echo("Base de données à jour.")


@app.command("demo")
def load_demo(ctx: typer.Context) -> None:
    """Charge (ou rafraîchit) le territoire de démonstration et ses comptes."""
    settings = settings_of(ctx)
    accounts = run_in_session(settings, lambda session: demo.load(session, settings))
    typer.echo(f"Territoire de démonstration chargé : {demo.CPTS_NAME}.")
    typer.echo(f"Comptes de démonstration (mot de passe : {demo.DEMO_PASSWORD}) :")
    for role, account in accounts.items():
        typer.echo(f"  {ROLE_LABELS[role]:<40} {account.email}")


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    role: Annotated[Role, typer.Option(help="Rôle du compte.", case_sensitive=False)],
    email: Annotated[str, typer.Option(help="Adresse e-mail (identifiant).")],
    name: Annotated[str | None, typer.Option(help="Nom affiché.")] = None,
    password: Annotated[
        str | None, typer.Option(help="Mot de passe (généré et affiché si absent).")
    ] = None,
) -> None:
    """Crée un compte (mêmes règles que l'interface ; un compte effecteur dont l'e-mail est
    celui d'une fiche de l'annuaire y est rattaché)."""
    chosen = password if password is not None else secrets.token_urlsafe(12)

    async def work(session: AsyncSession) -> str:
        account = await create_account(
            session,
            Actor.system("cli"),
            email=email,
            full_name=name or email,
            role=role,
            password=chosen,
        )
        return account.email

    created = run_in_session(settings_of(ctx), work)
    typer.echo(f"Compte créé : {created} ({ROLE_LABELS[role]}).")
    if password is None:
        typer.echo(f"Mot de passe généré : {chosen}")


@user_app.command("invite")
def user_invite(
    ctx: typer.Context,
    role: Annotated[Role, typer.Option(help="Rôle du compte.", case_sensitive=False)],
    email: Annotated[str, typer.Option(help="Adresse e-mail (identifiant).")],
    name: Annotated[str, typer.Option(help="Nom affiché.")],
) -> None:
    """Crée un compte et envoie par e-mail un lien à usage unique pour choisir le mot de passe
    (mêmes règles que la page « Utilisateurs »)."""
    settings = settings_of(ctx)

    async def work(session: AsyncSession) -> Invitation:
        return await invite_account(
            session, Actor.system("cli"), settings, email=email, full_name=name, role=role
        )

    found = run_in_session(settings, work)
    typer.echo(
        f"Invitation envoyée à {found.email} ({ROLE_LABELS[role]}), valable jusqu'au "
        f"{found.expires_at:%d/%m/%Y %H:%M} UTC."
    )


@cpts_app.command("set")
def cpts_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="Nom de la CPTS.")],
    finess: Annotated[str, typer.Option(help="Numéro FINESS (9 caractères, clé de contrôle).")],
    phone: Annotated[str, typer.Option(help="Téléphone de la CPTS.")],
    address: Annotated[str | None, typer.Option(help="Adresse postale.")] = None,
) -> None:
    """Enregistre l'identité de la CPTS (la relancer la met à jour)."""

    async def work(session: AsyncSession) -> territory.CptsOut:
        await territory.set_cpts(
            session,
            name=name,
            finess=finess,
            phone=phone,
            address=address,
            actor=Actor.system("cli"),
        )
        cpts = await territory.get_cpts(session)
        assert cpts is not None
        return cpts

    cpts = run_in_session(settings_of(ctx), work)
    typer.echo(f"CPTS enregistrée : {cpts.name} (FINESS {cpts.finess}, {cpts.phone_display}).")


@cpts_app.command("info")
def cpts_info(ctx: typer.Context) -> None:
    """Affiche l'identité de la CPTS."""
    cpts = run_in_session(settings_of(ctx), territory.get_cpts)
    if cpts is None:
        typer.echo("Identité de la CPTS non renseignée (snp cpts set --help).", err=True)
        raise typer.Exit(1)
    typer.echo(f"{cpts.name}\nFINESS : {cpts.finess}\nTéléphone : {cpts.phone_display}")
    if cpts.address:
        typer.echo(f"Adresse : {cpts.address}")


def _communes(
    ctx: typer.Context, file: Path, keep: str | None, preview: bool
) -> territory.CommunesPreview:
    actor = Actor.system("cli")

    async def work(session: AsyncSession) -> territory.CommunesPreview:
        with file.open("rb") as raw:
            return await territory.import_communes_file(
                session, actor, raw, keep=keep, apply=not preview
            )

    try:
        return run_in_session(settings_of(ctx), work)
    except CsvRejected as exc:
        for line in error_lines(exc.errors, exc.count, exc.kinds):
            typer.echo(line, err=True)
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None
    except DomainError as exc:
        typer.echo(exc.msg, err=True)
        raise typer.Exit(1) from None


CommunesFile = Annotated[
    Path,
    typer.Argument(
        exists=True,
        dir_okay=False,
        readable=True,
        help="Fichier officiel des communes (CSV de data.gouv.fr ou modèle SNP).",
    ),
]
KeepOption = Annotated[
    str | None,
    typer.Option(
        "--garder",
        help="Départements ou codes INSEE du territoire, séparés par des virgules (35,56194).",
    ),
]


@territory_app.command("import-communes")
def import_communes_command(
    ctx: typer.Context,
    file: CommunesFile,
    keep: KeepOption = None,
    preview: Annotated[
        bool, typer.Option("--preview", help="Afficher ce qui changerait, sans rien écrire.")
    ] = False,
) -> None:
    """Importe les communes du territoire depuis le fichier officiel (code INSEE, nom, codes
    postaux, coordonnées du centre) : base officielle des codes postaux, communes de France ou
    insee_code,name,postal_code,latitude,longitude."""
    report = _communes(ctx, file, keep, preview)
    verb = "seraient" if preview else "ont été"
    typer.echo(
        f"Communes : {report.added_count} {verb} ajoutée(s), {report.changed_count} "
        f"{verb} modifiée(s), {report.unchanged_count} inchangée(s)."
    )
    for commune in report.added[:50]:
        typer.echo(f"  + {commune.insee_code} {commune.name} ({', '.join(commune.postal_codes)})")
    for change in report.changed[:50]:
        fields = ", ".join(change.fields)
        typer.echo(f"  ~ {change.commune.insee_code} {change.commune.name} : {fields}")


@territory_import_app.command("communes")
def import_communes(ctx: typer.Context, file: CommunesFile, keep: KeepOption = None) -> None:
    """Importe les communes (comme `snp territory import-communes`, sans aperçu)."""
    report = _communes(ctx, file, keep, preview=False)
    typer.echo(
        f"Communes importées : {report.added_count} créée(s), {report.changed_count} "
        f"modifiée(s), {report.unchanged_count} inchangée(s)."
    )


@audit_app.command("archive")
def audit_archive_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(dir_okay=False, help="Fichier d'archive (ajout seul).")],
    older_than_days: Annotated[int, typer.Option(min=1, help="Entrées plus anciennes que.")] = 365,
) -> None:
    """Déplace les entrées d'audit de plus de N jours dans l'archive chaînée."""
    before = utcnow() - timedelta(days=older_than_days)
    total = 0
    settings = settings_of(ctx)
    while moved := run_in_session(settings, lambda s: audit_archive.archive(s, file, before)):
        total += moved
    typer.echo(f"{total} entrée(s) archivée(s) dans {file}.")


@audit_app.command("verify")
def audit_verify_command(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="Fichier d'archive."),
    ],
) -> None:
    """Vérifie qu'aucune ligne de l'archive n'a été modifiée, supprimée ou déplacée."""
    result = audit_archive.verify(file)
    if result.broken_at is not None:
        typer.echo(f"Chaîne rompue à la ligne {result.broken_at} : archive altérée.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Archive intacte : {result.lines} entrée(s).")


# --- One French line for every failure ----------------------------------------------------------

_PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "DEFAULT_STRING": "[par défaut : {}]",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
}


def _in_french(command: Any) -> Any:
    """The click command tree of `app`, its help option described in French."""
    for name, text in _PANEL_TITLES.items():
        setattr(typer.rich_utils, name, text)
    pending = [command]
    while pending:
        current = pending.pop()
        option = current.get_help_option(typer.Context(current))
        if option is not None:
            option.help = HELP_OPTION
        pending += list(getattr(current, "commands", {}).values())
    return command


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _parameter(error: typer.BadParameter) -> str:
    if error.param is not None and error.param.opts:
        return str(error.param.opts[0])
    if error.param is not None and error.param.name:
        return error.param.name.upper()
    return str(error.param_hint or "")


# click's English usage errors -> French; `True` when the sentence names its parameter itself.
_USAGE = [
    (r"No such command '(?P<name>.+)'", "Commande inconnue : « {name} ».", True),
    (r"No such option: (?P<name>\S+)", "Option inconnue : {name}.", True),
    (r"(file|path|directory) '(?P<name>.+)' does not exist", "Fichier introuvable : {name}.", True),
    (r"(file|path|directory) '(?P<name>.+)' is a directory", "« {name} » est un dossier.", True),
    (
        r"'(?P<value>.*)' is not one of (?P<choices>.+?)\.?$",
        "« {value} » n'est pas une valeur possible ({choices}).",
        False,
    ),
    (r"'(?P<value>.*)' is not a valid (integer|float)", "« {value} » n'est pas un nombre.", False),
    (r"Input should be a valid (integer|number)", "doit être un nombre.", False),
    (
        r"Got unexpected extra argument(\(s\)|s)? \((?P<value>.*)\)",
        "Argument en trop : {value}.",
        True,
    ),
]


def usage_message(error: Any) -> str:
    """A usage error (unknown command, missing or invalid parameter) in one French line."""
    is_parameter = isinstance(error, typer.BadParameter)
    text = str(error.message if is_parameter else error.format_message())
    text = text.removeprefix("Value error, ")
    complete = False
    for pattern, template, names_itself in _USAGE:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            text, complete = template.format(**match.groupdict()), names_itself
            break
    if type(error).__name__ == "MissingParameter":
        text, complete = f"Paramètre obligatoire manquant : {_parameter(error)}.", True
    if is_parameter and not complete:
        text = f"Valeur invalide pour {_parameter(error)} : {text}"
    command = error.ctx.command_path if error.ctx is not None else "snp"
    return f"{text} Voir « {command} --help »."


_OS_ERRORS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EISDIR: "c'est un dossier",
}


def error_message(error: BaseException) -> tuple[str, int]:
    """One French line and the exit status for a failure of a command."""
    if isinstance(error, DomainError):
        return error.msg, 1
    if isinstance(error, pydantic.ValidationError):
        problems = "; ".join(
            f"SNP_{'_'.join(str(part) for part in e['loc']).upper()} : {french_message(dict(e))}"
            for e in error.errors()
        )
        return f"Configuration invalide : {problems}", 1
    if isinstance(error, sqlalchemy.exc.ArgumentError):
        return f"Adresse de base de données invalide (SNP_DATABASE_URL) : {_first_line(error)}", 1
    if isinstance(error, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        return f"Base de données injoignable : {_first_line(error.orig or error)}", 1
    if isinstance(error, ConnectionError | TimeoutError | socket.gaierror):
        return f"Base de données injoignable : {_first_line(error)}", 1
    if isinstance(error, sqlalchemy.exc.DBAPIError):
        return f"Erreur de la base de données : {_first_line(error.orig or error)}", 1
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        reason = _OS_ERRORS.get(error.errno or 0, error.strerror or _first_line(error))
        return f"Erreur système : {reason}{where}.", 1
    return f"Erreur inattendue ({type(error).__name__}) : {_first_line(error)}", 1


def run(argv: Sequence[str] | None = None) -> int:
    """Run the `snp` command; the exit status (every failure reported on one French line)."""
    command = _in_french(typer.main.get_command(app))
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = command.main(args=args, prog_name="snp", standalone_mode=False)
    except KeyboardInterrupt:
        typer.echo("Interrompu.", err=True)
        return 130
    except typer.Abort:
        typer.echo("Interrompu.", err=True)
        return 1
    except typer.TyperException as error:  # the command line itself is wrong
        status = int(getattr(error, "exit_code", 1))
        if type(error).__name__ == "NoArgsIsHelpError":  # `snp db` alone: its help, as before
            typer.echo(error.format_message())
        elif status == 2:
            typer.echo(usage_message(error), err=True)
        else:
            typer.echo(error.format_message(), err=True)
        return status
    except Exception as error:  # every other failure ends here, as one line
        message, status = error_message(error)
        typer.echo(message, err=True)
        return status
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
