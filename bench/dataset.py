"""A synthetic national dataset for the benchmarks: effectors all over France and their slots.

`build_dataset(url, effectors=20_000)` migrates an empty database (SQLite file or PostgreSQL) to
the current schema, then bulk-loads effectors (ids 1..N, one site each, spread over mainland
France), and `slots_per_week` slots a week for each over `weeks` weeks starting tomorrow
(Europe/Paris): weekdays, 20-minute slots in one block a day. About 70 % of slots are free,
25 % booked, 5 % held (half of those holds already expired). Deterministic for a given seed.

SQLite is loaded with the standard `sqlite3` module (`executemany` in one transaction) and
PostgreSQL with `COPY` (asyncpg), then both are ANALYZEd, as a production database would be.
Later benches (matching, SAS search) reuse it:

    from bench.dataset import build_dataset, pick_effectors
    dataset = build_dataset(url, effectors=2_000)

Run directly to build one: `python bench/dataset.py --url sqlite+aiosqlite:///var/bench.db`.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from composition import migrate  # noqa: E402 - after the path set-up above
from composition.app import METADATA  # noqa: E402
from snp.identifiers import rpps_with_check_digit  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
SLOT_MINUTES = 20
EFFECTORS_PER_CHUNK = 1_000
# Mainland France, roughly (a rectangle: some effectors end up at sea, which is fine here).
LATITUDES = (42.5, 51.0)
LONGITUDES = (-4.5, 7.8)
SPECIALTIES = (("SM54", 0.85), ("SM40", 0.05), ("SM26", 0.05), ("SM03", 0.05))
DAY_STARTS = (8 * 60, 9 * 60, 10 * 60, 13 * 60 + 30, 14 * 60, 16 * 60, 17 * 60)


@dataclass(frozen=True, slots=True)
class Dataset:
    url: str
    effectors: int  # ids 1..effectors, site i belongs to effector i
    slots: int
    first_day: date  # Europe/Paris
    days: int
    build_seconds: float

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, datetime.min.time(), tzinfo=PARIS)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=self.days)


def pick_effectors(rng: random.Random, dataset: Dataset, k: int) -> list[int]:
    return rng.sample(range(1, dataset.effectors + 1), k)


def _table(name: str) -> Table:
    table = METADATA.tables[name]
    assert isinstance(table, Table)
    return table


def _defaults(table: Table) -> dict[str, Any]:
    """Scalar defaults for columns a generator does not set (keeps up with new columns)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        default: Any = column.default
        value = None
        if default is not None and getattr(default, "is_scalar", False):
            value = default.arg
        elif default is not None and getattr(default, "is_callable", False):
            value = default.arg(None)  # e.g. utcnow (SQLAlchemy wraps it to take a context)
        values[column.name] = value
    return values


def _effector_rows(
    first: int, last: int, rng: random.Random, now: datetime
) -> Iterator[dict[str, Any]]:
    codes = [c for c, _ in SPECIALTIES]
    weights = [w for _, w in SPECIALTIES]
    for n in range(first, last):
        yield {
            "id": n,
            "national_id": rpps_with_check_digit(f"1{n:09d}"),
            "national_id_kind": "RPPS",
            "family_name": f"Nom{n}",
            "given_name": "Camille",
            "profession": "Médecin",
            "specialty_code": rng.choices(codes, weights)[0],
            "specialty_text": None,
            "phone": f"+336{n:08d}",
            "email": None,
            "active": rng.random() > 0.02,
            "home_visits": rng.random() < 0.2,
            "teleconsultation": rng.random() < 0.3,
            "created_at": now,
            "updated_at": now,
        }


def _site_rows(first: int, last: int, rng: random.Random) -> Iterator[dict[str, Any]]:
    for n in range(first, last):
        yield {
            "id": n,
            "effector_id": n,
            "name": "Cabinet",
            "address_line": f"{n % 200 + 1} rue de la République",
            "postal_code": f"{n % 95 + 1:02d}000",
            "city": f"Commune {n % 5000}",
            "insee_code": f"{n % 95 + 1:02d}{n % 999:03d}",
            "latitude": round(rng.uniform(*LATITUDES), 5),
            "longitude": round(rng.uniform(*LONGITUDES), 5),
            "structure_id": None,
            "phone": None,
        }


class _Grid:
    """The slots' start times in UTC, computed once per (day, minute of the day)."""

    def __init__(self, first_day: date, days: int) -> None:
        self.days = [d for d in (first_day + timedelta(i) for i in range(days)) if d.weekday() < 5]
        self._cache: dict[tuple[date, int], datetime] = {}

    def at(self, day: date, minute: int) -> datetime:
        key = (day, minute)
        found = self._cache.get(key)
        if found is None:
            local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=PARIS)
            found = self._cache[key] = local.astimezone(UTC)
        return found


