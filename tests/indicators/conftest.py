"""Fixtures of the indicators tests."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from composition import demo
from snp import territory


@pytest.fixture
async def communes(session: AsyncSession) -> None:
    """Requests must come from the territory: load the demo communes."""
    await territory.upsert_communes(session, demo.COMMUNES)
    await session.commit()
