"""Hostile calendars: recurrence bombs are refused before any expansion, expansion runs off the
event loop under a time budget, and a subscribed calendar cannot do what an upload cannot."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
import recurring_ical_events  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import IcsRejected
from agenda.models import Effector
from agenda.service import ics
from agenda.service.ics import IcsOptions
from agenda.service.ics_subscriptions import refresh_subscriptions
from tests.agenda.ics_helpers import calendar, event
from tests.agenda.slot_factories import create_effector, create_effector_with_account, paris
from tests.agenda.supply_helpers import errors, slots_of, utc
from tests.factories import login

NOW = utc(2030, 10, 14, 8)

# The file of the report: 224 bytes, one event repeating every second since 1970.
BOMB = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//FR\r\nBEGIN:VEVENT\r\n"
    b"UID:bomb\r\nDTSTAMP:19700101T000000Z\r\nDTSTART:19700101T000000Z\r\n"
    b"DTEND:19700101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nSUMMARY:SNP\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def expansions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the calendars handed to `recurring_ical_events` for expansion."""
    seen: list[int] = []
    real = recurring_ical_events.of

    def counting(calendar: object, *args: object, **kwargs: object) -> object:
        seen.append(1)
        return real(calendar, *args, **kwargs)

    monkeypatch.setattr(recurring_ical_events, "of", counting)
    return seen


def recurring(uid: str, start: datetime, rule: str, summary: str = "Garde SNP") -> str:
    return event(uid, start, start.replace(hour=start.hour + 1), summary, f"RRULE:{rule}")


async def upload(client: httpx.AsyncClient, data: bytes) -> httpx.Response:
    return await client.post(
        "/api/agenda/ics/import", files={"file": ("agenda.ics", data, "text/calendar")}
    )


async def test_the_secondly_bomb_is_refused_before_any_expansion(
    client: httpx.AsyncClient, session: AsyncSession, expansions: list[int]
) -> None:
    assert len(BOMB) <= 224
    user, effector = await create_effector_with_account(session, "dr.bombe@example.fr")
    await login(client, user.email)
    refused = await upload(client, BOMB)
    assert refused.status_code == 422
    assert errors(refused) == [
        (
            ["file"],
            "Calendrier refusé : une répétition toutes les secondes ou toutes les minutes "
            "n'est pas une disponibilité.",
        )
    ]
    assert expansions == []
    assert await slots_of(session, effector.id) == []
    assert (await client.get("/healthz")).status_code == 200


async def test_a_rule_too_long_to_walk_is_refused_with_its_cost(
    session: AsyncSession, expansions: list[int]
) -> None:
    effector = await create_effector(session)
    hourly_since_1970 = calendar(
        recurring("old", paris(1970, 1, 1, 8), "FREQ=HOURLY"),
    )
    with pytest.raises(IcsRejected) as refused:
        await ics.import_ics(
            session, effector, effector.sites[0], hourly_since_1970, options=IcsOptions(), now=NOW
        )
    assert "demanderaient trop de calcul" in refused.value.msg
    assert "au plus 200000" in refused.value.msg
    assert expansions == []


async def test_events_that_are_not_availability_are_never_expanded(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    data = calendar(
        # A private agenda's hourly reminder since 1970: not SNP, not our business.
        recurring("reminder", paris(1970, 1, 1, 8), "FREQ=HOURLY", "Pilulier"),
        event("garde", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15), "Garde SNP"),
    )
    report = await ics.import_ics(
        session, effector, effector.sites[0], data, options=IcsOptions(), now=NOW
    )
    assert (report.events, report.created) == (1, 3)


async def test_an_ordinary_weekly_availability_since_years_is_accepted(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    data = calendar(
        recurring("weekly", paris(2015, 1, 6, 14), "FREQ=WEEKLY;BYDAY=TU,TH"),
    )
    report = await ics.import_ics(
        session, effector, effector.sites[0], data, options=IcsOptions(), now=NOW
    )
    assert report.events == 8  # four weeks of Tuesdays and Thursdays
    assert report.created == 24


async def test_an_endless_event_offers_slots_over_the_horizon_only(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    data = calendar(event("forever", utc(1970, 1, 1, 0), utc(2100, 1, 1, 0), "SNP"))
    report = await ics.import_ics(
        session, effector, effector.sites[0], data, options=IcsOptions(horizon_days=2), now=NOW
    )
    assert report.slots == 2 * 24 * 3


@pytest.fixture
def stalled_expansion(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, ...]]:
    """Expansion blocks in its worker thread until released: (started, release)."""
    started, release = threading.Event(), threading.Event()
    real = ics.availability_slots

    def stalled(data: bytes, *, options: IcsOptions, now: datetime, **more: object) -> object:
        started.set()
        release.wait(10)
        return real(data, options=options, now=now, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(ics, "availability_slots", stalled)
    yield started, release
    release.set()


async def test_the_server_keeps_answering_while_a_calendar_is_expanded(
    client: httpx.AsyncClient,
    session: AsyncSession,
    stalled_expansion: tuple[threading.Event, threading.Event],
) -> None:
    started, release = stalled_expansion
    user, _ = await create_effector_with_account(session, "dr.lent@example.fr")
    await login(client, user.email)
    tomorrow = calendar(event("g", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15), "SNP"))
    importing = asyncio.ensure_future(upload(client, tomorrow))
    assert await asyncio.to_thread(started.wait, 10)
    health = await client.get("/healthz")  # answered while the import is still expanding
    assert health.status_code == 200
    assert not importing.done()
    release.set()
    assert (await importing).status_code == 200


async def test_a_calendar_over_its_time_budget_is_refused(
    session: AsyncSession, stalled_expansion: tuple[threading.Event, threading.Event]
) -> None:
    effector = await create_effector(session)
    data = calendar(event("g", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15), "SNP"))
    with pytest.raises(IcsRejected) as refused:
        await ics.import_ics(
            session,
            effector,
            effector.sites[0],
            data,
            options=IcsOptions(time_budget_seconds=0.2),
            now=NOW,
        )
    assert refused.value.msg == (
        "Calendrier refusé : sa lecture a pris trop de temps (plus de 0.2 s)."
    )


async def test_a_subscribed_bomb_is_refused_and_reported_on_the_effector(
    session: AsyncSession, expansions: list[int]
) -> None:
    effector = await create_effector(session)
    effector.ics_subscription_url = "https://calendrier.example.fr/agenda.ics"
    await session.commit()
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=BOMB))
    async with httpx.AsyncClient(transport=transport) as client:
        report = await refresh_subscriptions(session, options=IcsOptions(), now=NOW, client=client)
    assert (report.refreshed, report.failed) == (0, 1)
    refreshed = await session.get(Effector, effector.id)
    assert refreshed is not None
    assert "toutes les secondes" in str(refreshed.ics_last_error)
    assert expansions == []
