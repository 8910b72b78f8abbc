"""What every sub-command of the `snp` command shares: the settings the composition root put on
the command's context (`composition.cli` reads them once), one transaction per command, and the
French help option. Domain packages mount their sub-commands with these, never `get_settings()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from snp import mail
from snp.db import Database
from snp.settings import Settings

T = TypeVar("T")

HELP_OPTION = "Afficher cette aide et quitter."


def sub_app(help_text: str) -> typer.Typer:
    """A group of sub-commands, with the `snp` command's conventions."""
    return typer.Typer(
        help=help_text, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False
    )


def settings_of(ctx: typer.Context) -> Settings:
    """The settings the composition root put on the command's context."""
    settings: Any = ctx.find_root().obj
    if not isinstance(settings, Settings):
        raise TypeError("the `snp` command puts the settings on its context")
    return settings


def run_in_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One transaction for one command, committed only when it succeeds; the e-mails it queued
    are then sent (or left queued for the server's sender when the mail server is away)."""

    async def main() -> T:
        database = Database(settings.database_url, settings=settings)
        try:
            async with database.transaction() as session:
                result = await work(session)
            if mail.queued_in(session):
                await mail.deliver_due(database.sessionmaker, settings)
            return result
        finally:
            await database.dispose()

    return asyncio.run(main())


def run_with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    """A command that opens its own transactions (a long import written by batches)."""

    async def main() -> T:
        database = Database(settings.database_url, settings=settings)
        try:
            return await work(database)
        finally:
            await database.dispose()

    return asyncio.run(main())
