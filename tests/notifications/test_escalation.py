"""Regulation's escalation ladder on the SMS side: a started step is broadcast in the same
transaction, and the first effector to answer `OUI <code> [time]` gets the patient booked."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.events import BroadcastAccepted, BroadcastStarted
from notifications.models import Broadcast, OutboxMessage
from notifications.service import escalation, inbound, sources
from notifications.service.inbound import answer_time
from notifications.service.timing import paris_time
from regulation import RequestEscalated
from snp.auth.roles import Role
from snp.db import utcnow
from snp.errors import BusinessRuleError
from snp.kit import PARIS
from tests.notifications.conftest import outbox_rows
from tests.regulation.builders import REDON, effector, north_of, slot
from tests.regulation.conftest import client_for, communes, staff  # noqa: F401 (fixture)
from tests.regulation.test_booking_journey import url
from tests.regulation.test_escalation import urgent_request

pytestmark = pytest.mark.usefixtures("communes")


async def phone_of(session: AsyncSession, effector_id: int) -> str:
    """The effector's mobile, as the broadcast texts it."""
    contact = await sources.effector_contact(session, effector_id)
    assert contact is not None
    return contact.phone


async def escalate(
    client: httpx.AsyncClient, session: AsyncSession, nearby: int = 2
) -> tuple[dict[str, Any], list[tuple[int, int]], dict[str, Any]]:
    """An operator holds an urgent request no slot fits and starts the « nearby » step."""
    await staff(session, client, Role.OPERATOR)
    effectors = [
        await effector(session, f"Proche{i}", north_of(REDON, 2 + i)) for i in range(nearby)
    ]
    created = await urgent_request(client, session)
    started = await client.post(url(created["id"], "escalations"), json={"step": "nearby"})
    assert started.status_code == 200, started.text
    found = await client.get("/api/notifications/broadcasts", params={"request_id": created["id"]})
    assert found.status_code == 200, found.text
    (broadcast,) = found.json()["items"]
    return created, effectors, broadcast


def later_today(minutes: int) -> datetime:
    """A whole minute `minutes` from now, on the same Paris day (else the test cannot run)."""
    now = utcnow()
    moment = (now + timedelta(minutes=minutes)).replace(second=0, microsecond=0)
    if moment.astimezone(PARIS).date() != now.astimezone(PARIS).date():
        pytest.skip("too close to midnight (Paris) for a same-day appointment")
    return moment


async def reply(session: AsyncSession, sender: str, body: str) -> str:
    received = await inbound.handle_inbound(
        session,
        provider_sid=f"SM{abs(hash((sender, body, utcnow()))):030d}",
        sender=sender,
        body=body,
    )
    await session.commit()
    return received.outcome


