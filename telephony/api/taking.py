"""The provider's REST calls are made outside any database transaction.

« Prendre l'appel » (and the automatic offer) and « Rappeler » each run in three steps: a short
transaction that claims the call (or records the call-back) and is committed; the line's REST
call (`<Dial>` update or new call), with no transaction open, so on SQLite no write lock, and on
PostgreSQL no row lock nor connection, is held through a round trip to the provider; then a
second short transaction records what the line said: the call taken (or placed), or, when the
line refused or did not answer in time, the claim released (the call waits again, for anyone)
and the failure recorded, before the operator is told why in French.

These helpers end the request's transaction (`session.commit()`) between the steps: the
request's session goes on with a new transaction, committed as usual when the route returns.
The events of each step are published after its commit.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from snp.actor import Actor
from telephony.errors import CallAlreadyTaken, CallNotWaiting, LineUnavailable
from telephony.models import PhoneCall
from telephony.schemas import TakenOut
from telephony.service import calls, dialer
from telephony.service.line import VoiceLine


async def take(session: AsyncSession, actor: Actor, call_id: int, *, line: VoiceLine) -> TakenOut:
    """« Prendre l'appel »: exactly one operator per call; the caller is never lost."""
    claim = await calls.claim_call(session, actor, call_id)
    await session.commit()
    try:
        await line.connect(claim.sid, claim.target, call_id=claim.call_id)
    except LineUnavailable as refused:
        reason = type(refused.__cause__ or refused).__name__
        await calls.release_claim(session, actor, claim, reason=reason)
        await session.commit()
        raise
    return await calls.confirm_taken(session, actor, claim)


async def offer_longest_waiting(session: AsyncSession, *, line: VoiceLine) -> TakenOut | None:
    """Automatic offer: the longest-waiting call to the longest-idle available operator."""
    offer = await calls.longest_waiting_offer(session)
    if offer is None:
        return None
    operator, call_id = offer
    try:
        return await take(session, operator, call_id, line=line)
    except (CallAlreadyTaken, CallNotWaiting, LineUnavailable):
        return None  # taken meanwhile, gone, or the line refused: the call still waits


async def call_back(
    session: AsyncSession,
    actor: Actor,
    *,
    line: VoiceLine,
    request_id: int | None = None,
    task_id: int | None = None,
) -> PhoneCall:
    """« Rappeler »: the call-back is recorded, then placed, then its provider id kept."""
    dialling = await dialer.start_call_back(session, actor, request_id=request_id, task_id=task_id)
    await session.commit()
    try:
        sid = await line.call_back(
            dialling.operator_phone, dialling.number, call_id=dialling.call_id
        )
    except LineUnavailable as refused:
        reason = type(refused.__cause__ or refused).__name__
        await dialer.call_back_failed(session, actor, dialling, reason=reason)
        await session.commit()
        raise
    return await dialer.call_back_placed(session, actor, dialling, sid)
