"""Date overrides (« horaires modifiés »): other hours on one date instead of the weekly
patterns, for the effector themself or, for the coordination, on an effector's behalf
(ownership checked in the services)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, status

from agenda.api.owners import AgendaOwner, EffectorFilter
from agenda.schemas_supply import (
    OverrideIn,
    OverrideOut,
    OverridePreview,
    OverrideSaved,
    SlotsRemoved,
)
from agenda.service import overrides
from snp.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/agenda", tags=["agenda"])


@router.get("/overrides")
async def list_overrides(
    session: SessionDep,
    actor: AgendaOwner,
    effector_id: EffectorFilter = None,
    start: Annotated[
        date | None, Query(description="Premier jour (par défaut aujourd'hui).")
    ] = None,
    end: Annotated[date | None, Query(description="Dernier jour, inclus.")] = None,
) -> list[OverrideOut]:
    """The dates whose hours are changed, over the period."""
    return await overrides.list_overrides(session, actor, effector_id, start=start, end=end)


@router.post("/overrides/preview")
async def preview_override(
    session: SessionDep, actor: AgendaOwner, body: OverrideIn
) -> OverridePreview:
    """What changing that date's hours would do: the usual slots removed, the booked ones kept,
    the new ones opened and each one not opened with why. Saves nothing."""
    return await overrides.preview_override(session, actor, body)


@router.post("/overrides", status_code=status.HTTP_201_CREATED)
async def create_override(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, body: OverrideIn
) -> OverrideSaved:
    """Change that date's hours: the usual free slots go, held and booked ones stay, the new
    slots open. 409 when the date's hours are already changed."""
    return await overrides.create_override(
        session, actor, body, horizon_days=settings.agenda_horizon_days
    )


@router.delete("/overrides/{override_id}")
async def delete_override(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, override_id: int
) -> SlotsRemoved:
    """Back to the usual hours: the changed hours' free slots go, the weekly patterns reopen."""
    return await overrides.delete_override(
        session, actor, override_id, horizon_days=settings.agenda_horizon_days
    )
