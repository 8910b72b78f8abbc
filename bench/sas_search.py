"""INT_R04 through the real HTTP server: the SAS platform's slot searches on the national
dataset, on SQLite and PostgreSQL.

Builds the synthetic national dataset (`bench/dataset.py`: default 20,000 effectors, one site
each, 60 slots a week over 2 weeks) plus our CPTS, serves the app (`snp serve`, uvicorn, one
process) and sends `GET /fhir/Slot` searches as the platform does (client-certificate subject
header, both `start` bounds, 25 practitioner identifiers with prefix, `status=free`, the four
`_include`s) for 25 random effectors over 7 random days:

1. latency: `--searches` sequential searches after a warm-up; prints median and p99, ending
   `p99_ms=<value>` (the platform gives up after 7 s; target p99 < 50 ms);
2. throughput: `--load-searches` (default 3,000, the national hourly volume) from `--clients`
   (default 10) concurrent clients; prints the wall time, ending `seconds=<value>` (target < 60 s).

    .venv/bin/python bench/sas_search.py                                   # the full measure
    .venv/bin/python bench/sas_search.py --effectors 2000 --searches 200 --load-searches 500
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import httpx

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    add_database_arguments,
    load_average,
    p99,
    run_on_databases,
    search_parser,
    served_app,
)
from bench.dataset import Dataset, build_dataset, pick_effectors
from sas.fhir import IDNPS_SYSTEM
from snp import territory
from snp.db import Database
from snp.identifiers import finess_with_check_digit, rpps_with_check_digit

EFFECTORS_PER_SEARCH = 25
SEARCH_DAYS = 7
SUBJECT = "CN=plateforme.sas.sante.fr,OU=SAS,O=ANS,C=FR"
INCLUDES = [
    ("_include", "Slot:schedule"),
    ("_include:iterate", "Schedule:actor"),
    ("_include", "Slot:service-type-reference"),
    ("_include:iterate", "HealthcareService:organization"),
]


def search_params(
    rng: random.Random, dataset: Dataset
) -> list[tuple[str, str | int | float | bool | None]]:
    ids = pick_effectors(rng, dataset, EFFECTORS_PER_SEARCH)
    day = rng.randrange(max(1, dataset.days - SEARCH_DAYS + 1))
    start: datetime = dataset.start + timedelta(days=day)
    end = start + timedelta(days=SEARCH_DAYS)
    tokens = ",".join(f"{IDNPS_SYSTEM}|8{rpps_with_check_digit(f'1{n:09d}')}" for n in ids)
    return [
        *INCLUDES,
        ("start", f"ge{start.isoformat(timespec='milliseconds')}"),
        ("start", f"le{end.isoformat(timespec='milliseconds')}"),
        ("schedule.actor:Practitioner.identifier", tokens),
        ("status", "free"),
    ]


async def one_search(
    client: httpx.AsyncClient, params: list[tuple[str, str | int | float | bool | None]]
) -> tuple[float, int]:
    began = time.perf_counter()
    response = await client.get("/fhir/Slot", params=params)
    body = response.content
    elapsed = (time.perf_counter() - began) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"search failed: {response.status_code} {body[:300]!r}")
    return elapsed, len(body)


async def add_cpts(url: str) -> None:
    database = Database(url, pool_size=1)
    try:
        async with database.transaction() as session:
            await territory.set_cpts(
                session,
                name="CPTS de mesure",
                finess=finess_with_check_digit("35000917"),
                phone="02 99 00 00 00",
            )
    finally:
        await database.dispose()


async def measure(dataset: Dataset, args: argparse.Namespace) -> tuple[list[float], int, float]:
    env = {"SNP_SAS_CLIENT_SUBJECTS": "CN=plateforme.sas.sante.fr,OU=SAS"}
    headers = {"X-SSL-Client-S-DN": SUBJECT, "Accept": "application/json+fhir"}
    rng = random.Random(args.seed)
    async with served_app(dataset.url, env) as base:
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
            latencies: list[float] = []
            sizes = 0
            for n in range(args.warmup + args.searches):
                elapsed, size = await one_search(client, search_params(rng, dataset))
                if n >= args.warmup:
                    latencies.append(elapsed)
                    sizes += size
        queue = [search_params(rng, dataset) for _ in range(args.load_searches)]

        async def worker() -> None:
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
                while queue:
                    await one_search(client, queue.pop())

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(args.clients)))
        seconds = time.perf_counter() - began
    return latencies, sizes // max(1, len(latencies)), seconds


def run(name: str, url: str, args: argparse.Namespace) -> None:
    dataset = build_dataset(
        url, effectors=args.effectors, weeks=args.weeks, slots_per_week=args.slots_per_week
    )
    asyncio.run(add_cpts(url))
    print(
        f"# {name}: {dataset.effectors} effectors, {dataset.slots} slots "
        f"loaded in {dataset.build_seconds:.0f} s",
        file=sys.stderr,
    )
    latencies, size, seconds = asyncio.run(measure(dataset, args))
    print(
        f"{name} effectors={dataset.effectors} slots={dataset.slots} searches={len(latencies)} "
        f"bytes_per_answer={size} load={load_average()} "
        f"median_ms={statistics.median(latencies):.1f} p99_ms={p99(latencies):.1f}",
        flush=True,
    )
    print(
        f"{name} concurrent_clients={args.clients} searches={args.load_searches} "
        f"load={load_average()} seconds={seconds:.1f}",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = search_parser(__doc__, seed=7, rounds=False)
    parser.add_argument("--load-searches", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=10)
    add_database_arguments(parser, "sas_search")
    run_on_databases(parser.parse_args(argv), "sas_search", run)


if __name__ == "__main__":
    main()
