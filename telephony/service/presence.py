"""Operators' presence: available, on a call, wrap-up (ends on its own), away; and the phone the
line rings for each. Every change closes the current span of the history and opens the next
(the orientation envelope counts operator hours from it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp import auth, events
from snp.actor import Actor
from snp.db import utcnow
from snp.settings import Settings
from telephony.errors import NoPhoneToRing
from telephony.events import PresenceChanged
from telephony.models import OperatorPresence, PresenceSpan, PresenceState
from telephony.schemas import PRESENCE_LABELS, PresenceOut

ON_DUTY = (PresenceState.AVAILABLE, PresenceState.ON_CALL, PresenceState.WRAP_UP)


def effective_state(row: OperatorPresence, now: datetime) -> str:
    """Wrap-up ends by itself: past its end the operator is available."""
    if row.state == PresenceState.WRAP_UP and (
        row.wrap_up_until is None or row.wrap_up_until <= now
    ):
        return PresenceState.AVAILABLE
    return row.state


async def _row(
    session: AsyncSession, user_id: int, *, for_update: bool = False
) -> OperatorPresence | None:
    query = select(OperatorPresence).where(OperatorPresence.user_id == user_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def _change(
    session: AsyncSession,
    user_id: int,
    state: PresenceState,
    now: datetime,
    *,
    phone: str | None = None,
    wrap_up_until: datetime | None = None,
) -> OperatorPresence:
    row = await _row(session, user_id, for_update=True)
    if row is None:
        row = OperatorPresence(user_id=user_id, state=PresenceState.AWAY, since=now)
        session.add(row)
    previous = effective_state(row, now)
    if phone is not None:
        row.phone = phone
    if previous != state or row.state != state:
        await session.execute(
            update(PresenceSpan)
            .where(PresenceSpan.user_id == user_id, PresenceSpan.ended_at.is_(None))
            .values(ended_at=now)
        )
        session.add(PresenceSpan(user_id=user_id, state=state, started_at=now))
        row.state = state
        row.since = now
    row.wrap_up_until = wrap_up_until
    row.last_seen_at = max(now, row.last_seen_at) if row.last_seen_at else now
    if state == PresenceState.AVAILABLE and previous != PresenceState.AVAILABLE:
        row.idle_since = now
    await session.flush()
    await events.emit(session, PresenceChanged(user_id, state))
    return row


async def _out(session: AsyncSession, row: OperatorPresence, now: datetime) -> PresenceOut:
    account = await auth.get_account(session, row.user_id)
    state = effective_state(row, now)
    return PresenceOut(
        user_id=row.user_id,
        name=account.full_name if account is not None else f"Compte {row.user_id}",
        state=state,
        state_label=PRESENCE_LABELS[state],
        since=row.since if state == row.state else (row.wrap_up_until or row.since),
        wrap_up_until=row.wrap_up_until if state == PresenceState.WRAP_UP else None,
        phone=row.phone,
    )


async def set_presence(
    session: AsyncSession,
    actor: Actor,
    state: PresenceState,
    *,
    phone: str | None = None,
    now: datetime | None = None,
) -> PresenceOut:
    """The operator's own choice: available (a phone to ring is then required) or away."""
    now = now or utcnow()
    assert actor.user_id is not None  # the route's policy: a logged-in account
    current = await _row(session, actor.user_id)
    if state == PresenceState.AVAILABLE and not (phone or (current and current.phone)):
        raise NoPhoneToRing(
            "Indiquez le téléphone à faire sonner (poste, portable ou adresse SIP).",
            ("body", "phone"),
        )
    if current is not None and effective_state(current, now) == PresenceState.ON_CALL:
        # Mid-call: keep "on a call"; the choice applies to the phone only.
        row = await _change(session, actor.user_id, PresenceState.ON_CALL, now, phone=phone)
    else:
        row = await _change(session, actor.user_id, state, now, phone=phone)
    return await _out(session, row, now)


async def my_presence(
    session: AsyncSession, actor: Actor, now: datetime | None = None
) -> PresenceOut | None:
    if actor.user_id is None:
        return None
    row = await _row(session, actor.user_id)
    return await _out(session, row, now or utcnow()) if row is not None else None


