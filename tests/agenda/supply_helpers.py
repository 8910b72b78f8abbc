"""Helpers for the directory, recurrence, absence and ICS tests: plain functions, no magic."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Effector, Slot
from agenda.schemas_supply import TemplateIn, TemplateSaved
from agenda.service import templates
from snp.actor import Actor
from snp.auth.roles import Role

COORDINATOR = Actor(user_id=None, email="coordination@example.fr", role=Role.COORDINATOR)
HORIZON = 28  # the default setting, as the API uses it


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


def every_day_14_15_pattern(effector: Effector, **extra: Any) -> TemplateIn:
    """A weekly pattern of the effector's first site: every day, public holidays included,
    14:00-15:00 (Paris) in 20-minute slots (14:00, 14:20, 14:40); `extra` sets other fields."""
    return TemplateIn(
        effector_id=effector.id,
        site_id=effector.sites[0].id,
        weekdays="MO,TU,WE,TH,FR,SA,SU",
        start_time=time(14),
        end_time=time(15),
        include_public_holidays=True,
        **extra,
    )


async def every_day_14_15(
    session: AsyncSession, effector: Effector, *, horizon_days: int = HORIZON, **extra: Any
) -> TemplateSaved:
    """`every_day_14_15_pattern` saved by the coordination (its slots open over the horizon)
    and committed."""
    saved = await templates.create_template(
        session,
        COORDINATOR,
        every_day_14_15_pattern(effector, **extra),
        horizon_days=horizon_days,
    )
    await session.commit()
    return saved
