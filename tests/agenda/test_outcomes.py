"""The consultation log: each booked appointment gets an outcome (seen, absent; sent on to the
emergency department or hospitalised), recorded in one click by its effector or by an operator
or coordinator, corrected when needed, every change traced; the day after, appointments still
unreported are listed."""

from __future__ import annotations

import itertools
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.events import AppointmentOutcomeRecorded
from agenda.models import Appointment, Effector
from agenda.service import appointments, outcomes
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.auth.models import User
from snp.auth.roles import Role
from snp.errors import BusinessRuleError, Conflict, Forbidden, NotFound
from snp.kit import PARIS, PageParams
from tests.agenda.slot_factories import (
    book,
    book_then_move,
    create_effector,
    create_effector_with_account,
    create_slot,
    in_days,
)
from tests.factories import create_user, login

_days = itertools.count()


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.email, Role(user.role))


async def booked_at(
    session: AsyncSession, effector: Effector, start_at: datetime, request_id: int = 1
) -> str:
    """An appointment of `effector` starting at `start_at`, past or future: booked on a future
    slot, then moved, as if the days had gone by."""
    await session.refresh(effector, ["sites"])  # after a rollback in the test
    # Each on its own future day (never overlapping), moved afterwards.
    slot = await create_slot(session, effector, in_days(30 + next(_days), 8))
    return await book_then_move(session, slot, start_at, request_id=request_id)


async def stored(session: AsyncSession, appointment_id: str) -> Appointment:
    row = await session.get(Appointment, appointment_id, populate_existing=True)
    assert row is not None
    return row


async def audit_details(session: AsyncSession, appointment_id: str) -> list[tuple[str, str]]:
    rows = await session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.entity == "appointment",
            AuditEntry.entity_id == appointment_id,
            AuditEntry.action == "update",
        )
        .order_by(AuditEntry.id)
    )
    return [(r.actor_email, r.detail or "") for r in rows]


def outcome_events(published: list[object]) -> list[AppointmentOutcomeRecorded]:
    return [e for e in published if isinstance(e, AppointmentOutcomeRecorded)]


async def test_the_effector_records_that_the_patient_was_seen_traced_and_announced(
    session: AsyncSession, published: list[object]
) -> None:
    user, effector = await create_effector_with_account(session, "dr.vu@example.fr")
    appointment_id = await booked_at(session, effector, in_days(-1, 10), request_id=41)

    seen = await outcomes.record_outcome(session, actor_of(user), appointment_id, "fulfilled")
    await session.commit()

    assert seen.status == "fulfilled"
    assert seen.after_care is None
    assert seen.outcome_recorded_by_user_id == user.id
    assert seen.effector_name == f"Anne {effector.family_name}"
    row = await stored(session, appointment_id)
    assert (row.status, row.outcome_recorded_by_user_id) == ("fulfilled", user.id)
    assert row.outcome_recorded_at is not None
    assert await audit_details(session, appointment_id) == [
        ("dr.vu@example.fr", "outcome:booked->fulfilled;after_care:-->-")
    ]
    (event,) = outcome_events(published)
    assert event.recorded_at is not None
    assert event.recorded_at >= event.start_at
    assert event == AppointmentOutcomeRecorded(
        appointment_id=appointment_id,
        effector_id=effector.id,
        request_id=41,
        start_at=in_days(-1, 10),
        origin="operator",
        outcome="fulfilled",
        after_care=None,
        recorded_by_user_id=user.id,
        recorded_at=event.recorded_at,
    )


async def test_a_patient_seen_may_be_sent_on_to_the_emergency_department_or_hospitalised(
    session: AsyncSession,
) -> None:
    user, effector = await create_effector_with_account(session, "dr.suite@example.fr")
    first = await booked_at(session, effector, in_days(-2, 9), request_id=1)
    second = await booked_at(session, effector, in_days(-2, 10), request_id=2)
    actor = actor_of(user)

    urgences = await outcomes.record_outcome(session, actor, first, "fulfilled", "emergency")
    hospital = await outcomes.record_outcome(session, actor, second, "fulfilled", "hospitalised")
    await session.commit()

    assert (urgences.status, urgences.after_care) == ("fulfilled", "emergency")
    assert (hospital.status, hospital.after_care) == ("fulfilled", "hospitalised")
    with pytest.raises(BusinessRuleError, match="absent") as refused:
        await outcomes.record_outcome(session, actor, first, "noshow", "emergency")
    assert refused.value.loc == ["body", "after_care"]
    with pytest.raises(BusinessRuleError) as unknown:
        await outcomes.record_outcome(session, actor, first, "seen")
    assert unknown.value.loc == ["body", "outcome"]
    await session.rollback()
    assert (await stored(session, first)).after_care == "emergency"


