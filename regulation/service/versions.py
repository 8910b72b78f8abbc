"""Protocol versions in the database: upload (draft), review (diff and clinical checks),
approval by a physician (four eyes), publication, the version in force.

A version goes draft -> approved -> published (the previous one becomes superseded). Only a
regulator (a physician) approves, never the author of the version, with a reason kept on the
version and in the audit trail, and only when its vignettes all pass, cover every age band,
motif and risk factor, and no red flag can be queued (`protocol_checks`, computed here, on the
server). The shipped default protocol becomes version 1 the first time one is needed. Versions
are never edited: a change is a new version, so each request's `protocol_version` says exactly
which text triaged it.
"""

from __future__ import annotations

import difflib

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import ProtocolNotApprovable, ProtocolVersionNotFound
from regulation.events import ProtocolPublished
from regulation.models import ProtocolStatus, ProtocolVersion
from regulation.schemas import (
    ProtocolChecksOut,
    ProtocolCurrentOut,
    ProtocolDiffOut,
    ProtocolList,
    ProtocolVersionOut,
    ProtocolVersionSummary,
)
from regulation.service.protocol import ProtocolDocument, default_protocol_text, parse_protocol
from regulation.service.protocol_checks import check_text
from regulation.service.records import display_name
from snp import audit, events
from snp.actor import Actor
from snp.db import dialect_insert, utcnow
from snp.errors import Conflict, Forbidden

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
            published_by_name="Système",
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
    ProtocolStatus.APPROVED: "approuvée",
    ProtocolStatus.PUBLISHED: "en vigueur",
    ProtocolStatus.SUPERSEDED: "remplacée",
}


async def get_checks(session: AsyncSession, number: int) -> ProtocolChecksOut:
    """The clinical checks of version `number`: vignettes, coverage, the red-flag property."""
    await ensure_default_protocol(session)
    return check_text((await _row(session, number)).yaml_text)


def _ensure_approvable(text: str) -> None:
    checks = check_text(text)
    if checks.approvable:
        return
    errors: list[dict[str, object]] = [
        {"loc": ["vignettes", v.id], "msg": f"Vignette « {v.label} » : {' '.join(v.problems)}"}
        for v in checks.vignettes
        if not v.passed
    ]
    if not checks.vignettes:
        errors.append({"loc": ["vignettes"], "msg": "Aucune vignette clinique dans la version."})
    errors += [{"loc": ["vignettes"], "msg": gap} for gap in checks.coverage_gaps]
    prop = checks.red_flag_property
    errors += [
        {"loc": ["red_flag_property"], "msg": f"Signe d'alerte mis en file d'attente : {v}"}
        for v in prop.violations
    ]
    raise ProtocolNotApprovable(errors)


async def approve_version(
    session: AsyncSession, actor: Actor, number: int, reason: str
) -> ProtocolVersionOut:
    """A physician other than the author approves draft `number`, when its checks all pass."""
    await ensure_default_protocol(session)
    row = await _row(session, number)
    if row.status != ProtocolStatus.DRAFT:
        raise Conflict("Seul un brouillon peut être approuvé.", ("path", "number"))
    if row.author_user_id is not None and row.author_user_id == actor.user_id:
        raise Forbidden(
            "Double validation : l'auteur d'une version ne peut pas l'approuver lui-même ; "
            "un autre médecin doit le faire.",
            ("path", "number"),
        )
    _ensure_approvable(row.yaml_text)
    result = await session.execute(
        update(ProtocolVersion)
        .where(ProtocolVersion.id == row.id, ProtocolVersion.status == ProtocolStatus.DRAFT)
        .values(
            status=ProtocolStatus.APPROVED,
            approved_by_user_id=actor.user_id,
            approved_by_name=await display_name(session, actor),
            approved_at=utcnow(),
            approval_reason=reason,
        )
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise Conflict("Cette version vient d'être approuvée par ailleurs.", ("path", "number"))
    # Not patient data: the physician's reason belongs in the trail with who and when.
    await audit.record(
        session, actor, "approve", ENTITY, number, detail=f"Approuvée : {reason}"[:500]
    )
    session.expire(row)
    return await get_version(session, number)


async def publish_version(session: AsyncSession, actor: Actor, number: int) -> ProtocolVersionOut:
    """Put approved version `number` in force; the previous version becomes `superseded`."""
    await ensure_default_protocol(session)
    row = await _row(session, number)
    if row.status == ProtocolStatus.DRAFT:
        raise Conflict(
            "Cette version doit d'abord être approuvée par un médecin régulateur "
            "(autre que son auteur).",
            ("path", "number"),
        )
    if row.status != ProtocolStatus.APPROVED:
        raise Conflict("Seule une version approuvée peut être publiée.", ("path", "number"))
    # Approved on this very text; checked again in case the engine changed since.
    _ensure_approvable(row.yaml_text)
    now = utcnow()
    publisher = await display_name(session, actor)
    try:
        await session.execute(
            update(ProtocolVersion)
            .where(ProtocolVersion.status == ProtocolStatus.PUBLISHED)
            .values(status=ProtocolStatus.SUPERSEDED)
            .execution_options(synchronize_session=False)
        )
        result = await session.execute(
            update(ProtocolVersion)
            .where(ProtocolVersion.id == row.id, ProtocolVersion.status == ProtocolStatus.APPROVED)
            .values(
                status=ProtocolStatus.PUBLISHED,
                published_at=now,
                published_by_name=publisher,
            )
            .execution_options(synchronize_session=False)
        )
    except IntegrityError:
        raise Conflict(
            "Une autre version vient d'être publiée : rechargez la liste.", ("path", "number")
        ) from None
    if not result.rowcount:  # type: ignore[attr-defined]
        raise Conflict("Cette version vient d'être publiée par ailleurs.", ("path", "number"))
    await audit.changed(
        session, actor, ENTITY, number, ["status", "published_at", "published_by_name"]
    )
    await events.emit(session, ProtocolPublished(number))
    session.expire(row)
    return await get_version(session, number)
