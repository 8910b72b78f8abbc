"""The coordinator's supervision page: the queue's health at a glance (no patient identity)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from regulation.models import AssignedTo, Priority


class PriorityLoad(BaseModel):
    priority: Priority | None = Field(description="P0 à P3 ; None : pas encore triée.")
    waiting: int = Field(description="Demandes en file (reçues, en attente ou prises en charge).")
    oldest_wait_seconds: int


class ClaimLine(BaseModel):
    request_id: int
    priority: Priority | None
    assigned_to: AssignedTo
    claimed_by_name: str | None
    claimed_for_seconds: int


class TodayFigures(BaseModel):
    received: int
    triaged: int
    booked: int
    redirected_15: int
    closed: int


class SupervisionOut(BaseModel):
    generated_at: datetime
    waiting: int
    oldest_wait_seconds: int | None
    by_priority: list[PriorityLoad]
    overdue: int = Field(description="Échéance dépassée.")
    due_within_30_min: int = Field(description="Échéance dans les 30 minutes.")
    awaiting_regulator: int = Field(description="Transférées au médecin régulateur, non prises.")
    claims: list[ClaimLine]
    today: TodayFigures
