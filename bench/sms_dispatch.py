"""SMS dispatch under failures: 1,000 queued SMS to the fake Twilio server through the real
`twilio` SDK, 30 % of the API calls failing with a transient error (HTTP 500, 503 or 429).

For each database (a fresh SQLite file, and a throwaway PostgreSQL cluster unless
`SNP_BENCH_POSTGRES_URL` points to a server whose database may be dropped and recreated), the
outbox is filled in one transaction, then the dispatcher runs batch after batch (as the scheduled
job does, with short retry delays) until no message is left queued. Checks that every message
was accepted by Twilio exactly once (no message lost, no duplicate: the fake's record), then:

    .venv/bin/python bench/sms_dispatch.py
    .venv/bin/python bench/sms_dispatch.py --messages 200 --databases sqlite   # a quick run

Prints one line per database ending with `seconds=<value>` (enqueue excluded), with the load
average of the (shared) machine. Target: < 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bench.common import add_database_arguments, load_average, run_on_databases
from composition import migrate
from notifications.backends import TwilioBackend
from notifications.models import Audience, MessageStatus, OutboxMessage
from notifications.service import dispatcher, outbox
from notifications.service.dispatcher import DispatchOptions, DispatchReport
from snp.db import Database
from tests.notifications.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    FakeTwilio,
)


async def fill(database: Database, count: int) -> None:
    async with database.transaction() as session:
        for i in range(count):
            await outbox.enqueue(
                session,
                key=f"bench:{i}",
                to=f"+336{10_000_000 + i:08d}",
                template="reponse_start",
                audience=Audience.PATIENT,
            )


async def pending(database: Database) -> int:
    async with database.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING]))
        )
    return int(count or 0)


async def measure(url: str, args: argparse.Namespace) -> str:
    database = Database(url, pool_size=args.concurrency)
    fake = FakeTwilio(failure_rate=args.failure_rate, latency=args.latency_ms / 1000)
    await fake.start()
    backend = TwilioBackend(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        from_number=FROM_NUMBER,
        base_url=fake.url,
        timeout=5.0,
        public_base_url="https://snp.example.fr",
    )
    options = DispatchOptions(
        owner="bench",
        batch_size=args.batch_size,
        concurrency=args.concurrency,
        max_attempts=25,  # 0.3^25: no message may fail for good by bad luck
        retry_base_seconds=0.05,
        retry_max_seconds=0.4,
    )
    try:
        await fill(database, args.messages)
        total = DispatchReport()
        began = time.perf_counter()
        while True:
            report = await dispatcher.dispatch_once(database.sessionmaker, backend, options)
            total.add(report)
            if report.claimed == 0:
                if await pending(database) == 0:
                    break
                await asyncio.sleep(0.01)  # only retries waiting for their backoff
        seconds = time.perf_counter() - began
        async with database.sessionmaker() as session:
            rows = list(
                await session.execute(select(OutboxMessage.status, OutboxMessage.provider_sid))
            )
    finally:
        await backend.aclose()
        await fake.stop()
        await database.dispose()
    sent = [sid for status, sid in rows if status == MessageStatus.SENT]
    assert len(sent) == args.messages, f"only {len(sent)} of {args.messages} sent"
    assert len(set(sent)) == len(sent) == len(fake.messages), "a provider id appears twice"
    assert fake.duplicates() == [], f"sent twice: {fake.duplicates()[:3]}"
    assert {m.sid for m in fake.messages} == set(sent)
    failed = sum(fake.failures.values())
    return (
        f"messages={args.messages} accepted={len(fake.messages)} duplicates=0 "
        f"api_calls={fake.create_calls} injected_failures={failed} "
        f"({failed / fake.create_calls:.0%}) retries={total.retried} "
        f"load={load_average().replace(' ', '/')} seconds={seconds:.2f}"
    )


def run(name: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    print(f"{name} {asyncio.run(measure(url, args))}", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=1_000)
    parser.add_argument("--failure-rate", type=float, default=0.30)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="added to every API call")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    add_database_arguments(parser, "sms_dispatch")
    args = parser.parse_args(argv)
    run_on_databases(args, "sms", run)


if __name__ == "__main__":
    main()
