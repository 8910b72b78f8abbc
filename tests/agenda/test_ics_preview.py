"""ICS import with choices: a preview that writes nothing lists what would be created and what
would be skipped with why; the import then applies the chosen site, kinds, visibility, SAS
sharing, and all-day events converted into chosen hours or ignored (always counted)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot
from agenda.schemas_supply import AbsenceIn
from agenda.service import absences, ics
from agenda.service.ics import IcsOptions, ImportChoices
from snp.kit import PARIS
from tests.agenda.ics_helpers import all_day_event, calendar, event
from tests.agenda.slot_factories import (
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
    paris,
)
from tests.agenda.supply_helpers import COORDINATOR, errors, slots_of, utc
from tests.factories import login


def day_in(days: int) -> date:
    return in_days(days).date()


def hours(slots: list[Slot]) -> list[str]:
    return [f"{s.start_at.astimezone(PARIS):%d/%m %H:%M}" for s in slots]


def calendar_with_an_all_day_event() -> bytes:
    return calendar(
        event("timed", in_days(2, 14), in_days(2, 15), "SNP"),  # 3 slots of 20 minutes
        all_day_event("garde", day_in(3)),
    )


async def upload(client: httpx.AsyncClient, path: str, data: bytes, **form: Any) -> httpx.Response:
    return await client.post(
        f"/api/agenda/ics/{path}",
        files={"file": ("agenda.ics", data, "text/calendar")},
        data=form,
    )


async def test_the_preview_reports_an_unconverted_all_day_event_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.apercu@example.fr")
    await login(client, user.email)

    data = calendar(
        event("timed", in_days(2, 14), in_days(2, 15), "SNP"),  # 3 slots of 20 minutes
        all_day_event("garde", day_in(3)),
        event("later", in_days(40, 9), in_days(40, 10), "SNP"),  # after the 28-day horizon
    )

    preview = await upload(client, "import/preview", data)

    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["events"], body["to_create"], body["unchanged"], body["to_remove"]) == (1, 3, 0, 0)
    assert (body["all_day_ignored"], body["all_day_converted"], body["skipped_count"]) == (1, 0, 2)
    assert [(s["reason"], s["detail"]) for s in body["skipped"]] == [
        ("all_day", "Événement « journée entière » non converti."),
        ("beyond_horizon", "Au-delà de l'horizon de 28 jours : non importé."),
    ]
    assert datetime.fromisoformat(body["skipped"][1]["start_at"]) == in_days(40, 9)
    assert [datetime.fromisoformat(s["start_at"]) for s in body["created"]] == [
        in_days(2, 14, m) for m in (0, 20, 40)
    ]
    assert await slots_of(session, effector.id) == []  # a preview writes nothing


async def test_an_all_day_event_is_previewed_then_imported_with_the_chosen_options(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.options@example.fr", sites=2)
    second = effector.sites[1].id
    await create_slot(session, effector, in_days(3, 9), minutes=30)  # collides with 09:00
    await login(client, user.email)
    choices = {
        "site_id": str(second),
        "kinds": ["AMB", "HH"],
        "visibility": ["CPTS"],
        "shared_with_sas": "false",
        "all_day": "convert",
        "all_day_start": "08:00",
        "all_day_end": "12:00",
        "all_day_slot_minutes": "30",
    }
    data = calendar_with_an_all_day_event()

    preview = (await upload(client, "import/preview", data, **choices)).json()
    assert (preview["to_create"], preview["skipped_count"]) == (3 + 7, 1)
    assert (preview["all_day_ignored"], preview["all_day_converted"]) == (0, 1)
    clash = preview["skipped"][0]
    assert clash["reason"] == "collision"
    assert clash["detail"].startswith("Chevauche le créneau du ")
    assert len(await slots_of(session, effector.id)) == 1  # only the colliding one, still

    imported = await upload(client, "import", data, **choices)
    assert imported.status_code == 200, imported.text
    report = imported.json()
    assert (report["created"], report["skipped"]) == (preview["to_create"], 1)
    assert (report["all_day_ignored"], report["all_day_converted"]) == (0, 1)
    made = await slots_of(session, effector.id, site_id=second)
    assert hours(made) == [
        *(f"{in_days(2, 14, m):%d/%m %H:%M}" for m in (0, 20, 40)),
        *(
            f"{in_days(3, 8, 0) + timedelta(minutes=30 * n):%d/%m %H:%M}"
            for n in (0, 1, 3, 4, 5, 6, 7)
        ),
    ]
    assert {(s.kind_amb, s.kind_hh, s.vis_snp, s.vis_cpts, s.shared_with_sas) for s in made} == {
        (True, True, False, True, False)
    }

    again = (await upload(client, "import/preview", data, **choices)).json()
    assert (again["to_create"], again["unchanged"], again["skipped_count"]) == (0, 10, 1)


async def test_bad_options_are_refused_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, _ = await create_effector_with_account(session, "dr.refus@example.fr")
    other = await create_effector(session)
    await login(client, user.email)
    data = calendar_with_an_all_day_event()

    backwards = await upload(
        client,
        "import/preview",
        data,
        all_day="convert",
        all_day_start="12:00",
        all_day_end="08:00",
    )
    assert backwards.status_code == 422
    assert errors(backwards) == [
        (["body", "all_day_end"], "La fin de la plage des journées entières doit suivre son début.")
    ]
    for field, value in [("kinds", "XX"), ("visibility", "ALL"), ("all_day_slot_minutes", "2")]:
        refused = await upload(client, "import", data, **{field: value})
        assert refused.status_code == 422, field
        assert errors(refused)[0][0][-2:] in (["body", field], [field, 0]), errors(refused)
    foreign_site = await upload(client, "import", data, site_id=str(other.sites[0].id))
    assert foreign_site.status_code == 422
    assert errors(foreign_site)[0][0] == ["body", "site_id"]


async def test_all_day_events_keep_their_paris_hours_across_the_clock_change(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    await absences.create_absence(
        session,
        COORDINATOR,
        AbsenceIn(
            effector_id=effector.id, start_date=date(2030, 10, 28), end_date=date(2030, 10, 28)
        ),
        horizon_days=28,
        now=utc(2030, 10, 14, 8),
    )
    choices = ImportChoices(
        all_day_from=paris(2030, 1, 1, 9).timetz().replace(tzinfo=None),
        all_day_until=paris(2030, 1, 1, 10).timetz().replace(tzinfo=None),
        all_day_slot_minutes=30,
    )
    data = calendar(all_day_event("pont", date(2030, 10, 26), days=3))  # Sat to Mon

    report = await ics.import_ics(
        session,
        effector,
        effector.sites[0],
        data,
        options=IcsOptions(),
        choices=choices,
        now=utc(2030, 10, 14, 8),
    )
    await session.commit()

    assert (report.all_day_converted, report.slots, report.created, report.skipped) == (1, 6, 4, 2)
    assert hours(await slots_of(session, effector.id)) == [
        "26/10 09:00",
        "26/10 09:30",
        "27/10 09:00",  # winter time from this Sunday: still 09:00 in Paris
        "27/10 09:30",
    ]
