"""The triage protocol: read the version in force; coordinators upload, review and publish."""

from __future__ import annotations

from fastapi import status

from regulation.api.deps import Coordinator, ProtocolReader, regulation_router
from regulation.schemas import (
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
    """The protocol in force, parsed: red flags, age bands, motifs, questions (the triage form)."""
    return await versions.get_current(session)


@router.get("/protocols")
async def list_protocol_versions(session: SessionDep, actor: Coordinator) -> ProtocolList:
    return await versions.list_versions(session)


@router.post("/protocols", status_code=status.HTTP_201_CREATED)
async def upload_protocol_version(
    body: ProtocolUploadIn, session: SessionDep, actor: Coordinator
) -> ProtocolVersionOut:
    """Store a new draft; 422 locates each problem in the document (`loc`: body, text, ...)."""
    return await versions.upload_version(session, actor, body.text, body.note)


@router.get("/protocols/{number}")
async def get_protocol_version(
    number: int, session: SessionDep, actor: Coordinator
) -> ProtocolVersionOut:
    return await versions.get_version(session, number)


@router.get("/protocols/{number}/diff")
async def diff_protocol_version(
    number: int, session: SessionDep, actor: Coordinator
) -> ProtocolDiffOut:
    """Unified diff against the version in force, for review before publishing."""
    return await versions.diff_version(session, number)


@router.post("/protocols/{number}/publish")
async def publish_protocol_version(
    number: int, session: SessionDep, actor: Coordinator
) -> ProtocolVersionOut:
    return await versions.publish_version(session, actor, number)
