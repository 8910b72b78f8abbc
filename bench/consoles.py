"""Operators' consoles for the live benchmarks (`queue_fanout.py`, `voice.py`): throwaway operator
accounts, their logged-in HTTP clients, and their live sockets noting when each event of one kind
arrives."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from websockets.asyncio.client import ClientConnection, connect

from snp.actor import Actor
from snp.auth import service as auth_service
from snp.auth.roles import Role

PASSWORD = "bench consoles password"  # noqa: S105 - throwaway accounts of a throwaway database


async def create_operators(session: AsyncSession, emails: list[str]) -> None:
    for n, email in enumerate(emails):
        await auth_service.create_user(
            session,
            Actor.system("bench"),
            email=email,
            full_name=f"Opérateur {n}",
            role=Role.OPERATOR,
            password=PASSWORD,
        )


async def login(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


class Console:
    """One operator's live socket, noting when each event `kind` arrives, by its `key` field."""

    def __init__(self, socket: ClientConnection, kind: str, key: str) -> None:
        self.socket = socket
        self.kind, self.key = kind, key
        self.seen: dict[int, float] = {}
        self.arrived = asyncio.Event()  # set at each event `kind` (a console refetches on it)
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for text in self.socket:
            now = time.perf_counter()
            message = json.loads(text)
            if message.get("type") == self.kind:
                self.seen[int(message[self.key])] = now
                self.arrived.set()


async def open_console(base: str, client: httpx.AsyncClient, kind: str, key: str) -> Console:
    cookie = f"snp_session={client.cookies['snp_session']}"
    socket = await connect(
        base.replace("http://", "ws://") + "/ws",
        additional_headers={"Cookie": cookie},
        open_timeout=10,
        max_queue=None,
    )
    hello = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert hello["type"] == "hello", hello
    return Console(socket, kind, key)
