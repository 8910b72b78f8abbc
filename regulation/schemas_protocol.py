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


class ProtocolApprovalIn(_In):
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=10, max_length=1000)
    ] = Field(description="Why the physician approves this version (kept in the audit trail).")


class ProtocolVersionSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    status: ProtocolStatus
    title: str
    note: str | None
    author_name: str
    created_at: datetime
    approved_by_name: str | None = Field(description="The physician who approved it (four eyes).")
    approved_at: datetime | None
    approval_reason: str | None
    published_by_name: str | None
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


class VignetteResultOut(BaseModel):
    id: str
    label: str
    age_band: str
    age_band_label: str
    motif: str
    motif_label: str
    expected: str = Field(description="What the physicians expect, in French.")
    outcome: str = Field(description="What the protocol decides, in French.")
    passed: bool
    problems: list[str]


class PropertyCheckOut(BaseModel):
    """ "No red flag is ever queued", checked over every red flag x age band x motif x
    risk-factor setting and every motif rule that is a red flag."""

    holds: bool
    cases_checked: int
    violations: list[str] = Field(description="The first violations found, in French.")
    violations_total: int


class ProtocolChecksOut(BaseModel):
    vignettes: list[VignetteResultOut]
    vignettes_passed: int
    vignettes_total: int
    coverage_gaps: list[str] = Field(
        description="Age bands, motifs or risk factors without any vignette."
    )
    red_flag_property: PropertyCheckOut
    approvable: bool = Field(
        description="Every vignette passes, every band/motif/risk factor is covered, and the "
        "property holds."
    )