async def test_starting_a_step_broadcasts_it_to_the_step_effectors_at_once(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    created, effectors, broadcast = await escalate(client, session)
    assert (broadcast["step"], broadcast["status"], broadcast["targets"]) == ("nearby", "open", 2)
    assert broadcast["request_id"] == created["id"]
    assert broadcast["place"] == "Redon"
    offers = [m for m in await outbox_rows(session) if m.template == "diffusion_offre"]
    assert sorted(m.recipient for m in offers) == sorted(
        [await phone_of(session, e) for e, _ in effectors]
    )
    assert all(f"OUI {broadcast['code']}" in m.body for m in offers)
    assert all(m.request_id == created["id"] for m in offers)
    # Committed together, published together: the consoles see the broadcast live.
    kinds = [type(e) for e in published]
    assert BroadcastStarted in kinds
    assert RequestEscalated in kinds
    started = next(e for e in published if isinstance(e, BroadcastStarted))
    assert (started.broadcast_id, started.request_id, started.targets) == (
        broadcast["id"],
        created["id"],
        2,
    )


async def test_a_console_that_started_the_broadcast_itself_gets_no_second_one(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR)
    near = await effector(session, "Proche", north_of(REDON, 4))
    created = await urgent_request(client, session)
    own = await client.post(
        "/api/notifications/broadcasts",
        json={"request_id": created["id"], "place": "Redon", "effector_ids": [near[0]]},
    )
    assert own.status_code == 201
    recorded = await client.post(
        url(created["id"], "escalations"), json={"step": "nearby", "broadcast_id": own.json()["id"]}
    )
    assert recorded.status_code == 200, recorded.text
    listed = (
        await client.get("/api/notifications/broadcasts", params={"request_id": created["id"]})
    ).json()["items"]
    assert [(b["id"], b["step"]) for b in listed] == [(own.json()["id"], "nearby")]


async def test_a_step_nobody_can_be_texted_for_is_refused_as_a_whole(
    session: AsyncSession,
) -> None:
    event = RequestEscalated(
        request_id=1,
        step="cpts",
        effector_ids=(987654,),  # unknown effector
        place="Redon",
        timeout_minutes=15,
        broadcast_id=None,
        referrer_user_id=None,
    )
    with pytest.raises(BusinessRuleError) as refused:
        await escalation.on_request_escalated(session, event)
    assert tuple(refused.value.loc) == ("body", "step")
    await session.rollback()
    assert list(await session.scalars(select(Broadcast))) == []


async def test_the_first_oui_with_a_time_books_the_patient_then_later_answers_are_told(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    created, effectors, broadcast = await escalate(client, session)
    first, second = [await phone_of(session, e) for e, _ in effectors]
    at = later_today(minutes=20)
    code = broadcast["code"]

    assert await reply(session, first, f"oui {code} à {paris_time(at)}") == "broadcast_booked"
    assert await reply(session, second, f"OUI {code}") == "broadcast_late"

    request = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert (request["status"], request["outcome"]) == ("closed", "slot_booked")
    assert datetime.fromisoformat(request["consultation_at"]).astimezone(UTC) == at
    done = (await client.get(f"/api/notifications/broadcasts/{broadcast['id']}")).json()
    assert done["status"] == "taken"
    assert done["winner_effector_id"] == effectors[0][0]
    assert done["appointment_id"] == request["appointment_id"]
    assert done["answers"] == 2

    rows = await outbox_rows(session)
    to_first = [m.template for m in rows if m.recipient == first]
    assert to_first == ["diffusion_offre", "diffusion_attribuee_rdv", "effecteur_rdv"]
    won = next(m for m in rows if m.template == "diffusion_attribuee_rdv")
    assert f"à {paris_time(at)}" in won.body
    assert [m.template for m in rows if m.recipient == second] == [
        "diffusion_offre",
        "diffusion_deja_prise",
    ]
    confirmation = next(m for m in rows if m.template == "patient_rdv_cabinet")
    assert confirmation.recipient == "+33612345678"
    assert confirmation.request_id == created["id"]
    accepted = next(e for e in published if isinstance(e, BroadcastAccepted))
    assert accepted.appointment_id == request["appointment_id"]


async def test_without_a_time_the_winner_gets_the_patient_in_their_next_free_slot_today(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    created, effectors, broadcast = await escalate(client, session, nearby=1)
    start = later_today(minutes=40)
    await slot(session, effectors[0], start)
    assert await reply(
        session, await phone_of(session, effectors[0][0]), f"OUI {broadcast['code']}"
    ) == ("broadcast_booked")
    request = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert request["outcome"] == "slot_booked"
    assert datetime.fromisoformat(request["consultation_at"]).astimezone(UTC) == start


async def test_when_nothing_can_be_booked_the_operator_agrees_the_time_by_phone(
    client: httpx.AsyncClient, session: AsyncSession, published: list[object]
) -> None:
    created, effectors, broadcast = await escalate(client, session, nearby=1)
    phone = await phone_of(session, effectors[0][0])
    # No free slot today and no time given: the patient is theirs, the time is to agree.
    assert await reply(session, phone, f"OUI {broadcast['code']}") == "broadcast_won"
    request = (await client.get(f"/api/regulation/requests/{created['id']}")).json()
    assert request["status"] == "claimed"  # still in the operator's hands
    (won,) = [m for m in await outbox_rows(session) if m.template == "diffusion_attribuee"]
    assert "La plateforme vous appelle pour convenir de l'heure." in won.body
    accepted = next(e for e in published if isinstance(e, BroadcastAccepted))
    assert accepted.appointment_id is None
    assert (
        await session.scalar(select(OutboxMessage).where(OutboxMessage.template == "effecteur_rdv"))
        is None
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("OUI 4821 14h30", time(14, 30)),
        ("oui 4821 à 9h", time(9, 0)),
        ("Oui 4821 14:05", time(14, 5)),
        ("OUI 4821 17", time(17, 0)),
        ("OUI 4821", None),
        ("OUI 4821 25h00", None),
        ("OUI 4821 14h75", None),
    ],
)
def test_the_time_of_an_answer_is_read_in_the_usual_french_notations(
    body: str, expected: time | None
) -> None:
    assert answer_time(body) == expected
    assert inbound.parse_keyword(body) == ("OUI", "4821")


async def test_a_refused_step_sends_nothing(
    app: Any, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    await effector(session, "Proche", north_of(REDON, 4))
    created = await urgent_request(client, session)
    async with client_for(app) as other:
        await staff(session, other, Role.OPERATOR, name="Paul Opérateur")
        refused = await other.post(url(created["id"], "escalations"), json={"step": "nearby"})
        assert refused.status_code == 403  # not the claim holder: no step, no SMS
    impossible = await client.post(url(created["id"], "escalations"), json={"step": "gp"})
    assert impossible.status_code == 422
    assert list(await session.scalars(select(Broadcast))) == []
    assert await outbox_rows(session) == []
