"""A throwaway PostgreSQL cluster on 127.0.0.1 for the test session (Debian's packages).

Set `SNP_TEST_POSTGRES_URL` to use an existing server instead.
"""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bin_dir() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not candidates:
        found = shutil.which("initdb")
        if found is None:
            raise RuntimeError(
                "PostgreSQL is not installed: run `make test` (it installs Debian's postgresql)."
            )
        return Path(found).resolve().parent
    return Path(candidates[-1]).parent


@dataclass
class Cluster:
    url_base: str  # postgresql+asyncpg://user@host:port
    data_dir: Path | None
    bin_dir: Path | None
    run_as: list[str]

    def url(self, database: str) -> str:
        return f"{self.url_base}/{database}"

    def stop(self) -> None:
        if self.data_dir is None or self.bin_dir is None:
            return
        subprocess.run(
            [
                *self.run_as,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def start_cluster() -> Cluster:
    existing = os.environ.get("SNP_TEST_POSTGRES_URL")
    if existing:
        return Cluster(existing.rstrip("/"), None, None, [])
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="snp-pg-"))
    data = root / "data"
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as Debian's postgres user
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "snp",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    options = (
        f"-h 127.0.0.1 -p {port} -k {root} -F -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [
            *run_as,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    return Cluster(f"postgresql+asyncpg://snp@127.0.0.1:{port}", data, bin_dir, run_as)


def create_database(cluster: Cluster, name: str) -> str:
    """(Re)create an empty database and return its async URL."""

    async def create() -> None:
        dsn = cluster.url("postgres").replace("postgresql+asyncpg", "postgresql")
        connection = await asyncpg.connect(dsn)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
        finally:
            await connection.close()

    asyncio.run(create())
    return cluster.url(name)
