"""The phone line's health on the coordinator's supervision page: calls waiting now and the
longest wait, operators available or on a call, today's calls answered / abandoned / answered
within 60 s, and the call-back tasks pending with the oldest. Counts only, never a number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.roles import Role
from snp.settings import Settings
from telephony.models import (
    CallbackTask,
    CallOutcome,
    CallState,
    Direction,
    OperatorPresence,
    PhoneCall,
    PresenceState,
    TaskState,
)
from telephony.service.line_health import line_health
from tests.regulation.conftest import client_for, staff
from tests.telephony.conftest import ALWAYS_OPEN, board, configure, operator
from tests.telephony.fake_voice import FakeVoice

# 14:00 in Paris on a Saturday: "today" began at 23:00 UTC the day before.
NOW = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
CALLER = "+33612345678"


def call(
    number: int,
    *,
    arrived_minutes_ago: float,
    state: CallState = CallState.ENDED,
    wait: int | None = None,
    outcome: CallOutcome | None = None,
    direction: Direction = Direction.INBOUND,
) -> PhoneCall:
    arrived = NOW - timedelta(minutes=arrived_minutes_ago)
    missed = outcome in (CallOutcome.ABANDONED, CallOutcome.NO_OPERATOR)
    answered = wait is not None and not missed
    return PhoneCall(
        sid=f"CA{number:032d}",
        direction=direction,
        from_number=f"+336000000{number:02d}",
        state=state,
        arrived_at=arrived,
        answered_at=arrived + timedelta(seconds=wait or 0) if answered else None,
        ended_at=None if state != CallState.ENDED else arrived + timedelta(minutes=1),
        wait_seconds=wait,
        outcome=outcome,
    )


def presence(
    user_id: int, state: PresenceState, wrap_up_until: datetime | None = None
) -> OperatorPresence:
    return OperatorPresence(
        user_id=user_id, state=state, since=NOW - timedelta(hours=1), wrap_up_until=wrap_up_until
    )


async def test_the_line_health_counts_waiting_calls_operators_today_and_callbacks(
    app: FastAPI, session: AsyncSession
) -> None:
    session.add_all(
        [
            # Waiting now: the oldest arrived 3 minutes ago.
            call(1, arrived_minutes_ago=3, state=CallState.WAITING),
            call(2, arrived_minutes_ago=0.5, state=CallState.WAITING),
            # In progress, answered after 20 s.
            call(3, arrived_minutes_ago=10, state=CallState.CONNECTED, wait=20, outcome=None),
            # Ended today: answered within 60 s, answered after 90 s, two abandoned.
            call(4, arrived_minutes_ago=60, wait=45, outcome=CallOutcome.REQUEST_CREATED),
            call(5, arrived_minutes_ago=120, wait=90, outcome=CallOutcome.ADVICE_ONLY),
            call(6, arrived_minutes_ago=30, wait=200, outcome=CallOutcome.ABANDONED),
            call(7, arrived_minutes_ago=40, wait=0, outcome=CallOutcome.NO_OPERATOR),
            # Not today's figures: out of hours, yesterday, a call-back.
            call(8, arrived_minutes_ago=50, outcome=CallOutcome.OUT_OF_HOURS),
            call(9, arrived_minutes_ago=15 * 60, wait=10, outcome=CallOutcome.REQUEST_CREATED),
            call(
                10, arrived_minutes_ago=5, direction=Direction.CALLBACK, outcome=CallOutcome.REACHED
            ),
            presence(101, PresenceState.AVAILABLE),
            presence(102, PresenceState.AVAILABLE),
            presence(103, PresenceState.ON_CALL),
            presence(104, PresenceState.WRAP_UP, wrap_up_until=NOW + timedelta(seconds=30)),
            # Wrap-up over: available again.
            presence(105, PresenceState.WRAP_UP, wrap_up_until=NOW - timedelta(seconds=30)),
            presence(106, PresenceState.AWAY),
            CallbackTask(
                from_number="+33600000006",
                reason=CallOutcome.ABANDONED,
                first_call_at=NOW - timedelta(minutes=30),
                last_call_at=NOW - timedelta(minutes=30),
            ),
            CallbackTask(
                from_number="+33600000008",
                reason=CallOutcome.OUT_OF_HOURS,
                first_call_at=NOW - timedelta(hours=16),
                last_call_at=NOW - timedelta(hours=16),
            ),
            CallbackTask(
                from_number="+33600000011",
                reason=CallOutcome.ABANDONED,
                state=TaskState.DONE,
                first_call_at=NOW - timedelta(hours=20),
                last_call_at=NOW - timedelta(hours=20),
            ),
        ]
    )
    await session.flush()

    settings: Settings = app.state.settings.model_copy(update=ALWAYS_OPEN)
    health = await line_health(session, settings, now=NOW)

    assert (health.waiting, health.longest_wait_seconds) == (2, 180)
    assert (health.operators_available, health.operators_on_call, health.operators_wrap_up) == (
        3,
        1,
        1,
    )
    assert health.today.model_dump() == {
        "received": 7,
        "answered": 3,
        "answered_within_60s": 2,
        "abandoned": 2,
    }
    assert (health.callbacks_pending, health.oldest_callback_seconds) == (2, 16 * 3600)
    assert health.open_now is True


async def test_a_quiet_line_answers_zeros_and_no_wait(app: FastAPI, session: AsyncSession) -> None:
    health = await line_health(session, app.state.settings, now=NOW)
    assert (health.waiting, health.longest_wait_seconds) == (0, None)
    assert (health.operators_available, health.operators_on_call) == (0, 0)
    assert health.today.model_dump() == {
        "received": 0,
        "answered": 0,
        "answered_within_60s": 0,
        "abandoned": 0,
    }
    assert (health.callbacks_pending, health.oldest_callback_seconds) == (0, None)


async def test_the_coordinator_sees_a_ringing_call_waiting_then_answered(
    voice_app: FastAPI, fake_voice: FakeVoice, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await operator(session, client, "Anne Opératrice", "+33611111111")
    await fake_voice.place_call(CALLER)
    async with client_for(voice_app) as coordinator:
        await staff(session, coordinator, Role.COORDINATOR)
        ringing = await coordinator.get("/api/voice/line-health")
        assert ringing.status_code == 200, ringing.text
        assert (ringing.json()["waiting"], ringing.json()["operators_available"]) == (1, 1)
        assert "5678" not in ringing.text  # no number on the supervisor's page

        [waiting] = (await board(client))["waiting"]
        taken = await client.post(f"/api/voice/calls/{waiting['id']}/take")
        assert taken.status_code == 200, taken.text

        answered = (await coordinator.get("/api/voice/line-health")).json()
    assert (answered["waiting"], answered["longest_wait_seconds"]) == (0, None)
    assert (answered["operators_available"], answered["operators_on_call"]) == (0, 1)
    assert answered["today"]["answered"] == 1


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REFERRER, Role.EFFECTOR])
async def test_only_coordinators_and_regulators_read_the_line_health(
    client: httpx.AsyncClient, session: AsyncSession, role: Role
) -> None:
    await staff(session, client, role)
    assert (await client.get("/api/voice/line-health")).status_code == 403


async def test_a_regulator_reads_the_line_health(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    configure(app, **ALWAYS_OPEN)
    await staff(session, client, Role.REGULATOR)
    answer = await client.get("/api/voice/line-health")
    assert answer.status_code == 200, answer.text
    assert answer.json()["open_now"] is True
