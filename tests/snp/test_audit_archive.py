"""Audit retention: old entries move to an append-only, hash-chained file that shows any
tampering; recent ones stay in the database."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from snp import audit, audit_archive
from snp.actor import Actor
from snp.audit import AuditEntry
from snp.db import utcnow


async def add_entries(session: AsyncSession, count: int, days_ago: int) -> None:
    actor = Actor.system("tests")
    for n in range(count):
        await audit.record(session, actor, "read", "request", n)
    await session.flush()
    await session.execute(
        update(AuditEntry)
        .where(AuditEntry.at > utcnow() - timedelta(minutes=1))
        .values(at=utcnow() - timedelta(days=days_ago))
    )
    await session.commit()


async def test_old_entries_are_archived_chained_and_removed(
    session: AsyncSession, tmp_path: Path
) -> None:
    await add_entries(session, 3, days_ago=400)
    await add_entries(session, 2, days_ago=1)
    file = tmp_path / "audit.jsonl"
    before = utcnow() - timedelta(days=365)
    assert await audit_archive.archive(session, file, before) == 3
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(AuditEntry)) == 2
    assert audit_archive.verify(file) == audit_archive.Verification(3, None)
    # Later runs append after the last line, never again the same entries.
    await add_entries(session, 1, days_ago=500)
    assert await audit_archive.archive(session, file, before) == 1
    await session.commit()
    assert audit_archive.verify(file) == audit_archive.Verification(4, None)
    assert await audit_archive.archive(session, file, before) == 0


async def test_any_change_to_the_archive_shows(session: AsyncSession, tmp_path: Path) -> None:
    await add_entries(session, 4, days_ago=400)
    file = tmp_path / "audit.jsonl"
    await audit_archive.archive(session, file, utcnow() - timedelta(days=365))
    await session.commit()
    lines = file.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[1])
    edited["entry"]["actor_email"] = "someone-else"
    file.write_text("\n".join([lines[0], json.dumps(edited), *lines[2:]]) + "\n")
    assert audit_archive.verify(file).broken_at == 2
    file.write_text("\n".join([lines[0], *lines[2:]]) + "\n")  # a line removed
    assert audit_archive.verify(file).broken_at == 2
