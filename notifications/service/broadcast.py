"""Broadcasts: a patient no slot fits is offered by SMS to several volunteer effectors; the
first valid `OUI <code>` gets the patient, later answers are told it is taken.

The race is settled by the database: one conditional `UPDATE ... SET status = 'taken' WHERE
id = ? AND status = 'open' AND expires_at > now`. Whatever the number of effectors answering at
the same instant, on any number of app instances, one UPDATE changes the row; the others find
it taken.

The winner gets the patient at once when possible (`broadcast_booking`): at the time
they gave (`OUI 4821 14h30`: a slot is added to their agenda and booked) or else in their next
free slot today; the request is then oriented and closed `slot_booked` through regulation's
public services, and the usual booking SMS follow (effector with the patient's phone, patient
confirmation, referrer). When neither is possible, the operator agrees a time with the winner by
phone. `BroadcastAccepted` tells the consoles who took the patient (and the appointment, if any).

A broadcast started by regulation's escalation (`RequestEscalated`, see `handlers`) records its
`step`; the console finds a request's broadcasts with `list_broadcasts(request_id=...)`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from notifications.errors import NoReachableEffector
from notifications.events import BroadcastAccepted, BroadcastAnsweredLate, BroadcastStarted
from notifications.models import Audience, Broadcast, BroadcastStatus, BroadcastTarget
from notifications.schemas import BroadcastOut
from notifications.service import broadcast_booking, outbox, sources, timing
from notifications.service.outbox import About
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound


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
    answers = await session.scalar(
        select(func.count())
        .select_from(BroadcastTarget)
        .where(BroadcastTarget.broadcast_id == broadcast.id, BroadcastTarget.answer.is_not(None))
    )
    winner = (
        await sources.effector_contact(session, broadcast.winner_effector_id)
        if broadcast.winner_effector_id is not None
        else None
    )
    return BroadcastOut(
        step=broadcast.step,
        winner_name=winner.name if winner is not None else None,
        answers=int(answers or 0),
        appointment_id=broadcast.appointment_id,
        appointment_start_at=broadcast.appointment_start_at,
        created_at=broadcast.created_at,
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
    step: str | None = None,
) -> BroadcastOut:
    """Offer a patient near `place` to `effector_ids` by SMS (`OUI <code>` to accept)."""
    now = utcnow()
    contacts = [
        c
        for c in [await sources.effector_contact(session, i) for i in dict.fromkeys(effector_ids)]
        if c is not None
    ]
    if not contacts:
        raise NoReachableEffector(
            "Aucun effecteur joignable par SMS.", loc=["body", "effector_ids"]
        )
    broadcast = Broadcast(
        code=await _free_code(session),
        request_id=request_id,
        place=place.strip(),
        step=step,
        status=BroadcastStatus.OPEN.value,
        expires_at=now + expires_in,
        created_by=actor.email,
        created_at=now,
    )
    session.add(broadcast)
    await session.flush()
    phones: set[str] = set()
    for contact in contacts:
        if not contact.phone or contact.phone in phones:  # a directory entry without a phone
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


async def list_broadcasts(
    session: AsyncSession,
    *,
    request_id: int | None = None,
    since: datetime | None = None,
    limit: int = 50,
) -> list[BroadcastOut]:
    """Broadcasts, newest first: those of a request, or those started since `since`."""
    query = select(Broadcast)
    if request_id is not None:
        query = query.where(Broadcast.request_id == request_id)
    if since is not None:
        query = query.where(Broadcast.created_at >= since)
    rows = await session.scalars(query.order_by(Broadcast.id.desc()).limit(limit))
    return [await _out(session, b) for b in rows]


async def answer(
    session: AsyncSession, phone: str, code: str | None, now: datetime, at: time | None = None
) -> str:
    """An `OUI <code> [time]` from `phone`: the first valid one takes the patient (booked at
    `at`, Paris time today, when given)."""
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
        await session.refresh(broadcast)
        held = await broadcast_booking.hold_for_winner(
            session, broadcast, target.effector_id, at, now
        )
        # The winner's thanks go first (the booking's own SMS follow in the outbox).
        await outbox.enqueue(
            session,
            key=f"broadcast:{broadcast.id}:won:{phone}",
            to=phone,
            template="diffusion_attribuee_rdv" if held else "diffusion_attribuee",
            audience=Audience.EFFECTOR,
            values=(
                {
                    "code": broadcast.code,
                    "date": timing.paris_date(held.start_at),
                    "heure": timing.paris_time(held.start_at),
                }
                if held
                else values
            ),
            about=about,
        )
        appointment_id = None
        if held is not None:
            appointment = await broadcast_booking.book(session, broadcast, held, now)
            broadcast.appointment_id = appointment.id
            broadcast.appointment_start_at = appointment.start_at
            appointment_id = appointment.id
        await events.emit(
            session,
            BroadcastAccepted(
                broadcast.id, broadcast.request_id, target.effector_id, appointment_id
            ),
        )
        return "broadcast_booked" if appointment_id else "broadcast_won"
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