async def phone_of(session: AsyncSession, user_id: int) -> str:
    row = await _row(session, user_id)
    if row is None or not row.phone:
        raise NoPhoneToRing(
            "Indiquez d'abord le téléphone à faire sonner (présence).", ("body", "phone")
        )
    return row.phone


async def on_call(session: AsyncSession, user_id: int, now: datetime) -> None:
    await _change(session, user_id, PresenceState.ON_CALL, now)


async def unreachable(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The operator's phone did not answer a transfer: away until they say otherwise."""
    await _change(session, user_id, PresenceState.AWAY, now)


async def wrap_up(session: AsyncSession, user_id: int, now: datetime, settings: Settings) -> None:
    """After a call: wrap-up for the configured time (then available by itself)."""
    row = await _row(session, user_id)
    if row is None or row.state == PresenceState.AWAY:
        return
    until = now + timedelta(seconds=settings.voice_wrap_up_seconds)
    await _change(session, user_id, PresenceState.WRAP_UP, now, wrap_up_until=until)


async def operators(session: AsyncSession, now: datetime) -> list[PresenceOut]:
    """Operators who set a presence, on duty first."""
    rows = list(await session.scalars(select(OperatorPresence).order_by(OperatorPresence.user_id)))
    found = [await _out(session, row, now) for row in rows]
    return sorted(found, key=lambda p: (p.state == PresenceState.AWAY, p.name))


async def anyone_on_duty(session: AsyncSession, now: datetime) -> bool:
    rows = await session.scalars(
        select(OperatorPresence).where(OperatorPresence.state.in_(ON_DUTY))
    )
    return any(effective_state(row, now) in ON_DUTY for row in rows)


async def longest_idle_available(
    session: AsyncSession, now: datetime, *, busy: frozenset[int] = frozenset()
) -> OperatorPresence | None:
    """The available operator (with a phone) whose last call ended longest ago, `busy` ones
    (a call of theirs being put through) aside."""
    rows = await session.scalars(
        select(OperatorPresence).where(
            OperatorPresence.state.in_((PresenceState.AVAILABLE, PresenceState.WRAP_UP)),
            OperatorPresence.phone.is_not(None),
        )
    )
    ready = [
        row
        for row in rows
        if effective_state(row, now) == PresenceState.AVAILABLE and row.user_id not in busy
    ]
    ready.sort(key=lambda row: (row.idle_since or row.since, row.user_id))
    return ready[0] if ready else None


async def presence_hours(session: AsyncSession, start: datetime, end: datetime) -> float | None:
    """Hours operators spent on duty (available, on a call, wrap-up) in [start, end), from the
    presence history; None when nobody was on duty in the period (no presence data)."""
    spans = list(
        await session.scalars(
            select(PresenceSpan).where(
                PresenceSpan.started_at < end,
                (PresenceSpan.ended_at.is_(None)) | (PresenceSpan.ended_at > start),
            )
        )
    )
    if not spans:
        return None
    now = utcnow()
    seconds = 0.0
    for span in spans:
        if span.state not in ON_DUTY:
            continue
        begin = max(span.started_at, start)
        finish = min(span.ended_at or now, end)
        if finish > begin:
            seconds += (finish - begin).total_seconds()
    return seconds / 3600 if seconds > 0 else None


async def seen(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The operator's console is there (a live heartbeat)."""
    await session.execute(
        update(OperatorPresence)
        .where(OperatorPresence.user_id == user_id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


async def away_when_gone(session: AsyncSession, *, grace_seconds: int, now: datetime) -> list[int]:
    """Available (or wrapping up) operators whose console went silent are set away from the
    moment they were last seen; those on a call keep it (the phone may still be in use)."""
    limit = now - timedelta(seconds=grace_seconds)
    rows = list(
        await session.scalars(
            select(OperatorPresence)
            .where(
                OperatorPresence.state.in_((PresenceState.AVAILABLE, PresenceState.WRAP_UP)),
                OperatorPresence.last_seen_at < limit,
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    for row in rows:
        assert row.last_seen_at is not None  # the query's condition
        await _change(session, row.user_id, PresenceState.AWAY, row.last_seen_at)
    return [row.user_id for row in rows]
