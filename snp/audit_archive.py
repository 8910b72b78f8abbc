"""Audit retention: old audit entries move to an append-only, hash-chained file.

Each line of the archive is one entry as JSON with `prev` (the previous line's hash) and `hash`
= SHA-256 of `prev` + the entry's canonical JSON, so changing, removing or reordering any line
breaks every hash after it (`verify`). Entries older than `audit_retention_days` are appended,
then deleted from the database (job `snp.archive_audit`, daily, when `SNP_AUDIT_ARCHIVE_FILE`
is set; `snp audit archive` and `snp audit verify` by hand). An entry is never written twice:
the archive's last id is read back before appending, so a run whose database transaction
failed after writing is harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from snp import scheduler
from snp.audit import AuditEntry
from snp.db import utcnow
from snp.settings import settings_of

GENESIS = "0" * 64
BATCH = 5000


def _canonical(entry: dict[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _chain(prev: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((prev + _canonical(entry)).encode()).hexdigest()


def _as_dict(row: AuditEntry) -> dict[str, Any]:
    return {
        "id": row.id,
        "at": row.at.isoformat(),
        "actor_user_id": row.actor_user_id,
        "actor_email": row.actor_email,
        "actor_role": row.actor_role,
        "action": row.action,
        "entity": row.entity,
        "entity_id": row.entity_id,
        "ip": row.ip,
        "detail": row.detail,
    }


def _tail(path: Path) -> tuple[str, int]:
    """The last line's hash and entry id (the chain's start for an empty or new file)."""
    if not path.exists() or path.stat().st_size == 0:
        return GENESIS, 0
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - 65536))
        last = file.read().splitlines()[-1]
    line = json.loads(last)
    return str(line["hash"]), int(line["entry"]["id"])


async def archive(session: AsyncSession, path: Path, before: datetime) -> int:
    """Append the entries older than `before` to `path` (chained) and delete them; returns how
    many. The caller commits."""
    prev, last_id = _tail(path)
    rows = list(
        await session.scalars(
            select(AuditEntry).where(AuditEntry.at < before).order_by(AuditEntry.id).limit(BATCH)
        )
    )
    if not rows:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        for row in rows:
            if row.id <= last_id:
                continue  # already archived by a run whose deletion did not commit
            entry = _as_dict(row)
            prev = _chain(prev, entry)
            file.write(_canonical({"entry": entry, "hash": prev}) + "\n")
        file.flush()
        os.fsync(file.fileno())
    await session.execute(delete(AuditEntry).where(AuditEntry.id.in_([r.id for r in rows])))
    return len(rows)


@dataclass(frozen=True, slots=True)
class Verification:
    lines: int
    broken_at: int | None  # first line (1-based) whose hash does not follow, None when intact


def verify(path: Path) -> Verification:
    prev = GENESIS
    count = 0
    with path.open(encoding="utf-8") as file:
        for number, raw in enumerate(file, start=1):
            count = number
            try:
                line = json.loads(raw)
                expected = _chain(prev, line["entry"])
            except (ValueError, KeyError, TypeError):
                return Verification(number, number)
            if line.get("hash") != expected:
                return Verification(number, number)
            prev = expected
    return Verification(count, None)


@scheduler.register("snp.archive_audit", timedelta(days=1))
async def archive_audit(session: AsyncSession) -> None:
    settings = settings_of(session)
    if settings.audit_archive_file is None:
        return
    before = utcnow() - timedelta(days=settings.audit_retention_days)
    await archive(session, settings.audit_archive_file, before)