async def test_a_correction_is_allowed_and_traced_old_to_new_and_announced_again(
    session: AsyncSession, published: list[object]
) -> None:
    user, effector = await create_effector_with_account(session, "dr.corrige@example.fr")
    coordinator = await create_user(session, Role.COORDINATOR, email="coord@example.fr")
    appointment_id = await booked_at(session, effector, in_days(-1, 15))

    await outcomes.record_outcome(session, actor_of(user), appointment_id, "noshow")
    await session.commit()
    await outcomes.record_outcome(
        session, actor_of(coordinator), appointment_id, "fulfilled", "hospitalised"
    )
    await session.commit()
    # The same outcome again changes nothing: no trace, no event.
    await outcomes.record_outcome(
        session, actor_of(coordinator), appointment_id, "fulfilled", "hospitalised"
    )
    await session.commit()

    row = await stored(session, appointment_id)
    assert (row.status, row.after_care) == ("fulfilled", "hospitalised")
    assert row.outcome_recorded_by_user_id == coordinator.id
    assert await audit_details(session, appointment_id) == [
        ("dr.corrige@example.fr", "outcome:booked->noshow;after_care:-->-"),
        ("coord@example.fr", "outcome:noshow->fulfilled;after_care:-->hospitalised"),
    ]
    assert [
        (e.outcome, e.after_care, e.recorded_by_user_id) for e in outcome_events(published)
    ] == [
        ("noshow", None, user.id),
        ("fulfilled", "hospitalised", coordinator.id),
    ]


async def test_an_outcome_is_refused_before_the_appointment_starts(
    session: AsyncSession,
) -> None:
    user, effector = await create_effector_with_account(session, "dr.demain@example.fr")
    tomorrow = await booked_at(session, effector, in_days(1, 10))
    actor = actor_of(user)

    # The same day, at 5:29 for a 10:00 appointment: still to come, refused, nothing changes.
    for early in (in_days(1, 5, 29), in_days(1, 9, 59)):
        with pytest.raises(BusinessRuleError, match="pas encore commencé") as refused:
            await outcomes.record_outcome(session, actor, tomorrow, "fulfilled", now=early)
        assert refused.value.loc == ["path", "appointment_id"]
        assert "à 10:00" in refused.value.msg
        await session.rollback()
        assert (await stored(session, tomorrow)).status == "booked"

    # From its start time on, it may be recorded.
    done = await outcomes.record_outcome(session, actor, tomorrow, "noshow", now=in_days(1, 10))
    assert done.status == "noshow"


async def test_an_effector_records_only_their_own_operators_and_coordinators_anyone(
    session: AsyncSession,
) -> None:
    user, effector = await create_effector_with_account(session, "dr.moi@example.fr")
    other_user, _ = await create_effector_with_account(session, "dr.autre@example.fr")
    operator = await create_user(session, Role.OPERATOR, email="osnp@example.fr")
    me, them, osnp = actor_of(user), actor_of(other_user), actor_of(operator)
    first = await booked_at(session, effector, in_days(-1, 9), request_id=1)
    second = await booked_at(session, effector, in_days(-1, 10), request_id=2)

    with pytest.raises(Forbidden, match="propres consultations"):
        await outcomes.record_outcome(session, them, first, "fulfilled")
    await session.rollback()
    assert (await stored(session, first)).status == "booked"

    assert (await outcomes.record_outcome(session, osnp, first, "noshow")).status == "noshow"
    assert (await outcomes.record_outcome(session, me, second, "fulfilled")).status == "fulfilled"
    await session.commit()
    assert (await stored(session, first)).status == "noshow"
    with pytest.raises(NotFound):
        await outcomes.record_outcome(session, osnp, "no-such-id", "noshow")


async def test_a_cancelled_appointment_has_no_outcome_its_canceller_reason_and_rebooking_show(
    session: AsyncSession,
) -> None:
    coordinator = actor_of(
        await create_user(session, Role.COORDINATOR, email="coord.log@example.fr")
    )
    effector = await create_effector(session)
    cancelled = await booked_at(session, effector, in_days(-1, 11), request_id=77)
    await appointments.cancel(session, cancelled, by="patient", reason="Se sent mieux")
    await session.commit()
    later_slot = await create_slot(session, effector, in_days(3, 11))
    rebooked = await book(session, later_slot, request_id=77)

    with pytest.raises(Conflict, match="annulé"):
        await outcomes.record_outcome(session, coordinator, cancelled, "fulfilled")
    await session.rollback()

    log = await outcomes.list_consultation_log(
        session, coordinator, start=in_days(-2, 0), end=in_days(5, 0)
    )
    shown = {c.id: c for c in log}
    assert (shown[cancelled].status, shown[cancelled].cancelled_by) == ("cancelled", "patient")
    assert shown[cancelled].cancel_reason == "Se sent mieux"
    assert shown[cancelled].rescheduled_to == rebooked.id
    assert (shown[rebooked.id].status, shown[rebooked.id].rescheduled_to) == ("booked", None)


