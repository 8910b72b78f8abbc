"""Regulation's escalation ladder, on the SMS side: a started step becomes a broadcast.

`regulation.record_escalation` records the step (timeline entry) and emits `RequestEscalated`
with the step's effectors, the patient's place and the response timeout; this starts the
broadcast in the same transaction, so a step is never recorded without its SMS (nor SMS sent for
a step that was refused). Regulation does not know the broadcast (it depends on nothing of
notifications): the broadcast records the request and the step, and the consoles find it with
`GET /api/notifications/broadcasts?request_id=...` and follow it live (`broadcast.*` events).

A console that started the broadcast itself before recording the step (the event then carries
its `broadcast_id`) gets no second one: the broadcast is only labelled with the step.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.errors import NoReachableEffector
from notifications.models import Broadcast
from notifications.service import broadcast
from regulation import RequestEscalated
from snp.actor import Actor

ESCALATION = Actor.system("regulation.escalation")


async def on_request_escalated(session: AsyncSession, event: RequestEscalated) -> int | None:
    """Start the step's broadcast; returns its id (None when the console had started it)."""
    if event.broadcast_id is not None:
        await session.execute(
            update(Broadcast)
            .where(Broadcast.id == event.broadcast_id, Broadcast.request_id == event.request_id)
            .values(step=event.step)
            .execution_options(synchronize_session=False)
        )
        return None
    try:
        started = await broadcast.start_broadcast(
            session,
            ESCALATION,
            request_id=event.request_id,
            place=event.place[:40],
            effector_ids=event.effector_ids,
            expires_in=timedelta(minutes=event.timeout_minutes),
            step=event.step,
        )
    except NoReachableEffector as exc:
        # The step cannot be run: refuse it as a whole (the request's log keeps nothing).
        raise NoReachableEffector(
            "Aucun effecteur de cette étape n'est joignable par SMS.", loc=["body", "step"]
        ) from exc
    return started.id
