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
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    add_database_arguments,
    load_average,
    median,
    p99,
    run_on_databases,
    served_app,
)
from bench.consoles import create_operators, login, open_console
from composition import demo, migrate
from snp import territory
from snp.db import Database

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
            await create_operators(session, emails)
    finally:
        await database.dispose()
    return emails


async def measure(
    url: str, consoles: int, requests: int, warmup: int, gap: float
) -> tuple[list[float], list[float]]:
    """(every console's latency, each request's latency to its last console), in ms."""
    emails = await prepare(url, consoles)
    async with served_app(url) as base:
        clients = [await login(base, email) for email in emails]
        intake, watchers = clients[0], clients[1:]
        opened = [await open_console(base, c, "request.received", "request_id") for c in watchers]
        pairs: list[float] = []
        last: list[float] = []
        try:
            for n in range(warmup + requests):
                began = time.perf_counter()
                response = await intake.post("/api/regulation/requests", json=PATIENT)
                response.raise_for_status()
                request_id = int(response.json()["id"])
                deadline = time.monotonic() + 5
                while any(request_id not in c.seen for c in opened):
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"request {request_id} missing on some console")
                    await asyncio.sleep(0.001)
                if n >= warmup:
                    times = [(c.seen[request_id] - began) * 1000 for c in opened]
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


def run(name: str, url: str, args: argparse.Namespace) -> None:
    print(
        f"# {name}: {args.consoles} consoles (load average before: {load_average()})",
        file=sys.stderr,
    )
    migrate.upgrade(url)
    pairs, last = asyncio.run(
        measure(url, args.consoles, args.requests, args.warmup, args.gap_ms / 1000)
    )
    print(
        f"{name} consoles={args.consoles} requests={len(last)} "
        f"any_console_median_ms={median(pairs):.1f} "
        f"any_console_p99_ms={p99(pairs):.1f} "
        f"every_console_median_ms={median(last):.1f} p99_ms={p99(last):.1f}",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--gap-ms", type=float, default=20.0, help="pause between two requests")
    add_database_arguments(parser, "queue_fanout", default="sqlite")
    run_on_databases(parser.parse_args(argv), "queue_fanout", run)


if __name__ == "__main__":
    main()
