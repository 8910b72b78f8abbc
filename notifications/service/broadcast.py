"""Broadcasts: a patient no slot fits is offered by SMS to several volunteer effectors; the
first valid `OUI <code>` gets the patient, later answers are told it is taken.

The race is settled by the database: one conditional `UPDATE ... SET status = 'taken' WHERE
id = ? AND status = 'open' AND expires_at > now`. Whatever the number of effectors answering at
the same instant, on any number of app instances, one UPDATE changes the row; the others find
it taken. `BroadcastAccepted` then tells regulation and the consoles who took the patient (the
appointment itself is regulation's next step).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.events import BroadcastAccepted, BroadcastAnsweredLate, BroadcastStarted
from notifications.models import Audience, Broadcast, BroadcastStatus, BroadcastTarget
from notifications.schemas import BroadcastOut
from notifications.service import outbox, sources
from notifications.service.outbox import About
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import BusinessRuleError, NotFound


async def _free_code(session: AsyncSession) -> str:
    taken = set(
        await session.scalars(
            select(Broadcast.code).where(Broadcast.status == BroadcastStatus.OPEN.value)
        )
    )
    while True:
        code = str(1000 + secrets.randbelow(9000))
        if code not in taken:
            return code


async def _out(session: AsyncSession, broadcast: Broadcast) -> BroadcastOut:
    targets = await session.scalar(
        select(func.count())
        .select_from(BroadcastTarget)
        .where(BroadcastTarget.broadcast_id == broadcast.id)
    )
    return BroadcastOut(
        id=broadcast.id,
        code=broadcast.code,
        request_id=broadcast.request_id,
        place=broadcast.place,
        status=broadcast.status,
        expires_at=broadcast.expires_at,
        targets=int(targets or 0),
        winner_effector_id=broadcast.winner_effector_id,
        taken_at=broadcast.taken_at,
    )


async def start_broadcast(
    session: AsyncSession,
    actor: Actor,
    *,
    request_id: int | None,
    place: str,
    effector_ids: Sequence[int],
    expires_in: timedelta = timedelta(minutes=30),
) -> BroadcastOut:
    """Offer a patient near `place` to `effector_ids` by SMS (`OUI <code>` to accept)."""
    now = utcnow()
    contacts = [
        c
        for c in [await sources.effector_contact(session, i) for i in dict.fromkeys(effector_ids)]
        if c is not None
    ]
    if not contacts:
        raise BusinessRuleError("Aucun effecteur joignable par SMS.", loc=["body", "effector_ids"])
    broadcast = Broadcast(
        code=await _free_code(session),
        request_id=request_id,
        place=place.strip(),
        status=BroadcastStatus.OPEN.value,
        expires_at=now + expires_in,
        created_by=actor.email,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    phones: set[str] = set()
    for contact in contacts:
        if contact.phone in phones:
            continue
        phones.add(contact.phone)
        session.add(
            BroadcastTarget(broadcast_id=broadcast.id, effector_id=contact.id, phone=contact.phone)
        )
        await outbox.enqueue(
            session,
            key=f"broadcast:{broadcast.id}:offer:{contact.phone}",
            to=contact.phone,
            template="diffusion_offre",
            audience=Audience.EFFECTOR,
            values={"lieu": broadcast.place, "code": broadcast.code},
            # Solicitations are optional: an effector who answered STOP gets none.
            essential=False,
            expires_at=broadcast.expires_at,
            about=About(request_id=request_id, effector_id=contact.id, broadcast_id=broadcast.id),
        )
    await session.flush()
    await audit.created(session, actor, "broadcast", broadcast.id)
    await events.emit(session, BroadcastStarted(broadcast.id, request_id, len(phones)))
    return await _out(session, broadcast)


async def get_broadcast(session: AsyncSession, broadcast_id: int) -> BroadcastOut:
    broadcast = await session.get(Broadcast, broadcast_id)
    if broadcast is None:
        raise NotFound("Diffusion introuvable.", loc=["path", "broadcast_id"])
    return await _out(session, broadcast)


async def answer(session: AsyncSession, phone: str, code: str | None, now: datetime) -> str:
    """An `OUI <code>` from `phone`: the first valid one takes the patient."""
    broadcast = (
        await session.scalar(
            select(Broadcast).where(Broadcast.code == code).order_by(Broadcast.id.desc()).limit(1)
        )
        if code
        else None
    )
    target = (
        await session.scalar(
            select(BroadcastTarget).where(
                BroadcastTarget.broadcast_id == broadcast.id, BroadcastTarget.phone == phone
            )
        )
        if broadcast is not None
        else None
    )
    if broadcast is None or target is None:
        await outbox.enqueue(
            session,
            key=f"broadcast_unknown:{phone}:{code}:{now.isoformat()}",
            to=phone,
            template="diffusion_code_inconnu",
            audience=Audience.EFFECTOR,
        )
        return "broadcast_unknown"
    about = About(
        request_id=broadcast.request_id, effector_id=target.effector_id, broadcast_id=broadcast.id
    )
    values = {"lieu": broadcast.place, "code": broadcast.code}
    won = await session.execute(
        update(Broadcast)
        .where(
            Broadcast.id == broadcast.id,
            Broadcast.status == BroadcastStatus.OPEN.value,
            Broadcast.expires_at > now,
        )
        .values(
            status=BroadcastStatus.TAKEN.value,
            winner_effector_id=target.effector_id,
            taken_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if won.rowcount:  # type: ignore[attr-defined]
        target.answer, target.answered_at = "won", now
        await outbox.enqueue(
            session,
            key=f"broadcast:{broadcast.id}:won:{phone}",
            to=phone,
            template="diffusion_attribuee",
            audience=Audience.EFFECTOR,
            values=values,
            about=about,
        )
        await events.emit(
            session, BroadcastAccepted(broadcast.id, broadcast.request_id, target.effector_id)
        )
        return "broadcast_won"
    await session.refresh(broadcast)
    if broadcast.winner_effector_id == target.effector_id:
        return "broadcast_already_won"
    if target.answer is None:
        target.answer, target.answered_at = "late", now
    await outbox.enqueue(
        session,
        key=f"broadcast:{broadcast.id}:late:{phone}",
        to=phone,
        template="diffusion_deja_prise",
        audience=Audience.EFFECTOR,
        values=values,
        about=about,
    )
    await events.emit(
        session, BroadcastAnsweredLate(broadcast.id, broadcast.request_id, target.effector_id)
    )
    return "broadcast_late"
