"""Broadcasts: the first valid `OUI <code>` gets the patient, even when answers cross."""

from __future__ import annotations

import asyncio
import itertools

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda import EffectorData, SiteData, upsert_effector
from agenda.models import Effector
from notifications.events import BroadcastAccepted, BroadcastAnsweredLate, BroadcastStarted
from notifications.models import BroadcastTarget, InboundMessage
from notifications.service import broadcast
from snp.actor import Actor
from snp.auth.roles import Role
from snp.identifiers import rpps_with_check_digit
from tests.factories import logged_in_as
from tests.notifications.conftest import outbox_rows
from tests.notifications.fake_twilio import FakeTwilio
from tests.notifications.test_webhooks import INBOUND_URL

_serial = itertools.count(500)
OPERATOR = Actor(user_id=None, email="operateur@example.fr", role=Role.OPERATOR)


async def effector_with_phone(session: AsyncSession, phone: str) -> Effector:
    n = next(_serial)
    effector = await upsert_effector(
        session,
        EffectorData(
            rpps=rpps_with_check_digit(f"2{n:09d}"),
            family_name=f"Volontaire{n}",
            given_name="Paul",
            phone=phone,
            sites=[
                SiteData(
                    name="Cabinet",
                    address_line="2 place de la République",
                    postal_code="35600",
                    city="Redon",
                    insee_code="35236",
                    latitude=47.65,
                    longitude=-2.08,
                )
            ],
        ),
    )
    await session.commit()
    return effector


async def test_a_broadcast_offers_the_patient_to_every_effector(
    session: AsyncSession, published: list[object]
) -> None:
    first = await effector_with_phone(session, "+33611000001")
    second = await effector_with_phone(session, "+33611000002")
    started = await broadcast.start_broadcast(
        session, OPERATOR, request_id=4, place="Saint-Nicolas", effector_ids=[first.id, second.id]
    )
    await session.commit()
    assert (started.status, started.targets, len(started.code)) == ("open", 2, 4)
    offers = await outbox_rows(session)
    assert [o.recipient for o in offers] == ["+33611000001", "+33611000002"]
    assert offers[0].body == (
        "SNP : patient à voir aujourd'hui près de Saint-Nicolas. Disponible ? "
        f"Répondez OUI {started.code}. Le premier à répondre prend le patient."
    )
    assert offers[0].essential is False
    assert offers[0].expires_at == started.expires_at
    assert [type(e) for e in published] == [BroadcastStarted]


async def test_two_effectors_answering_at_once_one_wins_the_other_is_told(
    webhook_app: FastAPI, session: AsyncSession, fake_twilio: FakeTwilio, published: list[object]
) -> None:
    phones = ["+33611000011", "+33611000012"]
    effectors = [await effector_with_phone(session, p) for p in phones]
    ids = [e.id for e in effectors]
    for round_ in range(3):
        published.clear()
        started = await broadcast.start_broadcast(
            session, OPERATOR, request_id=round_, place="Redon", effector_ids=ids
        )
        await session.commit()
        answers = await asyncio.gather(
            *[fake_twilio.inbound(INBOUND_URL, p, f"OUI {started.code}") for p in phones]
        )
        assert [a.status_code for a in answers] == [200, 200]
        outcomes = sorted(
            str(outcome)
            for outcome in await session.scalars(
                select(InboundMessage.outcome)
                .where(InboundMessage.body == f"OUI {started.code}")
                .execution_options(populate_existing=True)
            )
        )
        assert outcomes == ["broadcast_late", "broadcast_won"]
        state = await broadcast.get_broadcast(session, started.id)
        assert state.status == "taken"
        assert state.winner_effector_id in ids
        winner_phone = phones[ids.index(state.winner_effector_id or 0)]
        replies = {
            (r.recipient, r.template)
            for r in await outbox_rows(session)
            if r.broadcast_id == started.id and r.template != "diffusion_offre"
        }
        loser_phone = next(p for p in phones if p != winner_phone)
        assert replies == {
            (winner_phone, "diffusion_attribuee"),
            (loser_phone, "diffusion_deja_prise"),
        }
        assert sorted(type(e).__name__ for e in published) == [
            BroadcastAccepted.__name__,
            BroadcastAnsweredLate.__name__,
            BroadcastStarted.__name__,
        ]
        answered = await session.scalars(
            select(BroadcastTarget.answer)
            .where(BroadcastTarget.broadcast_id == started.id)
            .execution_options(populate_existing=True)
        )
        assert sorted(a or "" for a in answered) == ["late", "won"]


async def test_a_wrong_code_or_a_stranger_gets_code_unknown(
    webhook_app: FastAPI, session: AsyncSession, fake_twilio: FakeTwilio
) -> None:
    effector = await effector_with_phone(session, "+33611000021")
    started = await broadcast.start_broadcast(
        session, OPERATOR, request_id=None, place="Redon", effector_ids=[effector.id]
    )
    await session.commit()
    wrong = "1000" if started.code != "1000" else "1001"
    await fake_twilio.inbound(INBOUND_URL, "+33611000021", f"OUI {wrong}")
    await fake_twilio.inbound(INBOUND_URL, "+33622222222", f"OUI {started.code}")
    await fake_twilio.inbound(INBOUND_URL, "+33611000021", "OUI")
    replies = [(r.recipient, r.template) for r in await outbox_rows(session)][1:]
    assert replies == [
        ("+33611000021", "diffusion_code_inconnu"),
        ("+33622222222", "diffusion_code_inconnu"),
        ("+33611000021", "diffusion_code_inconnu"),
    ]
    assert (await broadcast.get_broadcast(session, started.id)).status == "open"


async def test_broadcasts_through_the_api(client: httpx.AsyncClient, session: AsyncSession) -> None:
    effector = await effector_with_phone(session, "+33611000031")
    await logged_in_as(client, session, Role.OPERATOR)
    created = await client.post(
        "/api/notifications/broadcasts",
        json={"request_id": 3, "place": "Redon", "effector_ids": [effector.id]},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["status"], body["targets"], body["request_id"]) == ("open", 1, 3)
    fetched = await client.get(f"/api/notifications/broadcasts/{body['id']}")
    assert fetched.json() == body
    missing = await client.post(
        "/api/notifications/broadcasts", json={"place": "Redon", "effector_ids": [99999]}
    )
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["msg"] == "Aucun effecteur joignable par SMS."
