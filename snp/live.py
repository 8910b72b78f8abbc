"""The live hub: committed domain events pushed to connected consoles over WebSocket (`/ws`).

An event that should reach the consoles implements `LiveEvent` (a `live_message()` method): its
message says what happened (`{"type": "request.claimed", "request_id": 12, ...}`), never who the
patient is, and which audience may see it (roles, plus named users such as the referrer who sent
a request). Consoles react by re-fetching what they show.

Path of an event: `events.emit()` in the transaction -> commit -> `_dispatch` (an `events`
publisher) -> the hub of the app instance that did the work (bound per request by
`LiveContext`) -> its own sockets at once, and on PostgreSQL `pg_notify` on one channel ->
every other instance's hub (one dedicated `LISTEN` connection each) -> their sockets. On SQLite
(one instance) the hub is in-process only. After a lost `LISTEN` connection the hub tells its
consoles to `resync` (re-fetch), since notifications sent meanwhile are gone.

Consoles send `{"type": "ping"}` every ~20 s; the hub answers `pong` and runs the heartbeat
handlers packages registered with `on_heartbeat` (regulation refreshes its claims), so a console
that disappears lets its claims go after a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

import asyncpg
from fastapi import APIRouter, Depends, WebSocket, WebSocketException, status
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect, WebSocketState

from snp import events
from snp.actor import Actor
from snp.auth import Role, resolve_session
from snp.db import Database
from snp.deps import ANY_ROLE, SESSION_COOKIE
from snp.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "snp_live"
NOTIFY_MAX_BYTES = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes and more
SUBSCRIBER_QUEUE_SIZE = 256
HEARTBEAT_MIN_SECONDS = 10.0  # a console pinging faster does not cost more database writes
REVALIDATE_SECONDS = 60.0  # a logged-out session loses its socket within this delay
PING_EVERY_SECONDS = 20  # advertised to consoles in the `hello` message

HeartbeatHandler = Callable[[AsyncSession, Actor], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class LiveMessage:
    """What consoles receive: `{"type": type, **data}`, sent to `roles` and to `user_ids`."""

    type: str
    data: Mapping[str, Any]
    roles: frozenset[Role] = frozenset()
    user_ids: frozenset[int] = frozenset()

    def payload(self) -> dict[str, Any]:
        return {"type": self.type, **self.data}

    def is_for(self, role: Role | None, user_id: int | None) -> bool:
        return role in self.roles or (user_id is not None and user_id in self.user_ids)

    def to_wire(self, origin: str) -> str:
        return json.dumps(
            {
                "origin": origin,
                "roles": sorted(self.roles),
                "user_ids": sorted(self.user_ids),
                "message": self.payload(),
            },
            ensure_ascii=False,
            default=str,
            separators=(",", ":"),
        )

    @classmethod
    def from_wire(cls, text: str) -> tuple[str, LiveMessage]:
        raw = json.loads(text)
        body = dict(raw["message"])
        kind = str(body.pop("type"))
        message = cls(
            kind,
            body,
            frozenset(Role(r) for r in raw.get("roles", [])),
            frozenset(int(u) for u in raw.get("user_ids", [])),
        )
        return str(raw["origin"]), message


@runtime_checkable
class LiveEvent(Protocol):
    """A domain event that consoles should hear about once it is committed."""

    def live_message(self) -> LiveMessage | None: ...


RESYNC = LiveMessage("resync", {}, frozenset(Role))
PONG_TEXT = json.dumps({"type": "pong"})

_heartbeat_handlers: list[HeartbeatHandler] = []


def on_heartbeat(handler: HeartbeatHandler) -> HeartbeatHandler:
    """Register a coroutine run (in its own transaction) when a console of `actor` pings."""
    if handler not in _heartbeat_handlers:
        _heartbeat_handlers.append(handler)
    return handler


async def run_heartbeat(database: Database, actor: Actor) -> None:
    if not _heartbeat_handlers:
        return
    async with database.transaction() as session:
        for handler in _heartbeat_handlers:
            await handler(session, actor)


@dataclass(eq=False)
class Subscriber:
    """One connected console."""

    user_id: int | None
    role: Role | None
    queue: asyncio.Queue[str] = field(
        default_factory=lambda: asyncio.Queue(maxsize=SUBSCRIBER_QUEUE_SIZE)
    )

    def offer(self, text: str) -> None:
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            # A console that cannot keep up drops its backlog and re-fetches everything.
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(json.dumps(RESYNC.payload()))


class LiveHub:
    """One per app instance (`app.state.live`), started and stopped by the app's lifespan."""

    def __init__(self, database: Database, settings: Settings, *, channel: str = CHANNEL) -> None:
        self.database = database
        self.settings = settings
        self.channel = channel
        self.instance_id = uuid.uuid4().hex[:12]
        self.uses_postgres = make_url(database.url).get_backend_name() == "postgresql"
        self._subscribers: set[Subscriber] = set()
        self._outbox: asyncio.Queue[LiveMessage] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._notify_connection: Any = None
        self.listening = asyncio.Event()
        self.heartbeat_min_seconds = HEARTBEAT_MIN_SECONDS
        self.revalidate_seconds = REVALIDATE_SECONDS

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._outbox is not None

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def start(self) -> None:
        if self.running:
            return
        self._loop = asyncio.get_running_loop()
        self._outbox = asyncio.Queue()
        self._tasks.append(asyncio.create_task(self._send_loop(), name="live-send"))
        if self.uses_postgres:
            self._tasks.append(asyncio.create_task(self._listen_loop(), name="live-listen"))
            # Wait (briefly) for LISTEN, so events committed right after start are not missed.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.listening.wait(), 5)
        _running_hubs.add(self)

    async def stop(self) -> None:
        _running_hubs.discard(self)
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._notify_connection is not None:
            with contextlib.suppress(Exception):
                await self._notify_connection.close(timeout=2)
            self._notify_connection = None
        self._outbox = None
        self.listening.clear()

    # -- publishing --------------------------------------------------------------------------

    def publish(self, message: LiveMessage) -> None:
        """Queue a committed event's message (called from the `events` publisher, sync)."""
        outbox, loop = self._outbox, self._loop
        if outbox is None or loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            outbox.put_nowait(message)
        else:
            loop.call_soon_threadsafe(outbox.put_nowait, message)

    def deliver(self, message: LiveMessage) -> int:
        """Hand `message` to this instance's matching consoles; returns how many."""
        text = json.dumps(message.payload(), ensure_ascii=False, default=str)
        count = 0
        for subscriber in list(self._subscribers):
            if message.is_for(subscriber.role, subscriber.user_id):
                subscriber.offer(text)
                count += 1
        return count

    async def _send_loop(self) -> None:
        assert self._outbox is not None
        while True:
            message = await self._outbox.get()
            try:
                self.deliver(message)
                if self.uses_postgres:
                    await self._notify(message)
            except Exception:  # one bad message must not silence the hub
                log.exception("live hub failed to send %s", message.type)

    def _dsn(self) -> str:
        url = make_url(self.database.url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    async def _notify(self, message: LiveMessage) -> None:
        wire = message.to_wire(self.instance_id)
        if len(wire.encode()) > NOTIFY_MAX_BYTES:
            log.error("live message %s too large to relay (%d bytes)", message.type, len(wire))
            return
        for attempt in range(2):
            try:
                if self._notify_connection is None or self._notify_connection.is_closed():
                    self._notify_connection = await asyncpg.connect(self._dsn(), timeout=5)
                await self._notify_connection.execute(
                    "SELECT pg_notify($1, $2)", self.channel, wire, timeout=5
                )
                return
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                log.warning("live relay: NOTIFY failed (attempt %d)", attempt + 1, exc_info=True)
                connection, self._notify_connection = self._notify_connection, None
                if connection is not None:
                    connection.terminate()

    async def _listen_loop(self) -> None:
        backoff = 0.5
        first = True
        while True:
            try:
                connection = await asyncpg.connect(self._dsn(), timeout=10)
            except Exception as exc:  # keep trying: the database may be restarting
                log.warning("live relay: cannot connect for LISTEN (%s)", type(exc).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                continue
            lost = asyncio.Event()

            def on_lost(_connection: object, lost: asyncio.Event = lost) -> None:
                lost.set()

            connection.add_termination_listener(on_lost)
            try:
                await connection.add_listener(self.channel, self._on_notify)
                self.listening.set()
                if not first:
                    self.deliver(RESYNC)  # whatever was notified meanwhile is lost: re-fetch
                first, backoff = False, 0.5
                while not lost.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), 15)
                    if not lost.is_set():  # a dead socket shows itself only when used
                        await connection.execute("SELECT 1", timeout=5)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("live relay: LISTEN connection lost (%s)", type(exc).__name__)
            except Exception:
                log.exception("live relay: LISTEN loop failed")
            finally:
                self.listening.clear()
                connection.terminate()
            await asyncio.sleep(backoff)

    def _on_notify(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            origin, message = LiveMessage.from_wire(payload)
        except (ValueError, KeyError, TypeError):
            log.warning("live relay: unreadable notification ignored")
            return
        if origin != self.instance_id:  # our own events were delivered before NOTIFY
            self.deliver(message)

    # -- one console -------------------------------------------------------------------------

    async def serve(self, websocket: WebSocket, actor: Actor, session_token: str) -> None:
        """Run one console's socket until it closes (the route awaits this)."""
        await websocket.accept()
        subscriber = Subscriber(actor.user_id, actor.role)
        self._subscribers.add(subscriber)
        try:
            await websocket.send_json(
                {
                    "type": "hello",
                    "instance": self.instance_id,
                    "role": actor.role.value if actor.role else None,
                    "ping_seconds": PING_EVERY_SECONDS,
                }
            )
            await self._heartbeat(actor)
            reader = asyncio.create_task(self._read(websocket, subscriber, actor))
            writer = asyncio.create_task(self._write(websocket, subscriber, actor, session_token))
            done, pending = await asyncio.wait(
                {reader, writer}, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    exc = task.exception()
                    if not isinstance(exc, WebSocketDisconnect | RuntimeError | OSError):
                        log.error("live socket failed", exc_info=exc)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass
        finally:
            self._subscribers.discard(subscriber)
            if websocket.client_state == WebSocketState.CONNECTED:
                with contextlib.suppress(Exception):
                    await websocket.close()

    async def _heartbeat(self, actor: Actor) -> None:
        try:
            await run_heartbeat(self.database, actor)
        except Exception:  # a heartbeat must never bring the socket down
            log.exception("live heartbeat handler failed")

    async def _read(self, websocket: WebSocket, subscriber: Subscriber, actor: Actor) -> None:
        last_heartbeat = time.monotonic()
        while True:
            text = await websocket.receive_text()
            try:
                kind = json.loads(text).get("type")
            except (ValueError, AttributeError):
                continue
            if kind == "ping":
                now = time.monotonic()
                if now - last_heartbeat >= self.heartbeat_min_seconds:
                    last_heartbeat = now
                    await self._heartbeat(actor)
                subscriber.offer(PONG_TEXT)

    async def _write(
        self, websocket: WebSocket, subscriber: Subscriber, actor: Actor, session_token: str
    ) -> None:
        while True:
            try:
                text = await asyncio.wait_for(subscriber.queue.get(), self.revalidate_seconds)
            except TimeoutError:
                if not await self._still_logged_in(actor, session_token):
                    await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
                    return
                continue
            await websocket.send_text(text)

    async def _still_logged_in(self, actor: Actor, token: str) -> bool:
        async with self.database.transaction() as session:
            resolved = await resolve_session(session, self.settings, token)
        return resolved is not None and resolved.user.id == actor.user_id


# -- routing committed events to the right hub -----------------------------------------------

_current_hub: ContextVar[LiveHub | None] = ContextVar("snp_live_hub", default=None)
_running_hubs: set[LiveHub] = set()


@contextlib.contextmanager
def bound(hub: LiveHub) -> Iterator[None]:
    """Route the events committed inside this block to `hub` (jobs, tests)."""
    token = _current_hub.set(hub)
    try:
        yield
    finally:
        _current_hub.reset(token)


class LiveContext:
    """ASGI middleware: events committed while serving a request go to this app's hub."""

    def __init__(self, app: ASGIApp, hub: LiveHub) -> None:
        self.app = app
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _current_hub.set(self.hub)
        try:
            await self.app(scope, receive, send)
        finally:
            _current_hub.reset(token)


def _dispatch(event: object) -> None:
    if not isinstance(event, LiveEvent):
        return
    message = event.live_message()
    if message is None:
        return
    hub = _current_hub.get()
    # Outside a request or a bound block (scheduled jobs), every running hub of this process
    # publishes: in production there is one per process.
    for target in [hub] if hub is not None else list(_running_hubs):
        target.publish(message)


events.add_publisher(_dispatch)


# -- the socket route ------------------------------------------------------------------------


def _same_origin(websocket: WebSocket) -> bool:
    """Browsers send the page's Origin: refuse sockets opened from another site's page."""
    origin = websocket.headers.get("origin")
    if not origin:
        return True  # not a browser (tests, tools): the session cookie still decides
    return urlsplit(origin).netloc == websocket.headers.get("host", "")


def require_socket_roles(*roles: Role) -> Callable[[WebSocket], Awaitable[Actor]]:
    """Policy for WebSocket routes: the session cookie of a user with one of `roles`."""
    allowed = frozenset(roles)

    async def policy(websocket: WebSocket) -> Actor:
        if not _same_origin(websocket):
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "Origine refusée.")
        token = websocket.cookies.get(SESSION_COOKIE)
        resolved = None
        if token:
            database: Database = websocket.app.state.db
            settings: Settings = websocket.app.state.settings
            async with database.transaction() as session:
                resolved = await resolve_session(session, settings, token)
        if resolved is None:
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "Connexion requise.")
        role = Role(resolved.user.role)
        if role not in allowed:
            raise WebSocketException(
                status.WS_1008_POLICY_VIOLATION,
                "Accès réservé : votre rôle ne permet pas cette action.",
            )
        ip = websocket.client.host if websocket.client else None
        return Actor(resolved.user.id, resolved.user.email, role, ip)

    policy.snp_policy = ("roles", tuple(sorted(allowed)))  # type: ignore[attr-defined]
    return policy


router = APIRouter(tags=["live"])

Listener = Annotated[Actor, Depends(require_socket_roles(*ANY_ROLE))]


@router.websocket("/ws")
async def live_socket(websocket: WebSocket, actor: Listener) -> None:
    """Live events for the logged-in user's consoles (JSON text messages, see the module doc)."""
    hub: LiveHub = websocket.app.state.live
    await hub.serve(websocket, actor, websocket.cookies.get(SESSION_COOKIE, ""))
