"""Live queue fan-out: from a request's creation to its arrival on 50 operator consoles.

Starts the real app (`snp serve`: uvicorn, its own process) on a free port over a fresh
database, logs in 50 operators and connects their consoles to `/ws` (the `websockets` client),
then creates requests through the API one after another (`POST /api/regulation/requests`, as
a 51st operator would) and times, for each, from just before the POST is sent to the
`request.received` message on each console. Prints, per database, the latency over every
(request, console) pair and the one that matters, until the request is on *every* console,
ending the line with `p99_ms=<value>`. Target: p99 < 100 ms.

    .venv/bin/python bench/queue_fanout.py                          # SQLite
    .venv/bin/python bench/queue_fanout.py --databases sqlite,postgresql --requests 300

PostgreSQL runs on a throwaway cluster unless `SNP_BENCH_POSTGRES_URL` points to a server
whose database may be dropped and recreated (events then go through LISTEN/NOTIFY's path).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from snp import demo, migrate, territory  # noqa: E402
from snp.actor import Actor  # noqa: E402
from snp.auth import service as auth_service  # noqa: E402
from snp.auth.roles import Role  # noqa: E402
from snp.db import Database  # noqa: E402
from tests.support.postgres import Cluster, create_database, free_port, start_cluster  # noqa: E402

PASSWORD = "bench fan-out password"  # noqa: S105 - throwaway accounts of a throwaway database
PATIENT: dict[str, Any] = {
    "family_name": "Martin",
    "given_name": "Camille",
    "birth_date": "1980-05-17",
    "sex": "female",
    "phone": "06 12 34 56 78",
    "commune_insee": "35236",
    "mobility": "can_travel",
    "motif": "fever",
    "claim": False,
}


async def prepare(url: str, consoles: int) -> list[str]:
    """Load the demo communes and create the operators; returns their e-mails."""
    database = Database(url)
    emails = [f"console{n}@bench.fr" for n in range(consoles + 1)]
    try:
        async with database.transaction() as session:
            await territory.upsert_communes(session, demo.COMMUNES)
            for n, email in enumerate(emails):
                await auth_service.create_user(
                    session,
                    Actor.system("bench"),
                    email=email,
                    full_name=f"Opérateur {n}",
                    role=Role.OPERATOR,
                    password=PASSWORD,
                )
    finally:
        await database.dispose()
    return emails


@contextlib.asynccontextmanager
async def server(url: str) -> AsyncIterator[str]:
    """`snp serve` in its own process; yields its base URL once it answers."""
    port = free_port()
    env = {
        **os.environ,
        "SNP_DATABASE_URL": url,
        "SNP_SCHEDULER_ENABLED": "false",
        "SNP_LOG_LEVEL": "WARNING",
        "SNP_LOGIN_SLOWDOWN_SECONDS": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "snp.cli", "serve", "--port", str(port), cwd=ROOT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                if process.returncode is not None:
                    raise RuntimeError("the server stopped at start")
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the server did not answer within 30 s")
        yield base
    finally:
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


async def login(base: str, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


class Console:
    """One operator's live socket, noting when each new request arrives."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.arrivals: dict[int, float] = {}
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for text in self.socket:
            now = time.perf_counter()
            message = json.loads(text)
            if message.get("type") == "request.received":
                self.arrivals[int(message["request_id"])] = now


async def open_console(base: str, client: httpx.AsyncClient) -> Console:
    cookie = f"snp_session={client.cookies['snp_session']}"
    socket = await connect(
        base.replace("http://", "ws://") + "/ws",
        additional_headers={"Cookie": cookie},
        open_timeout=10,
        max_queue=None,
    )
    hello = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert hello["type"] == "hello", hello
    return Console(socket)


async def measure(
    url: str, consoles: int, requests: int, warmup: int, gap: float
) -> tuple[list[float], list[float]]:
    """(every console's latency, each request's latency to its last console), in ms."""
    emails = await prepare(url, consoles)
    async with server(url) as base:
        clients = [await login(base, email) for email in emails]
        intake, watchers = clients[0], clients[1:]
        opened = [await open_console(base, c) for c in watchers]
        pairs: list[float] = []
        last: list[float] = []
        try:
            for n in range(warmup + requests):
                began = time.perf_counter()
                response = await intake.post("/api/regulation/requests", json=PATIENT)
                response.raise_for_status()
                request_id = int(response.json()["id"])
                deadline = time.monotonic() + 5
                while any(request_id not in c.arrivals for c in opened):
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"request {request_id} missing on some console")
                    await asyncio.sleep(0.001)
                if n >= warmup:
                    times = [(c.arrivals[request_id] - began) * 1000 for c in opened]
                    pairs += times
                    last.append(max(times))
                await asyncio.sleep(gap)
        finally:
            for console in opened:
                console.task.cancel()
                await console.socket.close()
            for client in clients:
                await client.aclose()
    return pairs, last


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def run(name: str, url: str, args: argparse.Namespace) -> None:
    load = (
        " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "?"
    )
    print(f"# {name}: {args.consoles} consoles (load average before: {load})", file=sys.stderr)
    migrate.upgrade(url)
    pairs, last = asyncio.run(
        measure(url, args.consoles, args.requests, args.warmup, args.gap_ms / 1000)
    )
    print(
        f"{name} consoles={args.consoles} requests={len(last)} "
        f"any_console_median_ms={statistics.median(pairs):.1f} "
        f"any_console_p99_ms={p99(pairs):.1f} "
        f"every_console_median_ms={statistics.median(last):.1f} p99_ms={p99(last):.1f}",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--gap-ms", type=float, default=20.0, help="pause between two requests")
    parser.add_argument("--databases", default="sqlite", help="comma-separated: sqlite,postgresql")
    parser.add_argument(
        "--sqlite-file", type=Path, default=ROOT / "var" / "bench" / "queue_fanout.db"
    )
    args = parser.parse_args(argv)
    wanted = {d.strip() for d in args.databases.split(",")}
    if "sqlite" in wanted:
        path: Path = args.sqlite_file
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        run("sqlite", f"sqlite+aiosqlite:///{path}", args)
    if "postgresql" in wanted:
        existing = os.environ.get("SNP_BENCH_POSTGRES_URL")
        if existing:
            cluster = Cluster(existing.rsplit("/", 1)[0], None, None, [])
            url = create_database(cluster, existing.rsplit("/", 1)[1])
        else:
            cluster = start_cluster()
            url = create_database(cluster, "snp_bench_fanout")
        try:
            run("postgresql", url, args)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
