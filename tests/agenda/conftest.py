"""Fixtures shared by the agenda tests (data builders live in plain modules beside them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from snp import events


@pytest.fixture
def published() -> Iterator[list[object]]:
    """Every event published (i.e. committed) during the test, in order."""
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)
