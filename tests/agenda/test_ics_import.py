"""ICS availability in: events marked SNP become free slots; re-importing is idempotent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from agenda.errors import IcsRejected
from agenda.models import Effector, Slot
from agenda.schemas_supply import AbsenceIn, IcsImportReport
from agenda.service import absences, ics
from agenda.service.ics import IcsOptions
from composition.cli import app as cli
from snp.auth.roles import Role
from snp.kit import PARIS
from snp.settings import get_settings
from tests.agenda.ics_helpers import calendar, event
from tests.agenda.slot_factories import (
    book,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
    paris,
)
from tests.agenda.supply_helpers import COORDINATOR, errors, slots_of, utc
from tests.factories import logged_in_as, login

NOW = utc(2030, 10, 14, 8)  # Monday 14 October 2030; clocks go back on Sunday 27 October
OPTIONS = IcsOptions()  # keyword SNP, 20-minute slots, 28 days ahead


async def import_calendar(
    session: AsyncSession, effector: Effector, data: bytes, options: IcsOptions = OPTIONS
) -> IcsImportReport:
    report = await ics.import_ics(
        session, effector, effector.sites[0], data, options=options, now=NOW
    )
    await session.commit()
    return report


def paris_starts(slots: list[Slot]) -> list[str]:
    return [s.start_at.astimezone(PARIS).strftime("%d/%m %H:%M") for s in slots]


async def test_events_marked_snp_become_free_slots_of_the_configured_length(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    data = calendar(
        event("garde", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15), "Garde SNP"),
        event("meeting", paris(2030, 10, 15, 16), paris(2030, 10, 15, 17), "Réunion CPTS"),
        event(
            "utc",
            utc(2030, 10, 16, 7),
            utc(2030, 10, 16, 7, 50),  # 50 minutes: two slots, the rest is dropped
            "Consultations",
            "CATEGORIES:Travail,snp",
        ),
        event(
            "floating",
            datetime(2030, 10, 17, 9),  # noqa: DTZ001 - a floating time, read as Europe/Paris
            datetime(2030, 10, 17, 9, 20),  # noqa: DTZ001
            "dispo snp",
        ),
        event("word", paris(2030, 10, 18, 9), paris(2030, 10, 18, 10), "SNPX n'est pas le mot"),
        event(
            "cancelled",
            paris(2030, 10, 18, 14),
            paris(2030, 10, 18, 15),
            "SNP",
            "STATUS:CANCELLED",
        ),
        "BEGIN:VEVENT\r\nUID:allday\r\nDTSTART;VALUE=DATE:20301019\r\nSUMMARY:SNP\r\nEND:VEVENT",
    )

    report = await import_calendar(session, effector, data)

    assert (report.events, report.slots, report.created, report.skipped) == (3, 6, 6, 0)
    assert (report.all_day_ignored, report.all_day_converted) == (1, 0)  # said, not dropped
    slots = await slots_of(session, effector.id)
    assert paris_starts(slots) == [
        "15/10 14:00",
        "15/10 14:20",
        "15/10 14:40",
        "16/10 09:00",  # 07:00 UTC in summer time
        "16/10 09:20",
        "17/10 09:00",
    ]
    assert {(s.status, s.end_at - s.start_at) for s in slots} == {("free", timedelta(minutes=20))}
    assert slots[0].source_key == "ics:garde:20301015T120000Z:20301015T120000Z"
    assert slots[0].site_id == effector.sites[0].id
    assert (slots[0].kind_amb, slots[0].vis_snp, slots[0].vis_cpts) == (True, True, True)


async def test_recurring_events_are_expanded_over_the_horizon_with_their_exceptions(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    data = calendar(
        event(
            "weekly",
            paris(2030, 10, 1, 14),
            paris(2030, 10, 1, 14, 40),
            "SNP",
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "EXDATE;TZID=Europe/Paris:20301022T140000",
        ),
        event(
            "weekly",
            paris(2030, 11, 5, 16),
            paris(2030, 11, 5, 16, 40),
            "SNP (déplacé)",
            "RECURRENCE-ID;TZID=Europe/Paris:20301105T140000",
        ),
    )

    await import_calendar(session, effector, data)

    slots = await slots_of(session, effector.id)
    assert paris_starts(slots) == [
        "15/10 14:00",
        "15/10 14:20",
        # 22/10 excluded
        "29/10 14:00",  # after the October change: still 14:00 in Paris
        "29/10 14:20",
        "05/11 16:00",  # this occurrence was moved
        "05/11 16:20",
        # 12/11 is beyond the 28 days
    ]
    assert slots[4].source_key == "ics:weekly:20301105T130000Z:20301105T150000Z"


async def test_importing_again_is_idempotent_and_what_vanished_goes_unless_booked(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    first = calendar(
        event("a", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15)),
        event("b", paris(2030, 10, 16, 14), paris(2030, 10, 16, 15)),
    )
    assert (await import_calendar(session, effector, first)).created == 6
    again = await import_calendar(session, effector, first)
    assert (again.created, again.unchanged, again.removed) == (0, 6, 0)

    booked = (await slots_of(session, effector.id))[3]  # b, 14:00
    await book(session, booked)
    moved = calendar(event("a", paris(2030, 10, 15, 15), paris(2030, 10, 15, 16)))
    report = await import_calendar(session, effector, moved)

    assert (report.created, report.removed) == (3, 5)
    slots = await slots_of(session, effector.id)
    assert paris_starts(slots) == ["15/10 15:00", "15/10 15:20", "15/10 15:40", "16/10 14:00"]
    assert (slots[-1].id, slots[-1].status) == (booked.id, "booked")


async def test_slots_overlapping_others_or_inside_an_absence_are_skipped(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await create_slot(session, effector, paris(2030, 10, 15, 14, 20))
    await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(
            effector_id=effector.id, start_date=date(2030, 10, 16), end_date=date(2030, 10, 16)
        ),
        horizon_days=28,
        now=NOW,
    )
    data = calendar(
        event("a", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15)),
        event("b", paris(2030, 10, 16, 14), paris(2030, 10, 16, 15)),
    )
    report = await import_calendar(session, effector, data)
    assert (report.slots, report.created, report.skipped) == (6, 2, 4)


async def test_the_keyword_and_the_slot_length_are_settings(session: AsyncSession) -> None:
    effector = await create_effector(session)
    data = calendar(
        event("a", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15), "Garde du soir"),
        event("b", paris(2030, 10, 16, 14), paris(2030, 10, 16, 15), "SNP"),
    )
    report = await import_calendar(
        session, effector, data, IcsOptions(keyword="garde", slot_minutes=30)
    )
    assert (report.events, report.created) == (1, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a calendar", "Fichier ICS illisible : un calendrier au format iCalendar"),
        (
            b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n",
            "Fichier ICS illisible : il ne contient pas de calendrier (VCALENDAR).",
        ),
    ],
)
async def test_an_unreadable_file_is_refused_in_french_and_changes_nothing(
    session: AsyncSession, data: bytes, message: str
) -> None:
    effector = await create_effector(session)
    await import_calendar(
        session, effector, calendar(event("a", paris(2030, 10, 15, 14), paris(2030, 10, 15, 15)))
    )
    with pytest.raises(IcsRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        await import_calendar(session, effector, data)
    await session.rollback()
    assert len(await slots_of(session, effector.id)) == 3


# --- Command line and upload (real clock: tomorrow's availability) -----------------------------

TOMORROW = calendar(event("tomorrow", in_days(1, 14), in_days(1, 15), "SNP"))


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch, app: object) -> Iterator[CliRunner]:
    monkeypatch.setenv("SNP_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


async def run_cli(runner: CliRunner, *args: str) -> tuple[int, str]:
    # In a thread: the CLI runs its own event loop, as it does in a terminal.
    result = await asyncio.to_thread(runner.invoke, cli, list(args))
    return result.exit_code, result.output


async def test_the_cli_imports_a_calendar_for_the_effector_of_an_rpps(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    file = tmp_path / "agenda.ics"
    file.write_bytes(TOMORROW)

    code, output = await run_cli(
        cli_env, "slots", "import", str(file), "--rpps", effector.national_id
    )
    assert code == 0, output
    assert "1 disponibilité(s) SNP, 3 créneau(x). 3 créé(s), 0 déjà présent(s)" in output
    code, output = await run_cli(
        cli_env, "slots", "import", str(file), "--rpps", effector.national_id
    )
    assert "0 créé(s), 3 déjà présent(s), 0 retiré(s)" in output
    assert len(await slots_of(session, effector.id)) == 3


async def test_the_cli_asks_for_the_site_when_the_effector_has_several(
    cli_env: CliRunner, tmp_path: Path, session: AsyncSession
) -> None:
    effector = await create_effector(session, sites=2)
    file = tmp_path / "agenda.ics"
    file.write_bytes(TOMORROW)
    rpps = effector.national_id

    code, output = await run_cli(cli_env, "slots", "import", str(file), "--rpps", rpps)
    assert code == 1
    assert (
        "Cet effecteur consulte dans plusieurs lieux : précisez lequel (Cabinet 1, Cabinet 2)."
        in output
    )
    code, output = await run_cli(
        cli_env, "slots", "import", str(file), "--rpps", rpps, "--site", "Cabinet 3"
    )
    assert code == 1
    assert "Lieu « Cabinet 3 » inconnu pour cet effecteur (lieux : Cabinet 1, Cabinet 2)." in output
    code, output = await run_cli(
        cli_env, "slots", "import", str(file), "--rpps", rpps, "--site", "cabinet 2"
    )
    assert code == 0, output
    assert {s.site_id for s in await slots_of(session, effector.id)} == {effector.sites[1].id}

    code, output = await run_cli(cli_env, "slots", "import", str(file), "--rpps", "10000000009")
    assert code == 1
    assert "Aucun effecteur de RPPS 10000000009 dans l'annuaire." in output


async def test_an_effector_uploads_their_calendar_and_the_coordination_anyones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    other = await create_effector(session, sites=2)
    await login(client, user.email)
    upload = {"file": ("agenda.ics", TOMORROW, "text/calendar")}

    own = await client.post("/api/agenda/ics/import", files=upload)
    assert own.status_code == 200, own.text
    assert own.json() == {
        "events": 1,
        "slots": 3,
        "created": 3,
        "unchanged": 0,
        "removed": 0,
        "skipped": 0,
        "all_day_ignored": 0,
        "all_day_converted": 0,
    }
    assert len(await slots_of(session, effector.id)) == 3
    not_mine = await client.post(
        "/api/agenda/ics/import", files=upload, data={"effector_id": str(other.id)}
    )
    assert not_mine.status_code == 403
    unreadable = await client.post(
        "/api/agenda/ics/import", files={"file": ("x.ics", b"hello", "text/calendar")}
    )
    assert unreadable.status_code == 422
    assert errors(unreadable) == [
        (
            ["file"],
            "Fichier ICS illisible : un calendrier au format iCalendar (.ics) est attendu.",
        )
    ]

    await logged_in_as(client, session, Role.COORDINATOR)
    site = other.sites[1].id
    theirs = await client.post(
        "/api/agenda/ics/import",
        files=upload,
        data={"effector_id": str(other.id), "site_id": str(site)},
    )
    assert theirs.status_code == 200, theirs.text
    assert {s.site_id for s in await slots_of(session, other.id)} == {site}

    await logged_in_as(client, session, Role.OPERATOR)
    assert (await client.post("/api/agenda/ics/import", files=upload)).status_code == 403
