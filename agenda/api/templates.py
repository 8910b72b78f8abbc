"""Recurring availability (weekly templates) and absences: the effector's own, or anyone's for
the coordination (ownership checked in the services)."""

from __future__ import annotations

from fastapi import APIRouter, status

from agenda.api.owners import AgendaOwner, EffectorFilter
from agenda.schemas_supply import (
    AbsenceIn,
    AbsenceOut,
    AbsencePatch,
    AbsenceSaved,
    SlotsRemoved,
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    TemplatePreview,
    TemplateSaved,
)
from agenda.service import absences, template_preview, templates
from snp.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/agenda", tags=["agenda"])


@router.get("/templates")
async def list_templates(
    session: SessionDep, actor: AgendaOwner, effector_id: EffectorFilter = None
) -> list[TemplateOut]:
    return await templates.list_templates(session, actor, effector_id)


@router.post("/templates", status_code=status.HTTP_201_CREATED)
async def create_template(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, body: TemplateIn
) -> TemplateSaved:
    """Create a weekly availability; its slots open at once over the horizon."""
    return await templates.create_template(
        session, actor, body, horizon_days=settings.agenda_horizon_days
    )


@router.post("/templates/preview")
async def preview_template(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, body: TemplateIn
) -> TemplatePreview:
    """What this weekly availability would open over the horizon, and each slot it would skip
    with why (collision with an existing slot, absence, public holiday, already past). Saves
    nothing."""
    return await template_preview.preview_template(
        session, actor, body, horizon_days=settings.agenda_horizon_days
    )


@router.get("/templates/{template_id}")
async def get_template(session: SessionDep, actor: AgendaOwner, template_id: int) -> TemplateOut:
    return await templates.get_template(session, actor, template_id)


@router.patch("/templates/{template_id}")
async def update_template(
    session: SessionDep,
    actor: AgendaOwner,
    settings: SettingsDep,
    template_id: int,
    body: TemplatePatch,
) -> TemplateSaved:
    """Its future free slots are replaced; held and booked slots are never touched."""
    return await templates.update_template(
        session, actor, template_id, body, horizon_days=settings.agenda_horizon_days
    )


@router.delete("/templates/{template_id}")
async def delete_template(
    session: SessionDep, actor: AgendaOwner, template_id: int
) -> SlotsRemoved:
    """Its future free slots go with it; held and booked slots stay."""
    removed = await templates.delete_template(session, actor, template_id)
    return SlotsRemoved(slots_removed=removed)


@router.get("/absences")
async def list_absences(
    session: SessionDep, actor: AgendaOwner, effector_id: EffectorFilter = None
) -> list[AbsenceOut]:
    return await absences.list_absences(session, actor, effector_id)


@router.post("/absences", status_code=status.HTTP_201_CREATED)
async def create_absence(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, body: AbsenceIn
) -> AbsenceSaved:
    """The free slots of those days are removed; held and booked ones are kept and counted."""
    return await absences.create_absence(
        session, actor, body, horizon_days=settings.agenda_horizon_days
    )


@router.patch("/absences/{absence_id}")
async def update_absence(
    session: SessionDep,
    actor: AgendaOwner,
    settings: SettingsDep,
    absence_id: int,
    body: AbsencePatch,
) -> AbsenceSaved:
    return await absences.update_absence(
        session, actor, absence_id, body, horizon_days=settings.agenda_horizon_days
    )


@router.delete("/absences/{absence_id}")
async def delete_absence(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, absence_id: int
) -> SlotsRemoved:
    """The recurring availability opens its slots on those days again."""
    created = await absences.delete_absence(
        session, actor, absence_id, horizon_days=settings.agenda_horizon_days
    )
    return SlotsRemoved(slots_removed=0, slots_created=created)
