"""The write half of the CalDAV sync, against a real Radicale server: the GP's calendar holds
exactly their SNP appointments (booked, or with their outcome) over the window, each under a
stable UID that tells nothing about the patient; a moved appointment leaves its old time and
appears at the new one, a cancelled one disappears, within a minute of the change; the GP's own
events are never touched; a server that is down loses nothing and the next run converges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import jobs, move_appointment
from agenda.errors import CaldavRejected
from agenda.models import Appointment, CaldavLink, Effector
from agenda.service import appointments, caldav_sync, outcomes
from agenda.service.ics_feed import FEED_PAST_DAYS
from snp import scheduler
from snp.actor import Actor
from snp.auth import Role
from snp.db import SETTINGS_KEY
from snp.settings import settings_of
from tests.agenda.slot_factories import (
    book,
    book_then_move,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.support.postgres import free_port
from tests.support.radicale_server import PASSWORD, USER, Radicale, event_ical

OPTIONS = caldav_sync.CaldavOptions(key="test-caldav-key", allow_private_hosts=True)
OPERATOR = Actor(user_id=None, email="operator@test", role=Role.OPERATOR)


@dataclass(frozen=True)
class Shown:
    """One event of the calendar as any CalDAV client reads it."""

    uid: str
    start_at: datetime
    summary: str


def shown(radicale: Radicale) -> list[Shown]:
    found = [
        Shown(str(c["UID"]), c.decoded("DTSTART").astimezone(UTC), str(c["SUMMARY"]))
        for item in radicale.calendar().events()
        for c in item.icalendar_instance.walk("VEVENT")
    ]
    return sorted(found, key=lambda e: e.start_at)


def ours(radicale: Radicale) -> list[Shown]:
    return [e for e in shown(radicale) if e.uid.startswith(caldav_sync.OWN_UID_PREFIX)]


def the_gps_own(radicale: Radicale) -> list[Shown]:
    return [e for e in shown(radicale) if e.uid == "meeting-1"]


async def link_to(
    session: AsyncSession, effector: Effector, url: str, *, write_bookings: bool = True
) -> CaldavLink:
    link = CaldavLink(
        effector_id=effector.id,
        url=url,
        username=USER,
        password_encrypted=caldav_sync.encrypt_password(PASSWORD, OPTIONS.key),
        write_bookings=write_bookings,
    )
    session.add(link)
    await session.commit()
    return link


async def booked_days_ago(
    session: AsyncSession, effector: Effector, days: int, patient_label: str
) -> str:
    """An appointment that started `days` days ago (booked on a future slot, then moved back
    in time, as if the days had gone by)."""
    slot = await create_slot(session, effector, in_days(20 + days, 8))
    return await book_then_move(session, slot, in_days(-days, 10), patient_label)


def test_the_uid_is_stable_and_tells_nothing_about_the_appointment() -> None:
    uid = caldav_sync.own_uid("5f0c8f6e-0000-4000-8000-000000000001", OPTIONS.key)
    assert uid == caldav_sync.own_uid("5f0c8f6e-0000-4000-8000-000000000001", OPTIONS.key)
    assert uid.startswith(caldav_sync.OWN_UID_PREFIX)
    assert "5f0c8f6e" not in uid
    assert uid != caldav_sync.own_uid("5f0c8f6e-0000-4000-8000-000000000001", "another-key")
    assert uid != caldav_sync.own_uid("5f0c8f6e-0000-4000-8000-000000000002", OPTIONS.key)


def test_changes_are_pushed_every_minute() -> None:
    assert scheduler.registered_jobs()["agenda.push_caldav_changes"].interval == timedelta(
        minutes=1
    )


async def test_the_calendar_follows_bookings_moves_cancellations_and_outcomes(
    session: AsyncSession, gp_calendar: Radicale
) -> None:
    user, effector = await create_effector_with_account(session, "dr.martin@example.fr")
    first = await book(
        session, await create_slot(session, effector, in_days(3, 10)), "Marie Dupont, 54 ans"
    )
    second = await book(
        session, await create_slot(session, effector, in_days(3, 11)), "Jean Petit, 8 ans"
    )
    seen = await booked_days_ago(session, effector, 1, "Paul Roux, 40 ans")
    later = await create_slot(session, effector, in_days(4, 9))
    link = await link_to(session, effector, gp_calendar.calendar_url)

    report = await caldav_sync.sync_link(session, link, options=OPTIONS)
    await session.commit()

    assert (report.written, report.removed) == (3, 0)
    assert [(e.start_at, e.summary) for e in ours(gp_calendar)] == [
        (in_days(-1, 10), "Consultation SNP (P. R.)"),
        (in_days(3, 10), "Consultation SNP (M. D.)"),
        (in_days(3, 11), "Consultation SNP (J. P.)"),
    ]
    uid_of_first = caldav_sync.own_uid(first.id, OPTIONS.key)
    assert ours(gp_calendar)[1].uid == uid_of_first

    # Moved: the old time goes, the new one appears (same event), at the next push (the job,
    # with this platform's key and the test server's loopback address allowed).
    session.info[SETTINGS_KEY] = settings_of(session).model_copy(
        update={"caldav_key": SecretStr(OPTIONS.key), "ics_allow_private_hosts": True}
    )
    await move_appointment(session, first.id, later.id, actor=OPERATOR, reason="Test")
    await session.commit()
    await jobs.push_caldav_changes(session)
    await session.commit()
    assert [(e.uid, e.start_at) for e in ours(gp_calendar) if e.start_at > in_days(0)] == [
        (caldav_sync.own_uid(second.id, OPTIONS.key), in_days(3, 11)),
        (uid_of_first, in_days(4, 9)),
    ]

    # Cancelled: gone.
    await appointments.cancel(session, second.id, by="patient", reason="Va mieux")
    await session.commit()
    assert await caldav_sync.push_changed(session, options=OPTIONS) == (1, 0)
    await session.commit()
    assert [e.start_at for e in ours(gp_calendar)] == [in_days(-1, 10), in_days(4, 9)]

    # An outcome keeps the event and says it (like the ICS feed).
    gp = Actor(user.id, user.email, Role.EFFECTOR)
    await outcomes.record_outcome(session, gp, seen, "fulfilled")
    await session.commit()
    assert await caldav_sync.push_changed(session, options=OPTIONS) == (1, 0)
    await session.commit()
    assert [e.summary for e in ours(gp_calendar)] == [
        "Consultation SNP (P. R.) – vu",
        "Consultation SNP (M. D.)",
    ]

    # The GP's own event was never touched.
    assert the_gps_own(gp_calendar) == [
        Shown("meeting-1", in_days(2, 14, 10).astimezone(UTC), "Réunion")
    ]
    # Nothing changed since: a full sync rewrites nothing.
    again = await caldav_sync.sync_link(session, link, options=OPTIONS)
    assert (again.written, again.removed) == (0, 0)


async def test_events_past_the_window_or_with_writing_switched_off_are_removed(
    session: AsyncSession, gp_calendar: Radicale
) -> None:
    _, effector = await create_effector_with_account(session, "dr.durand@example.fr")
    old = await booked_days_ago(session, effector, FEED_PAST_DAYS + 10, "Anne Blanc, 30 ans")
    booked = await book(session, await create_slot(session, effector, in_days(2, 9)), "A. B.")
    # Written long ago, when it was in the window.
    gp_calendar.calendar().save_event(
        event_ical(
            uid=caldav_sync.own_uid(old, OPTIONS.key),
            dtstart=in_days(-FEED_PAST_DAYS - 10, 10),
            dtend=in_days(-FEED_PAST_DAYS - 10, 10, 20),
            summary="Consultation SNP (A. B.)",
        )
    )
    link = await link_to(session, effector, gp_calendar.calendar_url)

    report = await caldav_sync.sync_link(session, link, options=OPTIONS)
    await session.commit()

    assert (report.written, report.removed) == (1, 1)
    assert [e.uid for e in ours(gp_calendar)] == [caldav_sync.own_uid(booked.id, OPTIONS.key)]

    link.write_bookings = False
    switched_off = await caldav_sync.sync_link(session, link, options=OPTIONS)
    await session.commit()

    assert (switched_off.written, switched_off.removed) == (0, 1)
    assert ours(gp_calendar) == []
    assert [e.uid for e in shown(gp_calendar)] == ["meeting-1"]


async def test_a_server_down_keeps_the_reason_loses_nothing_and_the_next_run_converges(
    session: AsyncSession, gp_calendar: Radicale
) -> None:
    _, effector = await create_effector_with_account(session, "dr.roux@example.fr")
    link = await link_to(session, effector, f"http://127.0.0.1:{free_port()}/{USER}/snp/")
    appointment = await book(session, await create_slot(session, effector, in_days(2, 9)))

    with pytest.raises(CaldavRejected):
        await caldav_sync.sync_link(session, link, options=OPTIONS)
    await session.commit()

    assert link.last_error == "Serveur CalDAV injoignable : vérifiez l'adresse du calendrier."
    stored = await session.scalar(select(Appointment).where(Appointment.id == appointment.id))
    assert stored is not None
    assert stored.status == "booked"
    # A failing calendar is not hammered every minute: the scheduled run retries it.
    assert await caldav_sync.push_changed(session, options=OPTIONS) == (0, 0)

    link.url = gp_calendar.calendar_url  # the server answers again
    await session.commit()
    next_run = datetime.now(UTC) + timedelta(minutes=OPTIONS.refresh_minutes + 1)
    assert await caldav_sync.sync_due(session, options=OPTIONS, now=next_run) == (1, 0)
    await session.commit()

    assert link.last_error is None
    assert [e.uid for e in ours(gp_calendar)] == [caldav_sync.own_uid(appointment.id, OPTIONS.key)]
    assert the_gps_own(gp_calendar) != []


async def test_disconnecting_removes_our_events_and_a_server_down_never_prevents_it(
    session: AsyncSession, gp_calendar: Radicale
) -> None:
    user, effector = await create_effector_with_account(session, "dr.leroy@example.fr")
    await book(session, await create_slot(session, effector, in_days(2, 9)), "Luc Noir, 70 ans")
    link = await link_to(session, effector, gp_calendar.calendar_url)
    await caldav_sync.sync_link(session, link, options=OPTIONS)
    await session.commit()
    assert len(ours(gp_calendar)) == 1
    gp = Actor(user.id, user.email, Role.EFFECTOR)

    await caldav_sync.disconnect(session, gp, options=OPTIONS)
    await session.commit()

    assert ours(gp_calendar) == []
    assert [e.uid for e in shown(gp_calendar)] == ["meeting-1"]
    assert await caldav_sync.link_of(session, effector.id) is None

    await link_to(session, effector, f"http://127.0.0.1:{free_port()}/{USER}/snp/")
    await caldav_sync.disconnect(session, gp, options=OPTIONS)
    await session.commit()
    assert await caldav_sync.link_of(session, effector.id) is None
