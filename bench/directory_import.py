"""Import of the Annuaire Santé extraction: streamed preview and apply of a generated file.

Generates `--lines` lines (default 2,000,000) in the real column set of
`PS_LibreAcces_Personne_activite` (professionals of every profession spread over ~35,000 communes
of France), a territory of 50 of those communes, then on each database runs what the page and
`snp effectors import-annuaire` run: read the file as a stream (keeping the territory's GPs),
preview (added / changed / left), apply by batches. Prints the time of each step, then
`seconds=` (read + preview + apply) and `peak_mb=` (the process's peak resident memory,
`ru_maxrss`), target: 2 M lines in under 2 minutes, memory independent of the file's size.

    .venv/bin/python bench/directory_import.py
    .venv/bin/python bench/directory_import.py --lines 200000 --databases sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agenda.service import annuaire, annuaire_jobs
from agenda.service.annuaire_format import header_line, practitioner
from bench.common import BENCH_DIR, add_database_arguments, load_average, run_on_databases
from composition import migrate
from snp.actor import Actor
from snp.db import Database
from snp.identifiers import rpps_with_check_digit
from snp.settings import Settings
from snp.territory import CommuneData, upsert_communes

TERRITORY_SIZE = 50
# Professions of the lines (code, savoir-faire, weight): about the national mix.
MIX = (
    ("10", "SM54", 22),
    ("10", "SM53", 4),
    ("10", "SM04", 14),
    ("60", "", 30),
    ("21", "", 9),
    ("40", "", 6),
    ("50", "", 15),
)


def communes_of_france() -> list[str]:
    departments = [f"{d:02d}" for d in range(1, 96) if d != 20] + ["2A", "2B"]
    return [f"{dep}{n:03d}" for dep in departments for n in range(1, 361)]


def generate(path: Path, lines: int, territory: Sequence[str], seed: int = 7) -> None:
    rng = random.Random(seed)
    communes = communes_of_france()
    codes = [m[:2] for m in MIX for _ in range(m[2])]
    people = max(1, lines // 2)  # about two activity lines per professional
    with path.open("w", encoding="utf-8") as out:
        out.write(header_line())
        for n in range(lines):
            person = rng.randrange(people)
            local = rng.random() < 0.002  # a territory the size of a CPTS
            insee = rng.choice(territory) if local else rng.choice(communes)
            profession, savoir = codes[person % len(codes)]
            out.write(
                practitioner(
                    rpps=rpps_with_check_digit(f"{1_000_000_000 + person}"),
                    family=f"NOM{person}",
                    given="PRENOM",
                    profession=profession,
                    savoir_faire=savoir,
                    site=f"CABINET {person % 9973}",
                    number=str(1 + n % 120),
                    street_type="Rue",
                    street=f"DE LA COMMUNE {n % 50}",
                    postal=f"{insee[:2].replace('2A', '20').replace('2B', '20')}{n % 1000:03d}",
                    insee=insee,
                    city=f"COMMUNE {insee}",
                    phone=f"02{rng.randrange(10**8):08d}",
                )
            )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(url: str, path: Path, territory: Sequence[str]) -> None:
    database = Database(url, settings=Settings(database_url=url))
    try:
        async with database.transaction() as session:
            await upsert_communes(
                session,
                [
                    CommuneData(code, f"Commune {code}", "35000", 47.0 + i / 100, -2.0)
                    for i, code in enumerate(territory)
                ],
            )
        started = time.perf_counter()
        result, index = await annuaire_jobs.read_file(database.sessionmaker, path, ("gp",))
        read = time.perf_counter()
        async with database.transaction() as session:
            preview = await annuaire.preview_annuaire(session, result, ("gp",))
        previewed = time.perf_counter()
        counts = await annuaire_jobs.apply_people(database, Actor.system("bench"), result, index)
        applied = time.perf_counter()
        print(
            f"  read {read - started:.1f} s ({result.lines} lines, {result.kept_lines} kept), "
            f"preview {previewed - read:.2f} s ({preview.added_count} to add), "
            f"apply {applied - previewed:.1f} s ({counts.created} created, "
            f"{counts.sites_created} sites)"
        )
        print(f"seconds={applied - started:.1f} peak_mb={peak_mb():.0f}")
    finally:
        await database.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_000_000)
    add_database_arguments(parser, "directory_import")
    args = parser.parse_args(argv)
    path = BENCH_DIR / f"annuaire-{args.lines}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    territory = random.Random(11).sample(communes_of_france(), TERRITORY_SIZE)
    started = time.perf_counter()
    generate(path, args.lines, territory)
    size = path.stat().st_size / 1e6
    print(
        f"generated {args.lines} lines ({size:.0f} MB) in {time.perf_counter() - started:.0f} s;"
        f" load {load_average()}; baseline peak_mb={peak_mb():.0f}"
    )

    def run(name: str, url: str, _: argparse.Namespace) -> None:
        print(f"{name}:")
        migrate.upgrade(url)
        asyncio.run(measure(url, path, territory))

    try:
        run_on_databases(args, "directory_import", run)
    finally:
        path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
