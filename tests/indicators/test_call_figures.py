"""The phone line's figures, hand-computed: answered within 60 s, abandonment, waits (mean and
nearest-rank p90), calls that became requests, per operator, by hour and weekday, the call-back
delay of missed callers; their exports; the funder reads them; and the orientation envelope
takes the operator hours from presence when there is presence data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth.roles import Role
from telephony.models import CallbackTask, PhoneCall, PresenceSpan
from tests.factories import create_user, logged_in_as, login
from tests.indicators.test_aci_api import contract, indicator

# Monday 3 March 2025, 09:00 in Paris (08:00 UTC).
MONDAY_9H = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def call(n: int, **values: object) -> PhoneCall:
    arrived = MONDAY_9H + timedelta(minutes=10 * n)
    base: dict[str, object] = {
        "sid": f"CA{n:032d}",
        "direction": "inbound",
        "from_number": f"+3361234560{n}",
        "state": "ended",
        "arrived_at": arrived,
        "ended_at": arrived + timedelta(minutes=5),
    }
    return PhoneCall(**(base | values))


async def load_calls(session: AsyncSession, operator_id: int) -> None:
    def answered(n: int, wait: int, outcome: str, duration: int) -> PhoneCall:
        arrived = MONDAY_9H + timedelta(minutes=10 * n)
        return call(
            n,
            answered_at=arrived + timedelta(seconds=wait),
            wait_seconds=wait,
            duration_seconds=duration,
            operator_user_id=operator_id,
            outcome=outcome,
        )

    session.add_all(
        [
            answered(1, 30, "request_created", 100),
            answered(2, 60, "request_linked", 200),
            answered(3, 120, "advice_only", 300),
            call(4, wait_seconds=40, outcome="abandoned"),
            call(5, outcome="out_of_hours", arrived_at=MONDAY_9H + timedelta(hours=12)),
            call(6, direction="callback", outcome="reached", operator_user_id=operator_id),
            CallbackTask(
                from_number="+33612345604",
                reason="abandoned",
                state="done",
                first_call_at=MONDAY_9H,
                last_call_at=MONDAY_9H,
                calls=1,
                done_at=MONDAY_9H + timedelta(minutes=30),
            ),
            CallbackTask(
                from_number="+33612345605",
                reason="out_of_hours",
                state="open",
                first_call_at=MONDAY_9H + timedelta(hours=12),
                last_call_at=MONDAY_9H + timedelta(hours=12),
                calls=1,
            ),
        ]
    )
    await session.commit()


async def test_the_line_figures_are_the_hand_computed_ones(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    anne = await create_user(session, Role.OPERATOR, email="anne@example.fr")
    await load_calls(session, anne.id)
    await logged_in_as(client, session, Role.COORDINATOR)
    got = await client.get(
        "/api/indicators/calls", params={"start": "2025-03-01", "end": "2025-03-31"}
    )
    assert got.status_code == 200, got.text
    f = got.json()
    assert (f["received"], f["out_of_hours"], f["in_hours"], f["answered"]) == (5, 1, 4, 3)
    assert (f["answered_within_60s"], f["answered_within_60s_rate"]) == (2, 0.6667)
    assert (f["abandoned"], f["abandonment_rate"]) == (1, 0.25)
    assert (f["mean_wait_seconds"], f["p90_wait_seconds"]) == (70.0, 120.0)
    assert f["became_requests"] == 2
    assert (f["callbacks"], f["callbacks_reached"]) == (1, 1)
    assert f["by_hour"][9] == 4  # 09:10 to 09:40 Paris
    assert f["by_hour"][21] == 1  # the out-of-hours call, 21:00 Paris
    assert f["by_weekday"][0] == 5  # Monday
    [op] = f["per_operator"]
    assert (op["name"], op["answered"], op["mean_duration_seconds"], op["callbacks"]) == (
        "Test operator",
        3,
        200.0,
        1,
    )
    assert (f["missed_called_back"], f["missed_still_open"]) == (1, 1)
    assert (f["mean_callback_delay_minutes"], f["called_back_within_hour_rate"]) == (30.0, 1.0)
    assert f["definitions"][0][0] == "Appels reçus"


async def test_the_figures_export_in_french_and_the_funder_reads_them_operators_do_not(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    anne = await create_user(session, Role.OPERATOR, email="anne@example.fr")
    await load_calls(session, anne.id)
    await login(client, anne.email)
    period = {"start": "2025-03-01", "end": "2025-03-31"}
    assert (await client.get("/api/indicators/calls", params=period)).status_code == 403
    await logged_in_as(client, session, Role.FUNDER)
    assert (await client.get("/api/indicators/calls", params=period)).status_code == 200
    csv = await client.get("/api/indicators/calls/export.csv", params=period)
    assert csv.status_code == 200
    text = csv.content.decode("utf-8-sig")
    assert "Taux d'abandon (%);25,0" in text  # French decimal comma
    assert "+336" not in text
    xlsx = await client.get("/api/indicators/calls/export.xlsx", params=period)
    assert xlsx.status_code == 200
    backwards = await client.get(
        "/api/indicators/calls", params={"start": "2025-03-31", "end": "2025-03-01"}
    )
    assert backwards.status_code == 422
    assert backwards.json()["detail"][0]["loc"] == ["query", "end"]


async def test_the_orientation_envelope_takes_operator_hours_from_presence_when_there_is_some(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    anne = await create_user(session, Role.OPERATOR, email="anne@example.fr")
    await load_calls(session, anne.id)
    session.add_all(
        [
            PresenceSpan(
                user_id=anne.id,
                state="available",
                started_at=MONDAY_9H,
                ended_at=MONDAY_9H + timedelta(hours=3),
            ),
            PresenceSpan(
                user_id=anne.id,
                state="away",
                started_at=MONDAY_9H + timedelta(hours=3),
                ended_at=MONDAY_9H + timedelta(days=40),
            ),
        ]
    )
    await session.commit()
    await logged_in_as(client, session, Role.COORDINATOR)
    await client.put("/api/indicators/aci/contract", json=contract(indicator(1, "n3", weight=100)))
    for month in ("2025-03-01", "2025-04-01"):
        saved = await client.put(
            "/api/indicators/aci/operator-hours", json={"month": month, "hours": 10}
        )
        assert saved.status_code == 200, saved.text
    months = (await client.get("/api/indicators/aci/orientation", params={"year": 1})).json()[
        "months"
    ]
    march, april = months[2], months[3]
    assert (march["operator_hours"], march["hours_source"], march["calls_answered"]) == (
        3.0,
        "presence",
        3,
    )
    assert march["cost"] == 90  # 3 h x 30 €
    assert (april["operator_hours"], april["hours_source"]) == (10, "entered")
