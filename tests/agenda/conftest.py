"""Fixtures shared by the agenda tests (data builders live in plain modules beside them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from snp import events
from tests.agenda.slot_factories import in_days
from tests.support.radicale_server import Radicale, event_ical, running_radicale


@pytest.fixture
def published() -> Iterator[list[object]]:
    """Every event published (i.e. committed) during the test, in order."""
    seen: list[object] = []
    events.add_publisher(seen.append)
    yield seen
    events.remove_publisher(seen.append)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """A real CalDAV server (Radicale) for the module's tests."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server


@pytest.fixture
def gp_calendar(radicale: Radicale) -> Radicale:
    """The GP's calendar holding only one event of their own, a meeting (« Réunion »,
    uid `meeting-1`) the day after tomorrow 14:10-14:50 (Paris)."""
    calendar = radicale.calendar()
    for event in calendar.events():
        event.delete()
    calendar.save_event(
        event_ical(
            dtstart=in_days(2, 14, 10), dtend=in_days(2, 14, 50), uid="meeting-1", summary="Réunion"
        )
    )
    return radicale
