"""Demo call history for the phone line: twelve weeks of deterministic synthetic calls written
into telephony's own tables, so the dashboard's calls card and the call log show something on a
fresh demo.

Calls arrive while the line is open (the `SNP_VOICE_OPEN_DAYS` / `_OPENS_AT` / `_CLOSES_AT`
settings), busier in the morning and at the end of the afternoon, a few out of hours; most are
answered within 60 s by the demo operators; some callers hang up while waiting or find nobody on
duty and become callback tasks, each called back within the next hours (or the next opening
morning). Numbers come from the range ARCEP reserves for fiction (02 61 91 xx xx), so they are
nobody's; calls name no request (the demo requests live in the indicators' read model only).

Rows are recognised by their provider id (`demo-...`): loading again rewrites them, nothing else.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.db import utcnow
from snp.kit import PARIS
from snp.settings import Settings
from telephony.models import (
    CallbackTask,
    CallOutcome,
    CallState,
    Direction,
    PhoneCall,
    TaskState,
)
from telephony.service.hours import is_open

SEED = 20261205
DAYS = 84
SID_PREFIX = "demo-"
FICTION_NUMBER = "+3326191{:04d}"  # 02 61 91 xx xx: reserved for fiction by ARCEP
# Relative weight of each hour of the day (Paris) for arrivals: the morning rush, a lull at
# lunchtime, the end of the afternoon when patients leave work.
HOUR_WEIGHTS = {7: 1, 8: 9, 9: 10, 10: 8, 11: 6, 12: 4, 13: 4, 14: 6, 15: 6, 16: 6, 17: 8}
HOUR_WEIGHTS |= {18: 8, 19: 5, 20: 2, 21: 1}
# Of the calls arriving while the line is open.
ABANDONED_SHARE = 0.06
NO_OPERATOR_SHARE = 0.02
SLOW_ANSWER_SHARE = 0.12  # answered after more than 60 s of waiting
ANSWERED_OUTCOMES = [
    (CallOutcome.REQUEST_CREATED, 56),
    (CallOutcome.REQUEST_LINKED, 14),
    (CallOutcome.ADVICE_ONLY, 25),
    (CallOutcome.WRONG_NUMBER, 5),
]


@dataclass(frozen=True, slots=True)
class DemoHistory:
    calls: list[dict[str, Any]]  # inbound calls, then call-backs; `task` indexes `tasks`
    tasks: list[dict[str, Any]]


def daily_volume(rng: random.Random, day: date) -> int:
    """Calls of one day: Mondays are the busiest, Saturdays half a weekday, Sundays a few."""
    base = {0: 24, 1: 19, 2: 18, 3: 18, 4: 20, 5: 10, 6: 3}[day.weekday()]
    return max(1, base + rng.randint(-4, 4))


def _arrival(rng: random.Random, day: date) -> datetime:
    hours = list(HOUR_WEIGHTS)
    hour = rng.choices(hours, weights=[HOUR_WEIGHTS[h] for h in hours])[0]
    local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=PARIS)
    return local.astimezone(UTC)


def _next_opening(settings: Settings, after: datetime) -> datetime:
    """The first time the line is open at or after `after` (to the minute)."""
    moment = after
    for _ in range(8 * 24 * 4):
        if is_open(settings, moment):
            return moment
        moment += timedelta(minutes=15)
    return after  # the line never opens: called back at once


def _pick(rng: random.Random, weighted: list[tuple[CallOutcome, int]]) -> CallOutcome:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def build_history(settings: Settings, operator_ids: list[int], today: date) -> DemoHistory:
    """Deterministic calls and callback tasks for the DAYS days before `today`."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    calls: list[dict[str, Any]] = []
    callbacks: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    serial = 0
    for offset in range(DAYS, 0, -1):
        day = today - timedelta(days=offset)
        for _ in range(daily_volume(rng, day)):
            serial += 1
            arrived = _arrival(rng, day)
            row: dict[str, Any] = {
                "sid": f"{SID_PREFIX}{serial:06d}",
                "direction": Direction.INBOUND.value,
                "from_number": FICTION_NUMBER.format(rng.randrange(10_000)),
                "state": CallState.ENDED.value,
                "arrived_at": arrived,
                "answered_at": None,
                "wait_seconds": None,
                "duration_seconds": None,
                "operator_user_id": None,
                "request_id": None,
                "task": None,
            }
            draw = rng.random()
            missed: CallOutcome | None = None
            if not is_open(settings, arrived):
                missed, wait = CallOutcome.OUT_OF_HOURS, 0
            elif draw < NO_OPERATOR_SHARE or not operator_ids:
                missed, wait = CallOutcome.NO_OPERATOR, rng.randint(0, 5)
            elif draw < NO_OPERATOR_SHARE + ABANDONED_SHARE:
                missed, wait = CallOutcome.ABANDONED, rng.randint(25, 240)
            if missed is not None:
                ended = arrived + timedelta(seconds=wait)
                row.update(outcome=missed.value, ended_at=ended, wait_seconds=wait)
                row["task"] = len(tasks)
                tasks.append(_task(rng, settings, row, operator_ids, callbacks))
            else:
                slow = rng.random() < SLOW_ANSWER_SHARE
                wait = rng.randint(61, 200) if slow else rng.randint(4, 60)
                answered = arrived + timedelta(seconds=wait)
                duration = rng.randint(90, 720)
                row.update(
                    answered_at=answered,
                    ended_at=answered + timedelta(seconds=duration),
                    wait_seconds=wait,
                    duration_seconds=duration,
                    operator_user_id=rng.choice(operator_ids),
                    outcome=_pick(rng, ANSWERED_OUTCOMES).value,
                )
            calls.append(row)
    return DemoHistory(calls=calls + callbacks, tasks=tasks)


