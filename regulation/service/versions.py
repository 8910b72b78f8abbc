"""Protocol versions in the database: upload (draft), review (diff), publish, current.

The shipped default protocol becomes version 1 the first time one is needed. Versions are never
edited: a change is a new version, so each request's `protocol_version` says exactly which text
triaged it.
"""

from __future__ import annotations

import difflib

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import ProtocolVersionNotFound
from regulation.events import ProtocolPublished
from regulation.models import ProtocolStatus, ProtocolVersion
from regulation.schemas import (
    ProtocolCurrentOut,
    ProtocolDiffOut,
    ProtocolList,
    ProtocolVersionOut,
    ProtocolVersionSummary,
)
from regulation.service.protocol import ProtocolDocument, default_protocol_text, parse_protocol
from regulation.service.records import display_name
from snp import audit, events
from snp.actor import Actor
from snp.db import dialect_insert, utcnow
from snp.errors import Conflict

ENTITY = "regulation_protocol"


async def ensure_default_protocol(session: AsyncSession) -> None:
    """Load the shipped default as version 1 when no version exists (safe under concurrency)."""
    if await session.scalar(select(ProtocolVersion.id).limit(1)) is not None:
        return
    text = default_protocol_text()
    document = parse_protocol(text)
    now = utcnow()
    insert = dialect_insert(session)
    await session.execute(
        insert(ProtocolVersion)
        .values(
            number=1,
            status=ProtocolStatus.PUBLISHED,
            title=document.title,
            yaml_text=text,
            note="Protocole par défaut livré avec la plateforme.",
            author_user_id=None,
            author_name="Système",
            created_at=now,
            published_at=now,
        )
        .on_conflict_do_nothing()
    )


async def current_version(session: AsyncSession) -> tuple[ProtocolVersion, ProtocolDocument]:
    """The version in force and its parsed document."""
    await ensure_default_protocol(session)
    row = await session.scalar(
        select(ProtocolVersion).where(ProtocolVersion.status == ProtocolStatus.PUBLISHED)
    )
    if row is None:  # every version is a draft: the oldest text is the fallback
        row = await session.scalar(select(ProtocolVersion).order_by(ProtocolVersion.number))
        assert row is not None
    return row, parse_protocol(row.yaml_text)


async def get_current(session: AsyncSession) -> ProtocolCurrentOut:
    row, document = await current_version(session)
    return ProtocolCurrentOut(number=row.number, published_at=row.published_at, document=document)


async def list_versions(session: AsyncSession) -> ProtocolList:
    await ensure_default_protocol(session)
    rows = await session.scalars(select(ProtocolVersion).order_by(ProtocolVersion.number.desc()))
    return ProtocolList(items=[ProtocolVersionSummary.model_validate(r) for r in rows])


async def _row(session: AsyncSession, number: int) -> ProtocolVersion:
    row = await session.scalar(select(ProtocolVersion).where(ProtocolVersion.number == number))
    if row is None:
        raise ProtocolVersionNotFound()
    return row


async def get_version(session: AsyncSession, number: int) -> ProtocolVersionOut:
    await ensure_default_protocol(session)
    return ProtocolVersionOut.model_validate(await _row(session, number))


async def upload_version(
    session: AsyncSession, actor: Actor, text: str, note: str | None = None
) -> ProtocolVersionOut:
    """Store a new draft after validating it (422 naming the place of each problem)."""
    document = parse_protocol(text)
    await ensure_default_protocol(session)
    number = int(await session.scalar(select(func.max(ProtocolVersion.number))) or 0) + 1
    insert = dialect_insert(session)
    result = await session.execute(
        insert(ProtocolVersion)
        .values(
            number=number,
            status=ProtocolStatus.DRAFT,
            title=document.title,
            yaml_text=text,
            note=note,
            author_user_id=actor.user_id,
            author_name=await display_name(session, actor),
            created_at=utcnow(),
        )
        .on_conflict_do_nothing()
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise Conflict("Une autre version vient d'être déposée : réessayez.", ("body", "text"))
    await audit.created(session, actor, ENTITY, number)
    return await get_version(session, number)


async def diff_version(session: AsyncSession, number: int) -> ProtocolDiffOut:
    """Unified diff of version `number` against the version in force."""
    row = await _row(session, number)
    base, _document = await current_version(session)
    lines = difflib.unified_diff(
        base.yaml_text.splitlines(keepends=True),
        row.yaml_text.splitlines(keepends=True),
        fromfile=f"version {base.number} (en vigueur)",
        tofile=f"version {row.number} ({_STATUS_FR[ProtocolStatus(row.status)]})",
    )
    return ProtocolDiffOut(number=row.number, base_number=base.number, diff="".join(lines))


_STATUS_FR = {
    ProtocolStatus.DRAFT: "brouillon",
    ProtocolStatus.PUBLISHED: "en vigueur",
    ProtocolStatus.SUPERSEDED: "remplacée",
}


async def publish_version(session: AsyncSession, actor: Actor, number: int) -> ProtocolVersionOut:
    """Put draft `number` in force; the previous version becomes `superseded`."""
    await ensure_default_protocol(session)
    row = await _row(session, number)
    if row.status != ProtocolStatus.DRAFT:
        raise Conflict("Seul un brouillon peut être publié.", ("path", "number"))
    parse_protocol(row.yaml_text)  # validated at upload; checked again before it rules triage
    now = utcnow()
    try:
        await session.execute(
            update(ProtocolVersion)
            .where(ProtocolVersion.status == ProtocolStatus.PUBLISHED)
            .values(status=ProtocolStatus.SUPERSEDED)
            .execution_options(synchronize_session=False)
        )
        result = await session.execute(
            update(ProtocolVersion)
            .where(ProtocolVersion.id == row.id, ProtocolVersion.status == ProtocolStatus.DRAFT)
            .values(status=ProtocolStatus.PUBLISHED, published_at=now)
            .execution_options(synchronize_session=False)
        )
    except IntegrityError:
        raise Conflict(
            "Une autre version vient d'être publiée : rechargez la liste.", ("path", "number")
        ) from None
    if not result.rowcount:  # type: ignore[attr-defined]
        raise Conflict("Cette version vient d'être publiée par ailleurs.", ("path", "number"))
    await audit.changed(session, actor, ENTITY, number, ["status", "published_at"])
    await events.emit(session, ProtocolPublished(number))
    session.expire(row)
    return await get_version(session, number)
