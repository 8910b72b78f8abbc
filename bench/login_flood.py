"""Legitimate writes during a login flood, through the real HTTP server.

Serves the app (`snp serve`, uvicorn, one process) with the shipped login throttle, except the
per-address lock raised (`SNP_LOGIN_IP_LOCK_AFTER`) so the flood, though it comes from one
address here, behaves as one from many addresses: every attempt is reserved on the throttle and
costs an Argon2 check. `--attackers` clients send wrong passwords for random e-mails without
pause while a logged-in operator records `--writes` call requests (`POST
/api/regulation/requests`) one after the other. Prints the writes' errors, median and p99,
ending `p99_ms=<value>` (target: 0 errors; the p99 stays within a few Argon2 checks).

    .venv/bin/python bench/login_flood.py
    .venv/bin/python bench/login_flood.py --writes 100 --databases sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import add_database_arguments, load_average, p99, run_on_databases, served_app
from composition import migrate
from snp.actor import Actor
from snp.auth import service as auth_service
from snp.auth.roles import Role
from snp.db import Database

OPERATOR = "operateur@example.fr"
PASSWORD = "mot de passe de mesure"  # noqa: S105 (a throwaway benchmark account)


def call_request(n: int) -> dict[str, object]:
    return {
        "family_name": f"Mesure{n}",
        "given_name": "Patiente",
        "birth_date": "1986-03-14",
        "sex": "female",
        "phone": "06 12 34 56 78",
        "address_line": "1 rue de la Gare, Redon",
        "latitude": 47.65,
        "longitude": -2.08,
        "claim": False,
    }


async def add_operator(url: str) -> None:
    database = Database(url, pool_size=1)
    try:
        async with database.transaction() as session:
            await auth_service.create_user(
                session,
                Actor.system("bench"),
                email=OPERATOR,
                full_name="Opératrice de mesure",
                role=Role.OPERATOR,
                password=PASSWORD,
            )
    finally:
        await database.dispose()


async def measure(url: str, args: argparse.Namespace) -> tuple[list[float], int, int]:
    env = {
        "SNP_LOGIN_SLOWDOWN_SECONDS": "1.0",
        "SNP_LOGIN_IP_LOCK_AFTER": "1000000000",
    }
    rng = random.Random(args.seed)
    async with served_app(url, env) as base:
        stop = asyncio.Event()
        attempts = 0

        async def attacker() -> None:
            nonlocal attempts
            async with httpx.AsyncClient(base_url=base, timeout=60) as client:
                while not stop.is_set():
                    email = f"cible{rng.randrange(10_000)}@example.fr"
                    await client.post(
                        "/api/auth/login", json={"email": email, "password": "devine"}
                    )
                    attempts += 1

        async with httpx.AsyncClient(base_url=base, timeout=60) as legit:
            answer = await legit.post(
                "/api/auth/login", json={"email": OPERATOR, "password": PASSWORD}
            )
            answer.raise_for_status()
            legit.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
            flood = [asyncio.create_task(attacker()) for _ in range(args.attackers)]
            await asyncio.sleep(1.0)  # the flood is under way
            latencies: list[float] = []
            errors = 0
            for n in range(args.writes):
                began = time.perf_counter()
                response = await legit.post("/api/regulation/requests", json=call_request(n))
                latencies.append((time.perf_counter() - began) * 1000)
                if response.status_code != 201:
                    errors += 1
                    if errors == 1:
                        print(f"# first error: {response.status_code}", file=sys.stderr)
            stop.set()
            await asyncio.gather(*flood)
    return latencies, errors, attempts


def run(name: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    asyncio.run(add_operator(url))
    latencies, errors, attempts = asyncio.run(measure(url, args))
    print(
        f"{name} attackers={args.attackers} failed_logins={attempts} writes={len(latencies)} "
        f"errors={errors} load={load_average()} "
        f"median_ms={statistics.median(latencies):.1f} p99_ms={p99(latencies):.1f}",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20)
    add_database_arguments(parser, "login_flood")
    run_on_databases(parser.parse_args(argv), "login_flood", run)


if __name__ == "__main__":
    main()
