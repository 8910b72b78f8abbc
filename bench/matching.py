"""Matching at national scale: the candidate slots of one request, on SQLite and PostgreSQL.

Builds the synthetic national dataset (`bench/dataset.py`: default 20,000 effectors, one site
each, 60 slots a week over 2 weeks, about 2.4 million slots), gives every booked slot its
appointment (so the fair-spreading counts read real rows), then times
`regulation.propose_candidates` for triaged requests at random places of mainland France's
rectangle with a 24 h deadline, searched during working hours of the dataset's first weekday,
for two mixes of requests: `practice` (every patient to a practice, the common request) and
`mixed` (80 % practice, 10 % teleconsultation, 10 % home visits for patients who cannot
travel). Each search runs in its own session and commits its audit row, as an API request
would. `--rounds` rounds (default 3) per mix; the round with the median p99 is printed (each
round's figures, by kind of request, go to stderr with the load average).

    .venv/bin/python bench/matching.py                                   # the full measure
    .venv/bin/python bench/matching.py --effectors 2000 --searches 200   # a quick run

A throwaway PostgreSQL cluster is started unless `SNP_BENCH_POSTGRES_URL` points to a server
whose database may be dropped and recreated. Prints one line per database and mix
ending with `p99_ms=<value>`. Target: p99 < 30 ms on both.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    add_database_arguments,
    load_average,
    median,
    p99,
    run_on_databases,
    search_parser,
)
from bench.dataset import LATITUDES, LONGITUDES, PARIS, Dataset, build_dataset
from regulation import CandidatesOut, propose_candidates
from regulation.models import (
    AssignedTo,
    Mobility,
    Orientation,
    Origin,
    RegulationRequest,
    RequestStatus,
)
from snp.actor import Actor
from snp.db import Database
from snp.settings import Settings

DEADLINE_HOURS = 24
# Request mixes: (orientation, mobility, share). `practice` is the common request (most motifs
# of the default protocol send the patient to a practice); `mixed` adds teleconsultations and
# patients who cannot travel (home visits).
MIXES: dict[str, tuple[tuple[Orientation, Mobility, float], ...]] = {
    "practice": ((Orientation.AMB, Mobility.CAN_TRAVEL, 1.0),),
    "mixed": (
        (Orientation.AMB, Mobility.CAN_TRAVEL, 0.8),
        (Orientation.VR, Mobility.CAN_TRAVEL, 0.1),
        (Orientation.AMB, Mobility.NEEDS_HOME_VISIT, 0.1),
    ),
}
ACTOR = Actor.system("bench.matching")


def first_weekday(dataset: Dataset) -> date:
    day = dataset.first_day
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


async def give_appointments(url: str) -> int:
    """One appointment per booked slot of the dataset (the dataset only marks them booked)."""
    database = Database(url, pool_size=2)
    try:
        return await _give_appointments(database)
    finally:
        await database.dispose()


async def _give_appointments(database: Database) -> int:
    async with database.transaction() as session:
        result = await session.execute(
            text(
                "INSERT INTO appointments (id, slot_id, effector_id, site_id, start_at, end_at,"
                " kind, status, patient_label, origin, created_at, updated_at)"
                " SELECT 'bench-' || CAST(id AS TEXT), id, effector_id, site_id, start_at, end_at,"
                " 'AMB', 'booked', 'X.Y. 50 ans', 'operator', created_at, updated_at"
                " FROM slots WHERE status = 'booked'"
            )
        )
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("ANALYZE"))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def create_requests(
    database: Database, rng: random.Random, count: int, day: date, mix: str = "mixed"
) -> list[tuple[int, datetime]]:
    """`count` triaged requests; each with the moment it is searched (working hours)."""
    made: list[tuple[RegulationRequest, datetime]] = []
    shapes = [(o, m) for o, m, _ in MIXES[mix]]
    weights = [w for _, _, w in MIXES[mix]]
    async with database.transaction() as session:
        for n in range(count):
            minute = rng.randrange(7 * 60, 18 * 60)
            local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=PARIS)
            now = local.astimezone(UTC)
            orientation, mobility = rng.choices(shapes, weights)[0]
            born = date(rng.randrange(1935, 2024), rng.randrange(1, 13), rng.randrange(1, 29))
            row = RegulationRequest(
                status=RequestStatus.WAITING,
                assigned_to=AssignedTo.OPERATOR,
                family_name=f"Patient{n}",
                given_name="Camille",
                birth_date=born,
                sex="undetermined",
                phone="+33612345678",
                address_line="1 place de la Mairie",
                latitude=round(rng.uniform(*LATITUDES), 5),
                longitude=round(rng.uniform(*LONGITUDES), 5),
                mobility=mobility,
                sms_consent=True,
                motif="fever",
                origin=Origin.PATIENT_CALL,
                protocol_version=1,
                priority="P2",
                orientation=orientation,
                deadline_at=now + timedelta(hours=DEADLINE_HOURS),
                received_at=now - timedelta(minutes=5),
                triaged_at=now - timedelta(minutes=2),
                updated_at=now,
            )
            session.add(row)
            made.append((row, now))
        await session.flush()
    return [(row.id, now) for row, now in made]


def kind_of(found: CandidatesOut) -> str:
    """What the request asked for: home visit, teleconsultation (or practice), practice."""
    if "HH" in found.kinds:
        return "home_visit"
    return "teleconsultation" if "VR" in found.kinds else "practice"


async def measure(
    url: str, searches: int, warmup: int, seed: int, day: date, mix: str
) -> tuple[list[float], Counter[str], dict[str, list[float]]]:
    """Latencies (ms), outcomes, and latencies by kind of request (`kind_of`)."""
    rng = random.Random(seed)
    database = Database(url, pool_size=2)
    settings = Settings(database_url=url, log_level="WARNING")
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    by_kind: dict[str, list[float]] = {}
    try:
        requests = await create_requests(database, rng, warmup + searches, day, mix)
        gc.collect()  # start from a settled heap, not from the garbage of the bulk load
        gc.freeze()  # as the app does once started (composition/app.py)
        for n, (request_id, now) in enumerate(requests):
            began = time.perf_counter()
            async with database.transaction() as session:
                found = await propose_candidates(
                    session, ACTOR, request_id, now=now, settings=settings
                )
            elapsed = (time.perf_counter() - began) * 1000
            if n >= warmup:
                latencies.append(elapsed)
                outcomes["fits" if found.fits_deadline else "escalation"] += 1
                outcomes["candidates"] += len(found.items)
                by_kind.setdefault(kind_of(found), []).append(elapsed)
    finally:
        await database.dispose()
    return latencies, outcomes, by_kind


def run(name: str, url: str, args: argparse.Namespace) -> None:
    dataset = build_dataset(
        url, effectors=args.effectors, weeks=args.weeks, slots_per_week=args.slots_per_week
    )
    appointments = asyncio.run(give_appointments(url))
    print(
        f"# {name}: {dataset.effectors} effectors, {dataset.slots} slots, {appointments} "
        f"appointments, loaded in {dataset.build_seconds:.0f} s",
        file=sys.stderr,
    )
    print(f"# {name}: measuring (load average before: {load_average()})", file=sys.stderr)
    day = first_weekday(dataset)
    for mix in (m.strip() for m in args.mixes.split(",")):
        # Several rounds, the one with the median p99 shown: on a shared machine one burst of
        # another process's work should not decide the figure.
        rounds = []
        for round_ in range(args.rounds):
            latencies, outcomes, by_kind = asyncio.run(
                measure(url, args.searches, args.warmup, args.seed, day, mix)
            )
            rounds.append((p99(latencies), round_, latencies, outcomes))
            kinds = "; ".join(
                f"{kind} {len(values)}: median_ms={median(values):.1f} max_ms={max(values):.1f}"
                for kind, values in sorted(by_kind.items())
            )
            print(
                f"# {name} mix={mix} round {round_ + 1}/{args.rounds}: "
                f"median_ms={median(latencies):.1f} p99_ms={p99(latencies):.1f} ({kinds}; "
                f"load average {load_average()})",
                file=sys.stderr,
            )
        _, _, latencies, outcomes = sorted(rounds, key=lambda r: r[:2])[len(rounds) // 2]
        count = len(latencies)
        per_search = outcomes["candidates"] / count
        print(
            f"{name} mix={mix} effectors={dataset.effectors} slots={dataset.slots} "
            f"searches={count} fits_deadline={outcomes['fits']} "
            f"candidates_per_search={per_search:.1f} "
            f"median_ms={median(latencies):.1f} p99_ms={p99(latencies):.1f}",
            flush=True,
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = search_parser(__doc__, seed=11)
    parser.add_argument(
        "--mixes", default="practice,mixed", help=f"comma-separated: {', '.join(MIXES)}"
    )
    add_database_arguments(parser, "matching")
    run_on_databases(parser.parse_args(argv), "matching", run)


if __name__ == "__main__":
    main()
