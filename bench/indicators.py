"""The full indicators dashboard over one year of national-scale activity.

Loads one year of synthetic activity straight into the indicators' read model (16,000 requests a
day by default, about 5.8 million requests, 2.2 million appointments and the slot supply of
20,000 effectors), in a fresh SQLite file and a fresh PostgreSQL database (COPY; loading is not
timed), computes the SNP fee ranks and the monthly rollups from those rows as
`snp indicators rebuild` does (`rollups.rebuild_all`; timed apart, printed as `rollups_s`),
then times `indicators.compute_dashboard` for the whole year (every block: national
indicator with the previous year, requests, delays and percentiles, slots, per effector, SNP fee
with its weekly cap, ED, supply versus demand, satisfaction) followed by the ACI contract view
of the same year (a contract signed on 1 January, indicator 5 from the platform),
`--runs` times after a warm-up;
the median run is printed:

    .venv/bin/python bench/indicators.py                                  # the full measure
    .venv/bin/python bench/indicators.py --per-day 2000 --databases sqlite   # a quick run

SQLite gets `--sqlite-per-day` (default 4,000 a day: loading 5.8 million rows into SQLite
takes long; the figure is informative). Prints one line per database ending with
`seconds=<value>`. Target: under 2 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy.engine import make_url

from bench.common import add_database_arguments, load_average, run_on_databases
from composition import migrate
from indicators import aci_service, rollups
from indicators.aci_schemas import ContractIn, IndicatorIn
from indicators.queries import compute_dashboard
from indicators.schemas import Filters
from snp.actor import Actor
from snp.db import Database
from snp.settings import Settings

PARIS = ZoneInfo("Europe/Paris")
YEAR = 2025
ORIGINS = ["patient_call"] * 55 + ["pharmacist"] * 14 + ["nurse"] * 8 + ["sas"] * 12
ORIGINS += ["emergency_department"] * 9 + ["other"] * 2
CHANNEL = {"patient_call": "phone", "other": "phone", "sas": "sas"}
OUTCOMES = ["medical_advice"] * 40 + ["slot_booked"] * 37 + ["teleconsultation"] * 6
OUTCOMES += ["pharmacist"] * 6 + ["redirected_15"] * 4 + ["unreachable"] * 3
OUTCOMES += ["no_slot_found"] * 2 + ["emergency_department"] * 1 + ["cancelled_by_patient"] * 1
STATUSES = ["fulfilled"] * 88 + ["noshow"] * 6 + ["cancelled"] * 4 + ["rescheduled"] * 2
BANDS = ["infant", "child", "adult", "adult", "adult", "elderly"]
REQUEST_COLUMNS = [
    "request_id", "received_at", "received_date", "received_hour", "origin", "channel",
    "commune_insee", "age_band", "priority", "status", "outcome", "callback_minutes",
    "would_go_to_ed", "effector_id", "appointment_id", "consultation_at", "appointment_status",
    "consultation_minutes", "demo",
]  # fmt: skip
APPOINTMENT_COLUMNS = [
    "appointment_id", "request_id", "effector_id", "site_commune", "start_at", "start_date",
    "start_hour", "start_week", "kind", "origin", "status", "after_care", "request_received_at",
    "delay_minutes", "own_patient", "satisfaction", "demo",
]  # fmt: skip
SUPPLY_COLUMNS = [
    "effector_id",
    "commune_insee",
    "day",
    "hour",
    "offered",
    "booked",
    "free",
    "demo",
]


def generate(
    per_day: int, effectors: int, communes: int, seed: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """One day at a time: (requests, appointments, supply) rows of that Paris day."""
    rng = random.Random(seed)
    codes = [f"{10000 + i * 7:05d}" for i in range(communes)]
    effector_commune = [codes[rng.randrange(communes)] for _ in range(effectors + 1)]
    serial = 0
    day = date(YEAR, 1, 1)
    while day.year == YEAR:
        midnight = datetime(day.year, day.month, day.day, tzinfo=PARIS).astimezone(UTC)
        requests: list[tuple[Any, ...]] = []
        appointments: list[tuple[Any, ...]] = []
        supply: dict[tuple[int, int], list[int]] = {}
        for _ in range(per_day):
            serial += 1
            seconds = rng.randrange(86400)
            received = midnight + timedelta(seconds=seconds)
            local = received.astimezone(PARIS)
            origin = ORIGINS[rng.randrange(100)]
            outcome = OUTCOMES[rng.randrange(100)]
            callback = rng.randrange(5, 120) if origin != "patient_call" else None
            effector = appointment = consultation = status = minutes = None
            if outcome == "slot_booked":
                effector = rng.randrange(1, effectors + 1)
                minutes = rng.randrange(30, 3000)
                consultation = received + timedelta(minutes=minutes)
                status = STATUSES[rng.randrange(100)]
                appointment = f"b{serial:011d}"
                start_local = consultation.astimezone(PARIS)
                start_day = start_local.date()
                monday = start_day - timedelta(days=start_day.weekday())
                appointments.append(
                    (
                        appointment, serial, effector, effector_commune[effector], consultation,
                        start_day, start_local.hour, monday,
                        "AMB", origin, status,
                        "emergency" if status == "fulfilled" and serial % 50 == 0 else None,
                        received, minutes, serial % 10 == 0,
                        (serial % 5) + 1 if status == "fulfilled" and serial % 3 == 0 else None,
                        False,
                    )
                )  # fmt: skip
                cell = supply.setdefault((effector, start_local.hour), [0, 0])
                cell[0] += 1
                cell[1] += 1
            requests.append(
                (
                    serial, received, local.date(), local.hour, origin,
                    CHANNEL.get(origin, "form"), codes[rng.randrange(communes)],
                    BANDS[rng.randrange(6)], "P2", "closed", outcome, callback,
                    rng.random() < 0.3, effector, appointment, consultation, status, minutes,
                    False,
                )
            )  # fmt: skip
        # Free slots too: a third more than those booked, on other effectors.
        for _ in range(per_day // 8):
            effector = rng.randrange(1, effectors + 1)
            cell = supply.setdefault((effector, rng.choice((9, 10, 14, 15, 17, 18))), [0, 0])
            cell[0] += 1
        rows = [
            (e, effector_commune[e], day, h, offered, booked, offered - booked, False)
            for (e, h), (offered, booked) in supply.items()
        ]
        yield requests, appointments, rows
        day += timedelta(days=1)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def load_sqlite(path: Path, per_day: int, effectors: int, communes: int, seed: int) -> int:
    connection = sqlite3.connect(path, isolation_level=None)
    total = 0
    try:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        for day_rows in generate(per_day, effectors, communes, seed):
            for table, columns, rows in zip(
                ("ind_requests", "ind_appointments", "ind_supply"),
                (REQUEST_COLUMNS, APPOINTMENT_COLUMNS, SUPPLY_COLUMNS),
                day_rows,
                strict=True,
            ):
                marks = ", ".join("?" for _ in columns)
                connection.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    [tuple(_sqlite_value(v) for v in row) for row in rows],
                )
            total += len(day_rows[0])
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return total


async def load_postgresql(dsn: str, per_day: int, effectors: int, communes: int, seed: int) -> int:
    connection = await asyncpg.connect(dsn)
    total = 0
    try:
        async with connection.transaction():
            for day_rows in generate(per_day, effectors, communes, seed):
                for table, columns, rows in zip(
                    ("ind_requests", "ind_appointments", "ind_supply"),
                    (REQUEST_COLUMNS, APPOINTMENT_COLUMNS, SUPPLY_COLUMNS),
                    day_rows,
                    strict=True,
                ):
                    await connection.copy_records_to_table(table, records=rows, columns=columns)
                total += len(day_rows[0])
        await connection.execute("VACUUM ANALYZE")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()
    return total


async def build_rollups(url: str) -> None:
    """The bulk load bypasses the write path (`sync`): recompute what it maintains."""
    database = Database(url, pool_size=1)
    try:
        async with database.transaction() as session:
            await rollups.rebuild_all(session)
        if url.startswith("postgresql"):
            async with database.engine.connect() as connection:
                autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                await autocommit.exec_driver_sql("VACUUM ANALYZE")
        else:
            async with database.engine.connect() as connection:
                await connection.exec_driver_sql("ANALYZE")
    finally:
        await database.dispose()


async def add_contract(url: str) -> None:
    """An ACI contract whose first year is the measured year, with the platform's indicator 5."""
    database = Database(url, pool_size=1)
    try:
        async with database.transaction() as session:
            contract = ContractIn(
                signed_on=date(YEAR, 1, 1),
                cpts_size=4,
                indicators=[
                    IndicatorIn(
                        contract_year=1,
                        code="national_5",
                        label="Consultations enregistrées",
                        definition="Consultations SNP réalisées.",
                        calculation="Par date de consultation.",
                        source="platform",
                        metric="snp_consultations",
                        baseline=1_000_000,
                        target=2_000_000,
                        weight=100,
                        direction="increasing",
                    )
                ],
            )
            today = datetime.now(UTC).date()
            await aci_service.save_contract(session, Actor.system("bench"), contract, today)
    finally:
        await database.dispose()


