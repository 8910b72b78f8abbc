"""Data protection at national scale: the retention job pseudonymising closed requests.

For each database (a fresh SQLite file, and a throwaway PostgreSQL cluster unless
`SNP_BENCH_POSTGRES_URL` points to a server whose database may be dropped and recreated), loads
`--requests` closed requests spread evenly over the last 24 months (half of them with an
appointment and two SMS, one to the patient and one to the effector), plus open ones, then runs
the job's work (`regulation.service.retention.pseudonymise_expired`, batches of 1,000) until
nothing past the 12-month retention is left, one transaction per run of `--batches-per-run`
batches, as the hourly job does. Checks that exactly the expired ones were pseudonymised, then:

    .venv/bin/python bench/retention.py
    .venv/bin/python bench/retention.py --requests 20000 --databases sqlite   # a quick run

Prints one line per database ending with `seconds=<value>` (the loading excluded): the time to
pseudonymise the expired half, with the median and p99 time of one batch of 1,000 and the rows
per second. The national steady state is about 16,000 requests a day, i.e. 16 batches a day.
Target: a batch of 1,000 under 1 s on PostgreSQL (the hourly job then never holds its
transaction long), which also means a backlog of a year (5.8 million requests) in under 2 h.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, insert, select

from agenda.models import Appointment, Effector, Site
from bench.common import add_database_arguments, load_average, median, p99, run_on_databases
from composition import migrate
from notifications.models import OutboxMessage
from regulation.models import RegulationRequest
from regulation.service import retention
from snp.db import Database, utcnow

CHUNK = 5_000


def _request(i: int, closed_at: Any, open_: bool) -> dict[str, Any]:
    return {
        "id": i,
        "status": "waiting" if open_ else "closed",
        "assigned_to": "operator",
        "family_name": f"Nom{i}",
        "given_name": "Prénom",
        "birth_date": date(1950 + i % 60, 1 + i % 12, 1 + i % 28),
        "sex": "female",
        "phone": f"+336{10_000_000 + i:08d}",
        "commune_insee": "35236",
        "address_line": f"{i} rue du Port",
        "latitude": 47.65 + (i % 100) / 1000,
        "longitude": -2.08 - (i % 100) / 1000,
        "has_gp": True,
        "gp_name": "Dr Martin",
        "mobility": "can_travel",
        "sms_consent": True,
        "motif": "fever",
        "notes": "Voisin à prévenir",
        "origin": "patient_call",
        "age_band": "adult",
        "priority": "P2",
        "outcome": None if open_ else ("slot_booked" if i % 2 == 0 else "medical_advice"),
        "outcome_note": None if open_ else "Conseils donnés",
        "appointment_id": f"appt-{i}" if i % 2 == 0 and not open_ else None,
        "received_at": closed_at - timedelta(hours=2),
        "closed_at": None if open_ else closed_at,
        "consultation_at": None,
        "updated_at": closed_at,
    }


async def load(database: Database, count: int) -> None:
    """`count` closed requests over 24 months (oldest first) and `count // 50` open ones."""
    now = utcnow()
    span = (now - (now - relativedelta(months=24))).total_seconds()
    async with database.transaction() as session:
        effector = Effector(
            national_id="10000000009",
            family_name="Martin",
            given_name="Anne",
            phone="+33612345678",
            sites=[
                Site(
                    name="Cabinet",
                    address_line="1 rue du Port",
                    postal_code="35600",
                    city="Redon",
                    insee_code="35236",
                    latitude=47.65,
                    longitude=-2.08,
                )
            ],
        )
        session.add(effector)
        await session.flush()
        effector_id, site_id = effector.id, effector.sites[0].id
    for first in range(1, count + count // 50 + 1, CHUNK):
        ids = range(first, min(first + CHUNK, count + count // 50 + 1))
        requests, appointments, messages = [], [], []
        for i in ids:
            open_ = i > count
            closed_at = now - timedelta(seconds=span * (1 - i / (count + 1)))
            requests.append(_request(i, closed_at, open_))
            if i % 2 == 0 and not open_:
                start = closed_at + timedelta(hours=3)
                appointments.append(
                    {
                        "id": f"appt-{i}",
                        "effector_id": effector_id,
                        "site_id": site_id,
                        "start_at": start,
                        "end_at": start + timedelta(minutes=20),
                        "kind": "AMB",
                        "status": "fulfilled",
                        "request_id": i,
                        "patient_label": "M.D. 34 ans",
                        "origin": "operator",
                        "created_at": closed_at,
                        "updated_at": closed_at,
                    }
                )
                patient_phone = f"+336{10_000_000 + i:08d}"
                for audience, phone in (("patient", patient_phone), ("effector", "+33612345678")):
                    messages.append(
                        {
                            "idempotency_key": f"SlotBooked:appt-{i}:{audience}:{phone}",
                            "recipient": phone,
                            "audience": audience,
                            "template": "patient_rdv_cabinet",
                            "body": f"RDV M.D. 34 ans {i}",
                            "essential": True,
                            "status": "delivered",
                            "attempts": 1,
                            "next_attempt_at": closed_at,
                            "in_doubt": False,
                            "appointment_id": f"appt-{i}",
                            "request_id": i,
                            "created_at": closed_at,
                        }
                    )
        async with database.transaction() as session:
            await session.execute(insert(RegulationRequest), requests)
            if appointments:
                await session.execute(insert(Appointment), appointments)
                await session.execute(insert(OutboxMessage), messages)


async def measure(name: str, url: str, args: argparse.Namespace) -> None:
    database = Database(url)
    try:
        await load(database, args.requests)
        if database.dialect == "postgresql":
            async with database.engine.connect() as connection:
                await connection.exec_driver_sql("ANALYZE")
        expected = args.requests // 2  # closed over 24 months: the older half is past 12
        batches: list[float] = []
        done = 0
        began = time.perf_counter()
        while True:
            async with database.transaction() as session:
                run_done = 0
                for _ in range(args.batches_per_run):
                    t0 = time.perf_counter()
                    count = await retention.pseudonymise_batch(
                        session,
                        closed_before=retention.retention_cutoff(utcnow(), 12),
                        batch_size=1000,
                    )
                    if count:
                        batches.append(time.perf_counter() - t0)
                    run_done += count
                    if count < 1000:
                        break
            done += run_done
            if run_done < 1000 * args.batches_per_run:
                break
        seconds = time.perf_counter() - began
        async with database.sessionmaker() as session:
            pseudonymised = await session.scalar(
                select(func.count())
                .select_from(RegulationRequest)
                .where(RegulationRequest.pseudonymised_at.is_not(None))
            )
            open_touched = await session.scalar(
                select(func.count())
                .select_from(RegulationRequest)
                .where(
                    RegulationRequest.status == "waiting",
                    RegulationRequest.pseudonymised_at.is_not(None),
                )
            )
        assert open_touched == 0
        assert abs(int(pseudonymised or 0) - expected) <= 2, (pseudonymised, expected)
        print(
            f"{name} requests={args.requests} pseudonymised={done} batches={len(batches)} "
            f"batch_median_ms={median(batches) * 1000:.0f} batch_p99_ms={p99(batches) * 1000:.0f} "
            f"rows_per_s={done / seconds:.0f} load={load_average()} seconds={seconds:.2f}",
            flush=True,
        )
    finally:
        await database.dispose()


def run(name: str, url: str, args: argparse.Namespace) -> None:
    migrate.upgrade(url)
    asyncio.run(measure(name, url, args))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--batches-per-run", type=int, default=20)
    add_database_arguments(parser, "retention")
    run_on_databases(parser.parse_args(argv), "retention", run)


if __name__ == "__main__":
    main()