async def test_the_day_after_unreported_appointments_are_listed_to_their_effector_and_coordinators(
    session: AsyncSession,
) -> None:
    user, mine = await create_effector_with_account(session, "dr.oubli@example.fr")
    other = await create_effector(session, family_name="Durand")
    coordinator = await create_user(session, Role.COORDINATOR, email="coord.oubli@example.fr")
    me, coord = actor_of(user), actor_of(coordinator)
    three_days_ago = await booked_at(session, mine, in_days(-3, 9), request_id=1)
    yesterday = await booked_at(session, mine, in_days(-1, 18), request_id=2)
    reported = await booked_at(session, mine, in_days(-1, 8), request_id=3)
    others = await booked_at(session, other, in_days(-2, 9), request_id=4)
    # Today's appointment (earlier today) is not "to report" before tomorrow.
    now = in_days(0, 23, 30)
    today = await booked_at(session, mine, in_days(0, 0, 30), request_id=5)
    await outcomes.record_outcome(session, me, reported, "fulfilled")
    await session.commit()

    own = await outcomes.list_unreported(session, me, now=now)
    assert [c.id for c in own.items] == [three_days_ago, yesterday]
    assert own.total == 2
    everyone = await outcomes.list_unreported(session, coord, now=now)
    assert [c.id for c in everyone.items] == [three_days_ago, others, yesterday]
    assert everyone.items[1].effector_name == "Anne Durand"
    assert today not in [c.id for c in everyone.items]

    # Paginated, oldest first, with the total for the pager.
    page = await outcomes.list_unreported(
        session, coord, now=now, page=PageParams(limit=2, offset=2)
    )
    assert ([c.id for c in page.items], page.total) == ([yesterday], 3)
    one_effector = await outcomes.list_unreported(session, coord, now=now, effector_id=other.id)
    assert [c.id for c in one_effector.items] == [others]
    with pytest.raises(Forbidden):
        await outcomes.list_unreported(session, me, effector_id=other.id)
    await session.rollback()

    # Recorded: no longer to report.
    await outcomes.record_outcome(session, me, yesterday, "noshow")
    await session.commit()
    after = await outcomes.list_unreported(session, me, now=now)
    assert [c.id for c in after.items] == [three_days_ago]


# --- HTTP ---------------------------------------------------------------------------------------


async def test_the_api_records_an_outcome_and_lists_the_unreported(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    user, effector = await create_effector_with_account(session, "dr.api@example.fr")
    past = await booked_at(session, effector, in_days(-1, 10), request_id=1)
    await booked_at(session, effector, in_days(-1, 11), request_id=2)
    await login(client, user.email)

    listed = await client.get("/api/agenda/appointments/unreported")
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 2
    first = listed.json()["items"][0]
    assert (first["id"], first["patient_label"]) == (past, "M. D., 54 ans")

    response = await client.put(
        f"/api/agenda/appointments/{past}/outcome",
        json={"outcome": "fulfilled", "after_care": "emergency"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["after_care"]) == ("fulfilled", "emergency")
    assert body["outcome_recorded_by_user_id"] == user.id
    listed = await client.get("/api/agenda/appointments/unreported", params={"limit": 1})
    assert listed.json()["total"] == 1

    log = await client.get(
        "/api/agenda/consultations",
        params={
            "start": in_days(-2, 0).isoformat(),
            "end": in_days(0, 0).isoformat(),
        },
    )
    assert log.status_code == 200, log.text
    assert [c["status"] for c in log.json()] == ["fulfilled", "booked"]


async def test_the_api_names_the_field_of_a_bad_outcome_and_refuses_other_roles(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    effector = await create_effector(session)
    past = await booked_at(session, effector, in_days(-1, 10))
    regulator = await create_user(session, Role.REGULATOR, email="reg@example.fr")
    operator = await create_user(session, Role.OPERATOR, email="op.api@example.fr")

    await login(client, regulator.email)
    refused = await client.put(
        f"/api/agenda/appointments/{past}/outcome", json={"outcome": "fulfilled"}
    )
    assert refused.status_code == 403

    await login(client, operator.email)
    bad = await client.put(f"/api/agenda/appointments/{past}/outcome", json={"outcome": "vu"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "outcome"]
    absent_to_er = await client.put(
        f"/api/agenda/appointments/{past}/outcome",
        json={"outcome": "noshow", "after_care": "emergency"},
    )
    assert absent_to_er.status_code == 422
    assert absent_to_er.json()["detail"][0]["loc"] == ["body", "after_care"]
    missing = await client.put("/api/agenda/appointments/nope/outcome", json={"outcome": "noshow"})
    assert missing.status_code == 404
    assert (await stored(session, past)).status == "booked"
    ok = await client.put(f"/api/agenda/appointments/{past}/outcome", json={"outcome": "noshow"})
    assert ok.status_code == 200
    assert datetime.fromisoformat(ok.json()["start_at"]).astimezone(PARIS) == in_days(-1, 10)
