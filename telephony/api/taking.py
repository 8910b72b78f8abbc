"""The provider's REST calls are made outside any database transaction.

« Prendre l'appel » (and the automatic offer) and « Rappeler » each run in three steps: a short
transaction that claims the call (or records the call-back) and is committed; the line's REST
call (`<Dial>` update or new call), with no transaction open, so on SQLite no write lock, and on
PostgreSQL no row lock nor connection, is held through a round trip to the provider; then a
second short transaction records what the line said: the call taken (or placed), or, when the
line refused or did not answer in time, the claim released (the call waits again, for anyone)
and the failure recorded, before the operator is told why in French.

These helpers end the request's transaction (`session.commit()`) between the steps and after
the last one; the events of each step are published after its commit.

Once a claim is committed, its second and third steps always run to the end, even when the
request is cancelled meanwhile (the operator's browser went away, the app is stopping): a
claim left behind would keep a caller "being put through" to no one, out of everyone's queue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from snp.actor import Actor
from telephony.errors import CallAlreadyTaken, CallNotWaiting, LineUnavailable
from telephony.models import PhoneCall
from telephony.schemas import TakenOut
from telephony.service import calls, dialer
from telephony.service.line import VoiceLine

T = TypeVar("T")


async def _to_the_end(work: Coroutine[Any, Any, T]) -> T:
    """Run `work` to its end even if the caller is cancelled meanwhile (then the cancellation
    is passed on once the work is done, its result recorded)."""
    task = asyncio.ensure_future(work)
    cancelled = False
    while True:
        try:
            result = await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                raise  # the work itself was cancelled
            cancelled = True  # asked again (anyio repeats it): keep waiting for the work
            continue
        break
    if cancelled:
        raise asyncio.CancelledError
    return result


async def take(session: AsyncSession, actor: Actor, call_id: int, *, line: VoiceLine) -> TakenOut:
    """« Prendre l'appel »: exactly one operator per call; the caller is never lost."""
    claim = await calls.claim_call(session, actor, call_id)
    await session.commit()
    return await _to_the_end(_put_through(session, actor, claim, line))


async def _put_through(
    session: AsyncSession, actor: Actor, claim: calls.Claim, line: VoiceLine
) -> TakenOut:
    try:
        await line.connect(claim.sid, claim.target, call_id=claim.call_id)
    except LineUnavailable as refused:
        reason = type(refused.__cause__ or refused).__name__
        await calls.release_claim(session, actor, claim, reason=reason)
        await session.commit()
        raise
    taken = await calls.confirm_taken(session, actor, claim)
    await session.commit()
    return taken


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
    return await _to_the_end(_place(session, actor, dialling, line))


async def _place(
    session: AsyncSession, actor: Actor, dialling: dialer.Dialling, line: VoiceLine
) -> PhoneCall:
    try:
        sid = await line.call_back(
            dialling.operator_phone, dialling.number, call_id=dialling.call_id
        )
    except LineUnavailable as refused:
        reason = type(refused.__cause__ or refused).__name__
        await dialer.call_back_failed(session, actor, dialling, reason=reason)
        await session.commit()
        raise
    placed = await dialer.call_back_placed(session, actor, dialling, sid)
    await session.commit()
    return placed