async def measure(url: str, runs: int) -> list[float]:
    """The dashboard of the year, then the contract view of the same year (each run: both)."""
    database = Database(url, pool_size=2)
    filters = Filters(start=date(YEAR, 1, 1), end=date(YEAR, 12, 31), granularity="month")
    settings = Settings(database_url=url)
    timings: list[float] = []
    try:
        for run in range(runs + 1):
            async with database.sessionmaker() as session:
                began = time.perf_counter()
                dashboard = await compute_dashboard(session, filters, settings)
                await aci_service.year_view(session, 1, datetime.now(UTC).date())
                elapsed = time.perf_counter() - began
            if run:  # the first run warms the caches
                timings.append(elapsed)
            print(
                f"  run {run}: {elapsed:.2f} s (requests={dashboard.requests.total}, "
                f"consultations={dashboard.national.consultations})",
                file=sys.stderr,
            )
    finally:
        await database.dispose()
    return timings


def run(name: str, url: str, args: argparse.Namespace) -> None:
    per_day = args.sqlite_per_day if name == "sqlite" else args.per_day
    migrate.upgrade(url)
    began = time.perf_counter()
    parsed = make_url(url)
    if name == "sqlite":
        assert parsed.database
        total = load_sqlite(
            Path(parsed.database), per_day, args.effectors, args.communes, args.seed
        )
    else:
        dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        total = asyncio.run(load_postgresql(dsn, per_day, args.effectors, args.communes, args.seed))
    load_seconds = time.perf_counter() - began
    began = time.perf_counter()
    asyncio.run(build_rollups(url))
    asyncio.run(add_contract(url))
    rollup_seconds = time.perf_counter() - began
    timings = asyncio.run(measure(url, args.runs))
    print(
        f"{name} requests={total} per_day={per_day} load_s={load_seconds:.0f} "
        f"rollups_s={rollup_seconds:.0f} "
        f"runs={','.join(f'{t:.2f}' for t in timings)} load_average={load_average()} "
        f"seconds={statistics.median(timings):.2f}",
        flush=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--per-day", type=int, default=16_000, help="requests a day (PostgreSQL)")
    parser.add_argument("--sqlite-per-day", type=int, default=4_000, help="requests a day (SQLite)")
    parser.add_argument("--effectors", type=int, default=20_000)
    parser.add_argument("--communes", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261123)
    add_database_arguments(parser, "indicators")
    run_on_databases(parser.parse_args(argv), "indicators", run)


if __name__ == "__main__":
    main()
