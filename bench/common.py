"""What every benchmark script shares: percentiles, the machine's load, the databases to run on
(a fresh SQLite file, a throwaway PostgreSQL cluster) and the real app served in its own
process. A script defines `run(name, url, args)` and calls `run_on_databases`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import statistics
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from bench.dataset import add_dataset_arguments  # noqa: E402
from tests.support.postgres import Cluster, create_database, free_port, start_cluster  # noqa: E402

BENCH_DIR = ROOT / "var" / "bench"


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def nearest_rank(values: list[float], percent: float) -> float:
    """The nearest-rank percentile: the smallest value with `percent` % of the values at or
    below it (of 100 answers, p99 is the 99th fastest: one answer may be slower)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def load_average() -> str:
    """The 1/5/15-minute load, printed next to figures measured on a shared machine."""
    path = Path("/proc/loadavg")
    return " ".join(path.read_text().split()[:3]) if path.exists() else "?"


def add_database_arguments(
    parser: argparse.ArgumentParser, name: str, default: str = "sqlite,postgresql"
) -> None:
    """`--databases` and `--sqlite-file` (under var/bench/, named after the script)."""
    parser.add_argument("--databases", default=default, help="comma-separated: sqlite,postgresql")
    parser.add_argument("--sqlite-file", type=Path, default=BENCH_DIR / f"{name}.db")


def search_parser(doc: str | None, *, seed: int, rounds: bool = True) -> argparse.ArgumentParser:
    """The arguments every search benchmark shares: the national dataset's size (as
    `bench/dataset.py` builds it), how many searches after how many warm-up ones, the seed and,
    where the script repeats its measure, the rounds."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0] if doc else None)
    add_dataset_arguments(parser)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=seed)
    if rounds:
        parser.add_argument(
            "--rounds",
            type=int,
            default=3,
            help="measure rounds; the one with the median p99 is shown",
        )
    return parser


def fresh_sqlite_url(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{path}"


@contextlib.contextmanager
def postgresql_database(name: str) -> Iterator[str]:
    """A fresh database: on `SNP_BENCH_POSTGRES_URL`'s server (dropped and recreated) or on a
    throwaway cluster stopped afterwards."""
    existing = os.environ.get("SNP_BENCH_POSTGRES_URL")
    if existing:
        base, database = existing.rsplit("/", 1)
        cluster = Cluster(base, None, None, [])
        url = create_database(cluster, database)
    else:
        cluster = start_cluster()
        url = create_database(cluster, name)
    try:
        yield url
    finally:
        cluster.stop()


def run_on_databases(
    args: argparse.Namespace, name: str, run: Callable[[str, str, argparse.Namespace], None]
) -> None:
    """Calls `run("sqlite", url, args)` and/or `run("postgresql", url, args)` on fresh databases,
    as `--databases` asks."""
    wanted = {d.strip() for d in args.databases.split(",")}
    if "sqlite" in wanted:
        run("sqlite", fresh_sqlite_url(args.sqlite_file), args)
    if "postgresql" in wanted:
        with postgresql_database(f"snp_bench_{name}") as url:
            run("postgresql", url, args)


@contextlib.asynccontextmanager
async def served_app(url: str, env: Mapping[str, str] | None = None) -> AsyncIterator[str]:
    """`snp serve` (uvicorn) in its own process on a free port; yields its base URL once it
    answers `/healthz`. The scheduler is off unless `env` turns it on."""
    port = free_port()
    process_env = {
        **os.environ,
        "SNP_DATABASE_URL": url,
        "SNP_SCHEDULER_ENABLED": "false",
        "SNP_LOG_LEVEL": "WARNING",
        "SNP_LOGIN_SLOWDOWN_SECONDS": "0",
        "SNP_COOKIE_SECURE": "false",
        "SNP_MFA_REQUIRED": "false",  # the benchmarks measure the password login alone
        **(env or {}),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "composition.cli",
        "serve",
        "--port",
        str(port),
        cwd=ROOT,
        env=process_env,
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