def _slot_rows(
    first: int,
    last: int,
    rng: random.Random,
    grid: _Grid,
    per_week: int,
    now: datetime,
    next_id: Iterator[int],
) -> Iterator[dict[str, Any]]:
    per_day = math.ceil(per_week / 5)
    length = timedelta(minutes=SLOT_MINUTES)
    for n in range(first, last):
        day_start = rng.choice(DAY_STARTS)
        for i, day in enumerate(grid.days):
            count = per_day if (i % 5) < per_week - (per_day - 1) * 5 else per_day - 1
            for k in range(count):
                start = grid.at(day, day_start + k * SLOT_MINUTES)
                draw = rng.random()
                status, held_by, hold_expires_at = "free", None, None
                if draw < 0.25:
                    status = "booked"
                elif draw < 0.30:
                    status, held_by = "held", "operator:bench"
                    hold_expires_at = now + timedelta(minutes=5 if draw < 0.275 else -5)
                yield {
                    "id": next(next_id),
                    "effector_id": n,
                    "site_id": n,
                    "start_at": start,
                    "end_at": start + length,
                    "kind_amb": True,
                    "kind_hh": rng.random() < 0.1,
                    "kind_vr": rng.random() < 0.2,
                    "vis_snp": True,
                    "vis_cpts": True,
                    "vis_pro": False,
                    "vis_public": rng.random() < 0.1,
                    "shared_with_sas": rng.random() < 0.9,
                    "reason": None,
                    "status": status,
                    "held_by": held_by,
                    "hold_expires_at": hold_expires_at,
                    "source_key": None,
                    "template_id": None,
                    "created_at": now,
                    "updated_at": now,
                }


Chunk = tuple[str, list[str], list[tuple[Any, ...]]]  # table, columns, rows


class _Generation:
    """Iterates over row chunks (effectors, sites, slots per 1,000 effectors) in insert order;
    `slots` and `first_day` are known once iterated."""

    def __init__(
        self, effectors: int, weeks: int, per_week: int, seed: int, convert: Callable[[Any], Any]
    ) -> None:
        self.effectors, self.weeks, self.per_week = effectors, weeks, per_week
        self.rng = random.Random(seed)
        self.convert = convert
        self.first_day = datetime.now(PARIS).date() + timedelta(days=1)
        self.slots = 0

    def _tuples(self, name: str, rows: Iterator[dict[str, Any]]) -> Chunk:
        table = _table(name)
        columns = [c.name for c in table.columns]
        base = _defaults(table)
        convert = self.convert
        return name, columns, [tuple(convert(row.get(c, base[c])) for c in columns) for row in rows]

    def __iter__(self) -> Iterator[Chunk]:
        now = datetime.now(UTC)
        grid = _Grid(self.first_day, self.weeks * 7)
        ids = iter(range(1, 1 << 62))
        for first in range(1, self.effectors + 1, EFFECTORS_PER_CHUNK):
            last = min(first + EFFECTORS_PER_CHUNK, self.effectors + 1)
            yield self._tuples("effectors", _effector_rows(first, last, self.rng, now))
            yield self._tuples("sites", _site_rows(first, last, self.rng))
            chunk = self._tuples(
                "slots", _slot_rows(first, last, self.rng, grid, self.per_week, now, ids)
            )
            self.slots += len(chunk[2])
            yield chunk


def _build_sqlite(path: Path, generation: _Generation) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        for table, columns, rows in generation:
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                rows,
            )
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


async def _build_postgresql(dsn: str, generation: _Generation) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for table, columns, rows in generation:
                await connection.copy_records_to_table(table, records=rows, columns=columns)
            for table in ("effectors", "sites", "slots"):
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
        await connection.execute("VACUUM ANALYZE")
        await connection.execute("CHECKPOINT")  # not during the measures that follow
    finally:
        await connection.close()


def _sqlite_text() -> Callable[[Any], Any]:
    """Values as SQLAlchemy stores them on SQLite (UTC datetimes as text)."""
    to_text = _table("slots").c.start_at.type.bind_processor(sqlite_dialect.dialect())
    assert to_text is not None
    cache: dict[datetime, Any] = {}

    def convert(value: Any) -> Any:
        if not isinstance(value, datetime):
            return value
        found = cache.get(value)
        if found is None:
            found = cache[value] = to_text(value)
        return found

    return convert


def build_dataset(
    url: str,
    *,
    effectors: int = 20_000,
    weeks: int = 2,
    slots_per_week: int = 60,
    seed: int = 20261123,
) -> Dataset:
    """Migrate the (empty) database at `url` and load the synthetic dataset into it."""
    began = time.perf_counter()
    migrate.upgrade(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database, "a SQLite file is needed"
        generation = _Generation(effectors, weeks, slots_per_week, seed, _sqlite_text())
        _build_sqlite(Path(parsed.database), generation)
    else:
        generation = _Generation(effectors, weeks, slots_per_week, seed, lambda value: value)
        dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        asyncio.run(_build_postgresql(dsn, generation))
    return Dataset(
        url=url,
        effectors=effectors,
        slots=generation.slots,
        first_day=generation.first_day,
        days=weeks * 7,
        build_seconds=time.perf_counter() - began,
    )


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    """The synthetic national dataset's size: effectors, weeks and SNP slots a week each."""
    parser.add_argument("--effectors", type=int, default=20_000)
    parser.add_argument("--weeks", type=int, default=2)
    parser.add_argument("--slots-per-week", type=int, default=60)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the synthetic national dataset.")
    parser.add_argument("--url", help="empty database: sqlite+aiosqlite:///FILE or PostgreSQL")
    add_dataset_arguments(parser)
    args = parser.parse_args(argv)
    if not args.url:  # `make bench` runs every script: this one is a library first
        print("bench/dataset.py: library of the benches; pass --url to build a dataset.")
        return
    dataset = build_dataset(
        args.url, effectors=args.effectors, weeks=args.weeks, slots_per_week=args.slots_per_week
    )
    print(
        f"effectors={dataset.effectors} slots={dataset.slots} build_s={dataset.build_seconds:.1f}"
    )


if __name__ == "__main__":
    main()
