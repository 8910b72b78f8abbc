"""The triage protocol: read the version in force; the coordination and the physicians upload,
review (diff, clinical checks) and publish; only a physician other than the author approves."""

from __future__ import annotations

from fastapi import status

from regulation.api.deps import Physician, ProtocolEditor, ProtocolReader, regulation_router
from regulation.schemas import (
    ProtocolApprovalIn,
    ProtocolChecksOut,
    ProtocolCurrentOut,
    ProtocolDiffOut,
    ProtocolList,
    ProtocolUploadIn,
    ProtocolVersionOut,
)
from regulation.service import versions
from snp.deps import SessionDep

router = regulation_router()


@router.get("/protocols/current")
async def get_current_protocol(session: SessionDep, actor: ProtocolReader) -> ProtocolCurrentOut:
    """The protocol in force, parsed: red flags, risk factors, age bands, motifs (the form)."""
    return await versions.get_current(session)


@router.get("/protocols")
async def list_protocol_versions(session: SessionDep, actor: ProtocolEditor) -> ProtocolList:
    return await versions.list_versions(session)


@router.post("/protocols", status_code=status.HTTP_201_CREATED)
async def upload_protocol_version(
    body: ProtocolUploadIn, session: SessionDep, actor: ProtocolEditor
) -> ProtocolVersionOut:
    """Store a new draft; 422 locates each problem in the document (`loc`: body, text, ...)."""
    return await versions.upload_version(session, actor, body.text, body.note)


@router.get("/protocols/{number}")
async def get_protocol_version(
    number: int, session: SessionDep, actor: ProtocolEditor
) -> ProtocolVersionOut:
    return await versions.get_version(session, number)


@router.get("/protocols/{number}/diff")
async def diff_protocol_version(
    number: int, session: SessionDep, actor: ProtocolEditor
) -> ProtocolDiffOut:
    """Unified diff against the version in force, for review before approval."""
    return await versions.diff_version(session, number)


@router.get("/protocols/{number}/checks")
async def check_protocol_version(
    number: int, session: SessionDep, actor: ProtocolEditor
) -> ProtocolChecksOut:
    """The version's vignettes run on it, their coverage, and "no red flag is ever queued"."""
    return await versions.get_checks(session, number)


@router.post("/protocols/{number}/approve")
async def approve_protocol_version(
    number: int, body: ProtocolApprovalIn, session: SessionDep, actor: Physician
) -> ProtocolVersionOut:
    """A physician other than the author approves a draft whose checks all pass (403/409/422)."""
    return await versions.approve_version(session, actor, number, body.reason)


@router.post("/protocols/{number}/publish")
async def publish_protocol_version(
    number: int, session: SessionDep, actor: ProtocolEditor
) -> ProtocolVersionOut:
    """Put an approved version in force (409 for a draft not approved yet)."""
    return await versions.publish_version(session, actor, number)
