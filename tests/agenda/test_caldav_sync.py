"""Two-way sync with the CalDAV calendar a GP keeps, against a real Radicale server: busy times
withdraw the free SNP slots over them (booked ones kept and reported), pattern generation skips
them, booked appointments are written back with initials only; refused credentials and a server
that is down are reported in French, never a crash."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, time

import httpx
import icalendar
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import CaldavRejected
from agenda.events import SlotsChanged
from agenda.models import AvailabilityTemplate, CaldavLink
from agenda.service import caldav_sync, recurrence
from composition.app import create_app
from snp.db import Database
from tests.agenda.slot_factories import book, create_effector_with_account, create_slot, in_days
from tests.agenda.supply_helpers import slots_of
from tests.conftest import empty_database, test_settings
from tests.factories import login
from tests.support.postgres import free_port
from tests.support.radicale_server import PASSWORD, USER, Radicale

OPTIONS = caldav_sync.CaldavOptions(key="test-caldav-key", allow_private_hosts=True)


@pytest.fixture
async def private_hosts_app(db_url: str) -> AsyncIterator[FastAPI]:
    """The app allowing calendars on loopback (the test server's), like a closed network."""
    application = create_app(
        test_settings(db_url, ics_allow_private_hosts=True), start_scheduler=False
    )
    database: Database = application.state.db
    await empty_database(database)
    yield application
    await database.dispose()


@pytest.fixture
async def api(private_hosts_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=private_hosts_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def db(private_hosts_app: FastAPI) -> AsyncIterator[AsyncSession]:
    database: Database = private_hosts_app.state.db
    async with database.sessionmaker() as s:
        yield s


def _snp_events(radicale: Radicale) -> list[icalendar.Event]:
    """The events this platform wrote to the calendar, as any CalDAV client reads them."""
    return [
        component
        for item in radicale.calendar().events()
        for component in item.icalendar_instance.walk("VEVENT")
        if str(component["UID"]).startswith(caldav_sync.OWN_UID_PREFIX)
    ]


def _connect_body(radicale: Radicale, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "url": radicale.calendar_url,
        "username": USER,
        "password": PASSWORD,
        "write_bookings": True,
    }
    body.update(changes)
    return body


async def test_connecting_withdraws_free_slots_over_a_busy_time_keeps_booked_ones_and_writes_them(
    api: httpx.AsyncClient, db: AsyncSession, gp_calendar: Radicale
) -> None:
    user, effector = await create_effector_with_account(db, "dr.martin@example.fr")
    before = await create_slot(db, effector, in_days(2, 13, 40))  # 13:40-14:00: free time
    over = await create_slot(db, effector, in_days(2, 14, 20))  # inside the meeting
    booked_slot = await create_slot(db, effector, in_days(2, 14, 40))  # overlaps its end
    appointment = await book(db, booked_slot, patient_label="Marie Dupont, 54 ans")
    await login(api, user.email)

    response = await api.put("/api/agenda/caldav", json=_connect_body(gp_calendar))

    assert response.status_code == 200, response.text
    out = response.json()
    assert PASSWORD not in response.text
    assert "password" not in out
    assert out["connected"] is True
    assert out["last_error"] is None
    assert out["report"]["busy"] == 1
    assert out["report"]["withdrawn"] == 1
    assert [c["appointment_id"] for c in out["report"]["conflicts"]] == [appointment.id]
    assert out["report"]["written"] == 1
    remaining = {s.id for s in await slots_of(db, effector.id)}
    assert before.id in remaining
    assert booked_slot.id in remaining
    assert over.id not in remaining

    link = await db.scalar(select(CaldavLink).where(CaldavLink.effector_id == effector.id))
    assert link is not None
    assert PASSWORD not in link.password_encrypted

    written = _snp_events(gp_calendar)
    assert len(written) == 1
    assert str(written[0]["SUMMARY"]) == "Consultation SNP (M. D.)"
    assert written[0].decoded("DTSTART") == appointment.start_at

    # Our own event is not read back as a busy time of the GP on the next sync.
    again = await api.post("/api/agenda/caldav/sync")
    assert again.status_code == 200, again.text
    assert again.json()["report"]["busy"] == 1
    assert len(_snp_events(gp_calendar)) == 1  # written again in place, not duplicated


async def test_pattern_generation_skips_the_busy_times(
    db: AsyncSession, gp_calendar: Radicale
) -> None:
    _, effector = await create_effector_with_account(db, "dr.durand@example.fr")
    link = CaldavLink(
        effector_id=effector.id,
        url=gp_calendar.calendar_url,
        username=USER,
        password_encrypted=caldav_sync.encrypt_password(PASSWORD, OPTIONS.key),
        write_bookings=False,
    )
    db.add(link)
    await db.flush()
    await caldav_sync.sync_link(db, link, options=OPTIONS)
    template = AvailabilityTemplate(
        effector_id=effector.id,
        site_id=effector.sites[0].id,
        weekdays="MO,TU,WE,TH,FR,SA,SU",
        start_time=time(14),
        end_time=time(15),
        slot_minutes=20,
        valid_from=in_days(0).date(),
        include_public_holidays=True,
    )
    db.add(template)
    await db.flush()
    await recurrence.materialise(db, [template], horizon_days=4)
    await db.commit()

    starts = {s.start_at for s in await slots_of(db, effector.id)}
    busy_day = {in_days(2, 14), in_days(2, 14, 20), in_days(2, 14, 40)}
    assert not busy_day & starts  # 14:00-15:00 all overlap 14:10-14:50
    assert {in_days(3, 14), in_days(3, 14, 20), in_days(3, 14, 40)} <= starts


async def test_withdrawn_slots_are_announced_as_removed(
    db: AsyncSession, gp_calendar: Radicale, published: list[object]
) -> None:
    _, effector = await create_effector_with_account(db, "dr.leroy@example.fr")
    over = await create_slot(db, effector, in_days(2, 14, 20))
    published.clear()
    withdrawn, conflicts = await caldav_sync.apply_busy(
        db, effector.id, [(in_days(2, 14, 10), in_days(2, 14, 50))], now=datetime.now().astimezone()
    )
    await db.commit()
    assert (withdrawn, conflicts) == (1, [])
    removed = [e for e in published if isinstance(e, SlotsChanged) and e.cause == "removed"]
    assert [state.slot_id for e in removed for state in e.before] == [over.id]


async def test_wrong_credentials_are_refused_in_french_and_nothing_is_stored(
    api: httpx.AsyncClient, db: AsyncSession, radicale: Radicale
) -> None:
    user, _effector = await create_effector_with_account(db, "dr.petit@example.fr")
    await login(api, user.email)

    response = await api.put("/api/agenda/caldav", json=_connect_body(radicale, password="mauvais"))

    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "url"]
    assert "mot de passe d'application refusé" in error["msg"]
    assert "mauvais" not in response.text
    status = await api.get("/api/agenda/caldav")
    assert status.json()["connected"] is False


async def test_a_server_down_is_reported_and_never_stops_the_scheduled_sync(
    api: httpx.AsyncClient, db: AsyncSession, gp_calendar: Radicale
) -> None:
    user, effector = await create_effector_with_account(db, "dr.roux@example.fr")
    _, other = await create_effector_with_account(db, "dr.blanc@example.fr")
    slot = await create_slot(db, effector, in_days(2, 14, 20))
    down = f"http://127.0.0.1:{free_port()}/{USER}/snp/"
    await login(api, user.email)

    refused = await api.put("/api/agenda/caldav", json=_connect_body(gp_calendar, url=down))
    assert refused.status_code == 422
    assert "injoignable" in refused.json()["detail"][0]["msg"]

    key = OPTIONS.key
    db.add_all(
        [
            CaldavLink(
                effector_id=effector.id,
                url=down,
                username=USER,
                password_encrypted=caldav_sync.encrypt_password(PASSWORD, key),
            ),
            CaldavLink(
                effector_id=other.id,
                url=gp_calendar.calendar_url,
                username=USER,
                password_encrypted=caldav_sync.encrypt_password(PASSWORD, key),
            ),
        ]
    )
    await db.commit()

    assert await caldav_sync.sync_due(db, options=OPTIONS) == (1, 1)
    await db.commit()

    assert [s.id for s in await slots_of(db, effector.id)] == [slot.id]  # left as it was
    status = await api.get("/api/agenda/caldav")
    assert status.json()["last_error"] == (
        "Serveur CalDAV injoignable : vérifiez l'adresse du calendrier."
    )
    on_demand = await api.post("/api/agenda/caldav/sync")
    assert on_demand.status_code == 200
    assert on_demand.json()["report"] is None
    assert "injoignable" in on_demand.json()["last_error"]


def test_the_password_is_unreadable_without_the_key() -> None:
    token = caldav_sync.encrypt_password(PASSWORD, "une-clé")
    assert PASSWORD not in token
    assert caldav_sync.decrypt_password(token, "une-clé") == PASSWORD
    with pytest.raises(CaldavRejected):
        caldav_sync.decrypt_password(token, "une-autre-clé")
    with pytest.raises(CaldavRejected):
        caldav_sync.encrypt_password(PASSWORD, "")
