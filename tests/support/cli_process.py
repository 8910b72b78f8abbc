"""Run the real `snp` command in a child process, as an administrator would."""

from __future__ import annotations

import asyncio
import os
import sys


async def run_snp(db_url: str, *args: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `snp ARGS` against the database `db_url`."""
    env = {**os.environ, "SNP_DATABASE_URL": db_url, "SNP_LOG_LEVEL": "WARNING"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "composition.cli",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
