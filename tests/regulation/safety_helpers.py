"""Helpers of the clinical safety tests: a request marked triaged directly in the database (the
triage's own tests cover the protocol; these need a triaged request whatever its content), a
protocol version published directly, and the slot of an effector."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import yaml
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import (
    Orientation,
    Priority,
    ProtocolStatus,
    ProtocolVersion,
    RegulationRequest,
    RequestStatus,
)
from regulation.service.protocol import default_protocol_text, parse_protocol
from regulation.service.versions import ensure_default_protocol
from snp.db import utcnow


async def mark_triaged(
    session: AsyncSession,
    request_id: int,
    *,
    orientation: Orientation = Orientation.AMB,
    priority: Priority = Priority.P2,
    hours: int = 24,
    **values: Any,
) -> None:
    """What a triage with the protocol in force records (version 1, motif fever)."""
    now = utcnow()
    row = await session.get(RegulationRequest, request_id, populate_existing=True)
    assert row is not None
    row.triaged_at = now
    row.protocol_version = 1
    row.age_band = "adult"
    row.triage_rule = "fever:default"
    row.motif = row.motif or "fever"
    row.priority = priority
    row.orientation = orientation
    row.deadline_at = now + timedelta(hours=hours)
    if row.status == RequestStatus.RECEIVED:
        row.status = RequestStatus.WAITING
    for key, value in values.items():
        setattr(row, key, value)
    await session.commit()


async def publish_directly(session: AsyncSession, text: str) -> int:
    """Put a protocol version in force without the review steps (test set-up only)."""
    await ensure_default_protocol(session)
    number = (
        int(
            await session.scalar(
                select(ProtocolVersion.number).order_by(ProtocolVersion.number.desc()).limit(1)
            )
            or 0
        )
        + 1
    )
    await session.execute(
        update(ProtocolVersion)
        .where(ProtocolVersion.status == ProtocolStatus.PUBLISHED)
        .values(status=ProtocolStatus.SUPERSEDED)
    )
    session.add(
        ProtocolVersion(
            number=number,
            status=ProtocolStatus.PUBLISHED,
            title="Version de test",
            yaml_text=text,
            author_name="Tests",
            published_at=utcnow(),
        )
    )
    await session.commit()
    return number


def default_with_advice(motif_id: str = "fever") -> str:
    """The default protocol whose `motif_id` always asks for a regulator's advice."""
    document = yaml.safe_load(default_protocol_text())
    motif = next(m for m in document["motifs"] if m["id"] == motif_id)
    motif["rules"] = []
    motif["default"] = {"priority": "P2", "deadline_hours": 6, "orientation": "ADVICE"}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


FEVER_OK = {"fever_duration": "under_48h", "fever_tolerated": True, "immunocompromised": False}


def calm_answers() -> dict[str, Any]:
    """A well-tolerated fever of an adult: every red flag (and risk factor) answered "no"."""
    document = parse_protocol(default_protocol_text())
    answers: dict[str, Any] = {f.id: False for f in document.red_flags}
    for factor in getattr(document, "risk_factors", None) or []:
        answers[factor.id] = False
    return answers | FEVER_OK
