"""Free-slot search: by window, kinds, visibility, effectors, specialty and distance."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector
from agenda.schemas import FreeSlot
from agenda.service import booking
from agenda.service.search import search_free_slots
from snp.auth.roles import Role
from snp.db import utcnow
from snp.errors import BusinessRuleError
from snp.kit import distance_km
from tests.agenda.slot_factories import book, create_effector, create_slot, in_days
from tests.factories import logged_in_as

# Points of the demo territory and beyond.
REDON = (47.6514, -2.0843)
PIPRIAC = (47.8094, -1.9461)  # ~20 km from Redon
RENNES = (48.1173, -1.6778)  # ~61 km from Redon


def ids(found: list[FreeSlot]) -> list[int]:
    return [f.id for f in found]


async def search(session: AsyncSession, **filters: Any) -> list[FreeSlot]:
    window = {"start": in_days(0, 0), "end": in_days(3, 0)}
    return await search_free_slots(session, **{**window, **filters})


async def test_only_bookable_slots_in_the_window_are_found_in_time_order(
    session: AsyncSession,
) -> None:
    effector = await create_effector(session)
    later = await create_slot(session, effector, in_days(2, 9))
    sooner = await create_slot(session, effector, in_days(1, 9))
    await create_slot(session, effector, in_days(5, 9))  # after the window
    await create_slot(session, effector, utcnow() - timedelta(hours=3))  # already past
    booked = await create_slot(session, effector, in_days(1, 10))
    await book(session, booked)
    held = await create_slot(session, effector, in_days(1, 11))
    await booking.hold(session, held.id, "operator:1")
    expired = await create_slot(session, effector, in_days(1, 12))
    await booking.hold(session, expired.id, "operator:1", ttl=timedelta(seconds=-1))
    await session.commit()

    found = await search(session)
    assert ids(found) == [sooner.id, expired.id, later.id]
    first = found[0]
    assert first.effector.id == effector.id
    assert first.effector.rpps == effector.national_id
    assert first.site.city == "Redon"
    assert first.distance_km is None


async def test_kinds_and_visibility_match_any_of_the_codes_asked(session: AsyncSession) -> None:
    effector = await create_effector(session)
    practice = await create_slot(session, effector, in_days(1, 9))
    home = await create_slot(session, effector, in_days(1, 10), kinds=frozenset({"HH"}))
    remote = await create_slot(
        session,
        effector,
        in_days(1, 11),
        kinds=frozenset({"VR", "AMB"}),
        visibility=frozenset({"PUBLIC"}),
    )
    assert ids(await search(session, kinds={"HH"})) == [home.id]
    assert ids(await search(session, kinds={"HH", "VR"})) == [home.id, remote.id]
    assert ids(await search(session, kinds={"AMB"})) == [practice.id, remote.id]
    assert ids(await search(session, visibility={"PUBLIC"})) == [remote.id]
    assert ids(await search(session, visibility={"SNP"})) == [practice.id, home.id]
    with pytest.raises(BusinessRuleError, match="Valeur inconnue : XX"):
        await search(session, kinds={"XX"})


async def test_effectors_specialty_activity_and_sas_sharing_filter(
    session: AsyncSession,
) -> None:
    gp = await create_effector(session)
    paediatrician = await create_effector(session, specialty_code="SM40")
    retired = await create_effector(session)
    gp_slot = await create_slot(session, gp, in_days(1, 9))
    private = await create_slot(session, gp, in_days(1, 10), shared_with_sas=False)
    paed_slot = await create_slot(session, paediatrician, in_days(1, 9))
    await create_slot(session, retired, in_days(1, 9))
    await session.execute(update(Effector).where(Effector.id == retired.id).values(active=False))
    await session.commit()

    assert ids(await search(session, effector_ids=[gp.id])) == [gp_slot.id, private.id]
    assert ids(await search(session, effector_ids=[])) == []
    assert ids(await search(session, specialty="SM40")) == [paed_slot.id]
    assert set(ids(await search(session))) == {gp_slot.id, private.id, paed_slot.id}
    assert private.id not in ids(await search(session, shared_with_sas_only=True))


async def test_near_a_point_results_carry_their_distance_and_come_closest_first(
    session: AsyncSession,
) -> None:
    redon = await create_effector(session, latitude=REDON[0], longitude=REDON[1])
    pipriac = await create_effector(session, latitude=PIPRIAC[0], longitude=PIPRIAC[1])
    rennes = await create_effector(session, latitude=RENNES[0], longitude=RENNES[1])
    in_redon = await create_slot(session, redon, in_days(2, 9))
    in_pipriac = await create_slot(session, pipriac, in_days(1, 9))
    in_rennes = await create_slot(session, rennes, in_days(1, 8))

    nearby = await search(session, near=REDON, max_km=30)
    assert ids(nearby) == [in_redon.id, in_pipriac.id]  # Rennes is ~61 km away
    assert nearby[0].distance_km == 0.0
    assert nearby[1].distance_km == pytest.approx(20.6, abs=0.5)

    everywhere = await search(session, near=REDON)
    assert ids(everywhere) == [in_redon.id, in_pipriac.id, in_rennes.id]
    assert everywhere[2].distance_km == pytest.approx(distance_km(REDON, RENNES), abs=0.01)

    by_time = await search(session, near=REDON, order="start")
    assert ids(by_time) == [in_rennes.id, in_pipriac.id, in_redon.id]

    with pytest.raises(BusinessRuleError, match="latitude et longitude"):
        await search(session, max_km=10)


async def test_the_api_pages_results_and_sas_regulators_see_only_shared_slots(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    shared = [await create_slot(session, effector, in_days(1, 8 + h)) for h in range(3)]
    private = await create_slot(session, effector, in_days(1, 12), shared_with_sas=False)
    window = {"start": in_days(0, 0).isoformat(), "end": in_days(3, 0).isoformat()}

    await logged_in_as(client, session, Role.OPERATOR)
    first = (await client.get("/api/agenda/slots/free", params={**window, "limit": 2})).json()
    assert [s["id"] for s in first["items"]] == [shared[0].id, shared[1].id]
    assert first["has_more"] is True
    rest = await client.get("/api/agenda/slots/free", params={**window, "limit": 2, "offset": 2})
    assert [s["id"] for s in rest.json()["items"]] == [shared[2].id, private.id]
    assert rest.json()["has_more"] is False

    near = await client.get(
        "/api/agenda/slots/free",
        params={**window, "lat": REDON[0], "lon": REDON[1], "max_km": 5, "kinds": "AMB"},
    )
    assert near.status_code == 200, near.text
    assert all(s["distance_km"] == 0.0 for s in near.json()["items"])
    half_point = await client.get("/api/agenda/slots/free", params={**window, "lat": 47.6})
    assert half_point.status_code == 422
    naive = await client.get(
        "/api/agenda/slots/free", params={"start": "2030-01-01T00:00:00", "end": window["end"]}
    )
    assert naive.json()["detail"][0]["loc"] == ["query", "start"]

    await logged_in_as(client, session, Role.SAS_REGULATOR)
    sas = (await client.get("/api/agenda/slots/free", params=window)).json()
    assert [s["id"] for s in sas["items"]] == [s.id for s in shared]


@pytest.mark.parametrize("role", [Role.EFFECTOR, Role.REFERRER])
async def test_effectors_and_referrers_do_not_search_free_slots(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await logged_in_as(client, session, role)
    window = {"start": in_days(0, 0).isoformat(), "end": in_days(3, 0).isoformat()}
    assert (await client.get("/api/agenda/slots/free", params=window)).status_code == 403
