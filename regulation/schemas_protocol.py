"""Shapes of the triage protocol's versions: upload, list, the version in force, the diff.

Kept apart from `schemas.py` (which re-exports them). Times are UTC with an offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from regulation.models import ProtocolStatus
from regulation.service.protocol import ProtocolDocument


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProtocolUploadIn(_In):
    text: Annotated[str, StringConstraints(min_length=1, max_length=200_000)] = Field(
        description="The protocol document, YAML."
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class ProtocolVersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    status: ProtocolStatus
    title: str
    note: str | None
    author_name: str
    created_at: datetime
    published_at: datetime | None


class ProtocolVersionOut(ProtocolVersionSummary):
    text: str = Field(validation_alias="yaml_text")


class ProtocolList(BaseModel):
    items: list[ProtocolVersionSummary]


class ProtocolCurrentOut(BaseModel):
    number: int
    published_at: datetime | None
    document: ProtocolDocument


class ProtocolDiffOut(BaseModel):
    number: int
    base_number: int | None = Field(description="The published version compared against.")
    diff: str = Field(description="Unified diff of the YAML texts (empty when identical).")