def _task(
    rng: random.Random,
    settings: Settings,
    call: dict[str, Any],
    operator_ids: list[int],
    callbacks: list[dict[str, Any]],
) -> dict[str, Any]:
    """The missed caller's callback task, done by a call-back a little later (the next opening
    for calls out of hours): reached, or a second try after no answer."""
    first = call["arrived_at"]
    operator = rng.choice(operator_ids) if operator_ids else None
    attempt = _next_opening(settings, first + timedelta(minutes=rng.randint(4, 75)))
    tries = 2 if rng.random() < 0.15 else 1
    for number in range(tries):
        reached = number == tries - 1
        duration = rng.randint(60, 420) if reached else None
        callbacks.append(
            {
                "sid": f"{call['sid']}-cb{number + 1}",
                "direction": Direction.CALLBACK.value,
                "from_number": call["from_number"],
                "state": CallState.ENDED.value,
                "arrived_at": attempt,
                "answered_at": attempt + timedelta(seconds=12) if reached else None,
                "ended_at": attempt + timedelta(seconds=12 + (duration or 30)),
                "wait_seconds": None,
                "duration_seconds": duration,
                "operator_user_id": operator,
                "outcome": (CallOutcome.REACHED if reached else CallOutcome.NO_ANSWER).value,
                "request_id": None,
                "task": call["task"],
            }
        )
        if not reached:
            attempt = _next_opening(settings, attempt + timedelta(minutes=rng.randint(20, 60)))
    return {
        "from_number": call["from_number"],
        "reason": call["outcome"],
        "state": TaskState.DONE.value,
        "first_call_at": first,
        "last_call_at": first,
        "calls": 1,
        "done_at": callbacks[-1]["ended_at"],
        "done_by_user_id": operator,
        "request_id": None,
    }


async def load_history(
    session: AsyncSession,
    settings: Settings,
    *,
    operator_ids: list[int],
    today: date | None = None,
) -> int:
    """(Re)write the demo call history; returns how many calls (call-backs included)."""
    today = today or utcnow().astimezone(PARIS).date()
    old_tasks = select(PhoneCall.callback_task_id).where(
        PhoneCall.sid.startswith(SID_PREFIX), PhoneCall.callback_task_id.is_not(None)
    )
    await session.execute(delete(CallbackTask).where(CallbackTask.id.in_(old_tasks)))
    await session.execute(delete(PhoneCall).where(PhoneCall.sid.startswith(SID_PREFIX)))
    history = build_history(settings, operator_ids, today)
    task_rows = [CallbackTask(**task) for task in history.tasks]
    session.add_all(task_rows)
    await session.flush()
    rows = []
    for call in history.calls:
        task = call["task"]
        row = {k: v for k, v in call.items() if k != "task"}
        rows.append({**row, "callback_task_id": None if task is None else task_rows[task].id})
    for start in range(0, len(rows), 2000):
        await session.execute(insert(PhoneCall), rows[start : start + 2000])
    return len(rows)
