"""`snp indicators rebuild` recomputes the read model from the source packages."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner, Result

from composition.cli import app
from indicators.models import IndRequest
from tests.indicators import dataset


async def test_rebuild_command_replaces_rows_without_source(
    session: AsyncSession, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await dataset.load(session)  # read-model rows with no request behind them
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    from snp.settings import get_settings

    get_settings.cache_clear()
    try:
        result = await _invoke()
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Indicateurs recalculés : 0 demandes, 0 rendez-vous" in result.output
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(IndRequest)) == 0


async def _invoke() -> Result:
    # The command runs its own event loop: run it in a thread.
    runner = CliRunner()
    return await asyncio.to_thread(lambda: runner.invoke(app, ["indicators", "rebuild"]))
