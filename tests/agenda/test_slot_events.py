"""Every way of writing slots announces it (`SlotsChanged`) with what the supply figures count
(commune, times, status, kinds, SAS sharing, source), and a slot reports where it comes from:
a weekly recurring availability, a calendar import, or by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.events import SlotsChanged, SlotState
from snp.db import utcnow
from snp.kit import PARIS
from tests.agenda.ics_helpers import calendar, event
from tests.agenda.slot_factories import create_effector_with_account
from tests.factories import login


def day(offset: int) -> date:
    return utcnow().astimezone(PARIS).date() + timedelta(days=offset)


def at(on: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(on, time(hour, minute), tzinfo=PARIS)


def changes(published: list[object]) -> list[SlotsChanged]:
    return [e for e in published if isinstance(e, SlotsChanged)]


async def listed_sources(client: httpx.AsyncClient, effector_id: int) -> dict[str, int]:
    response = await client.get(
        "/api/agenda/slots",
        params={
            "effector_id": effector_id,
            "start": at(day(0), 0).isoformat(),
            "end": at(day(20), 0).isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    sources: dict[str, int] = {}
    for slot in response.json():
        sources[slot["source"]] = sources.get(slot["source"], 0) + 1
    return sources


async def test_each_path_announces_its_slots_and_slots_report_their_real_source(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    user, effector = await create_effector_with_account(session, "dr.source@example.fr")
    site = effector.sites[0]
    await login(client, user.email)

    one_off: dict[str, Any] = {
        "site_id": site.id,
        "start_at": at(day(2), 9).isoformat(),
        "end_at": at(day(2), 9, 20).isoformat(),
        "kinds": ["AMB", "VR"],
        "shared_with_sas": False,
    }
    created = (await client.post("/api/agenda/slots", json=one_off)).json()
    (announced,) = changes(published)
    assert (announced.effector_id, announced.cause, announced.before) == (
        effector.id,
        "created",
        (),
    )
    assert announced.after == (
        SlotState(
            slot_id=created["id"],
            start_at=at(day(2), 9),
            end_at=at(day(2), 9, 20),
            commune_insee=site.insee_code,
            status="free",
            kinds=("AMB", "VR"),
            shared_with_sas=False,
            source="manual",
        ),
    )

    published.clear()
    moved = await client.patch(
        f"/api/agenda/slots/{created['id']}",
        json={"start_at": at(day(3), 9).isoformat(), "end_at": at(day(3), 9, 20).isoformat()},
    )
    assert moved.status_code == 200, moved.text
    (announced,) = changes(published)
    assert announced.cause == "changed"
    assert [s.start_at for s in announced.before] == [at(day(2), 9)]
    assert [s.start_at for s in announced.after] == [at(day(3), 9)]

    published.clear()
    pattern = await client.post(
        "/api/agenda/templates",
        json={
            "site_id": site.id,
            "weekdays": "MO,TU,WE,TH,FR,SA,SU",
            "start_time": "14:00",
            "end_time": "15:00",
            "slot_minutes": 20,
            "include_public_holidays": True,
            "valid_from": str(day(4)),
            "valid_until": str(day(5)),
        },
    )
    assert pattern.status_code == 201, pattern.text
    (announced,) = changes(published)
    assert announced.cause == "generated"
    assert len(announced.after) == 6
    assert {s.source for s in announced.after} == {"template"}
    assert {s.shared_with_sas for s in announced.after} == {True}

    published.clear()
    ics = calendar(event("uid-1@test", at(day(8), 8), at(day(8), 8, 30)))
    imported = await client.post(
        "/api/agenda/ics/import", files={"file": ("agenda.ics", ics, "text/calendar")}
    )
    assert imported.status_code == 200, imported.text
    (announced,) = changes(published)
    assert (announced.cause, [s.source for s in announced.after]) == ("imported", ["ics"])

    # The agenda itself says where each slot comes from (never "other" for a pattern's slots).
    assert await listed_sources(client, effector.id) == {"manual": 1, "template": 6, "ics": 1}

    published.clear()
    removed = await client.delete(f"/api/agenda/templates/{pattern.json()['id']}")
    assert removed.status_code == 200, removed.text
    (announced,) = changes(published)
    assert (announced.cause, len(announced.before), announced.after) == ("removed", 6, ())

    published.clear()
    assert (await client.delete(f"/api/agenda/slots/{created['id']}")).status_code == 204
    (announced,) = changes(published)
    assert announced.cause == "removed"
    assert [s.slot_id for s in announced.before] == [created["id"]]
