"""Presence follows the consoles: an available operator whose console went silent is set away
from the moment it was last seen (so no call waits for nobody and the hours stay true); one on
a call keeps it; a heartbeat keeps an operator present."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp.db import utcnow
from telephony.models import OperatorPresence, PresenceSpan
from telephony.service import presence
from tests.regulation.conftest import staff
from tests.telephony.conftest import available


async def test_a_silent_console_sets_its_operator_away_from_when_it_was_last_seen(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from snp.auth.roles import Role

    anne = await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    await available(client, "+33611111111")
    now = utcnow()
    row = await session.get(OperatorPresence, anne.id)
    assert row is not None
    last_seen = now - timedelta(minutes=10)
    row.last_seen_at = last_seen
    await session.commit()

    await presence.seen(session, anne.id, now - timedelta(minutes=9))  # a heartbeat, still old
    assert await presence.away_when_gone(session, grace_seconds=120, now=now) == [anne.id]
    await session.commit()

    fresh = {"populate_existing": True}
    row = (await session.scalars(select(OperatorPresence).execution_options(**fresh))).one()
    assert row.state == "away"
    spans = list(
        await session.scalars(
            select(PresenceSpan).order_by(PresenceSpan.id).execution_options(**fresh)
        )
    )
    assert [s.state for s in spans] == ["available", "away"]
    assert spans[0].ended_at == now - timedelta(minutes=9)  # hours counted until last seen


async def test_a_heartbeat_keeps_the_operator_and_a_call_in_progress_is_kept(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    from snp.auth.roles import Role

    anne = await staff(session, client, Role.OPERATOR, name="Anne Opératrice")
    await available(client, "+33611111111")
    now = utcnow()
    await presence.seen(session, anne.id, now - timedelta(seconds=30))
    assert await presence.away_when_gone(session, grace_seconds=120, now=now) == []
    await presence.on_call(session, anne.id, now - timedelta(minutes=20))
    await session.execute(update(OperatorPresence).values(last_seen_at=now - timedelta(minutes=20)))
    assert await presence.away_when_gone(session, grace_seconds=120, now=now) == []
    await session.commit()
