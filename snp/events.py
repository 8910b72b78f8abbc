"""Domain events: how one package reacts to another without importing it.

`await events.emit(session, SlotRemoved(...))` runs every handler registered for that event type
inside the caller's transaction (a notification row, a read-model row: committed or rolled back
together with the change), then, once the transaction commits, hands the event to the live
publishers (WebSocket hub). Packages declare their events as frozen dataclasses in `events.py`
and register handlers from the composition root.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

E = TypeVar("E")
Handler = Callable[[AsyncSession, Any], Awaitable[None]]
Publisher = Callable[[object], None]

_handlers: dict[type, list[Handler]] = defaultdict(list)
_publishers: list[Publisher] = []
_PENDING = "snp_pending_events"


def on(event_type: type[E]) -> Callable[[Callable[[AsyncSession, E], Awaitable[None]]], Any]:
    """Register an in-transaction handler for `event_type`."""

    def decorate(handler: Callable[[AsyncSession, E], Awaitable[None]]) -> Any:
        _handlers[event_type].append(handler)
        return handler

    return decorate


def add_publisher(publisher: Publisher) -> None:
    """Called with every event after its transaction commits (never for rolled-back ones)."""
    _publishers.append(publisher)


def remove_publisher(publisher: Publisher) -> None:
    if publisher in _publishers:
        _publishers.remove(publisher)


async def emit(session: AsyncSession, event: object) -> None:
    for handler in _handlers.get(type(event), []):
        await handler(session, event)
    session.sync_session.info.setdefault(_PENDING, []).append(event)


@sa_event.listens_for(Session, "after_commit")
def _publish_after_commit(sync_session: Session) -> None:
    pending = sync_session.info.pop(_PENDING, [])
    for event in pending:
        for publisher in list(_publishers):
            try:
                publisher(event)
            except Exception:  # a broken live channel must not undo a committed change
                log.exception("event publisher failed for %s", type(event).__name__)


@sa_event.listens_for(Session, "after_rollback")
def _drop_after_rollback(sync_session: Session) -> None:
    sync_session.info.pop(_PENDING, None)
