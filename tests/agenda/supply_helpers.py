"""Helpers for the directory, recurrence, absence and ICS tests: plain functions, no magic."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Slot
from snp.actor import Actor
from snp.auth.roles import Role

COORDINATOR = Actor(user_id=None, email="coordination@example.fr", role=Role.COORDINATOR)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def errors(response: httpx.Response) -> list[tuple[list[Any], str]]:
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


async def slots_of(session: AsyncSession, effector_id: int, **where: Any) -> list[Slot]:
    """The effector's slots in time order, fresh from the database."""
    query = select(Slot).where(Slot.effector_id == effector_id).order_by(Slot.start_at)
    for name, value in where.items():
        query = query.where(getattr(Slot, name) == value)
    return list(await session.scalars(query.execution_options(populate_existing=True)))


async def count_slots(session: AsyncSession, effector_id: int, **where: Any) -> int:
    query = select(func.count()).select_from(Slot).where(Slot.effector_id == effector_id)
    for name, value in where.items():
        query = query.where(getattr(Slot, name) == value)
    return int(await session.scalar(query) or 0)
