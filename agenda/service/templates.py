"""Weekly availability templates: create, edit, delete, list (the rules live in `recurrence`).

Every change is applied to the agenda at once: a new template opens its slots over the horizon;
an edited or deleted one loses its future FREE slots (then is materialised again). Held and
booked slots are never touched.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import InvalidPeriod, MissingValue
from agenda.models import AvailabilityTemplate
from agenda.schemas_supply import (
    TemplateIn,
    TemplateOut,
    TemplatePatch,
    TemplateSaved,
    TimeRange,
    minutes_between,
)
from agenda.service.directory import managed_effector, pick_site
from agenda.service.recurrence import (
    format_ranges,
    materialise,
    parse_ranges,
    remove_future_free_slots,
    template_kinds,
    template_visibility,
)
from agenda.service.slots import kind_values, visibility_values
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.kit import PARIS


def template_out(template: AvailabilityTemplate) -> TemplateOut:
    return TemplateOut(
        id=template.id,
        effector_id=template.effector_id,
        site_id=template.site_id,
        weekdays=template.weekdays,
        start_time=template.start_time,
        end_time=template.end_time,
        slot_minutes=template.slot_minutes,
        valid_from=template.valid_from,
        valid_until=template.valid_until,
        kinds=template_kinds(template),
        visibility=template_visibility(template),
        shared_with_sas=template.shared_with_sas,
        include_public_holidays=template.include_public_holidays,
        active=template.active,
        more_ranges=[
            TimeRange(start_time=a, end_time=b) for a, b in parse_ranges(template.more_ranges)
        ],
        every_weeks=template.every_weeks or 1,
    )


def _saved(template: AvailabilityTemplate, removed: int, created: int) -> TemplateSaved:
    return TemplateSaved(
        **template_out(template).model_dump(), slots_removed=removed, slots_created=created
    )


async def _managed_template(
    session: AsyncSession, actor: Actor, template_id: int
) -> AvailabilityTemplate:
    template = await session.get(AvailabilityTemplate, template_id)
    if template is None:
        raise NotFound("Disponibilité récurrente introuvable.", loc=["path", "template_id"])
    await managed_effector(session, actor, template.effector_id)
    return template


async def list_templates(
    session: AsyncSession, actor: Actor, effector_id: int | None = None
) -> list[TemplateOut]:
    effector = await managed_effector(session, actor, effector_id, ("query", "effector_id"))
    rows = await session.scalars(
        select(AvailabilityTemplate)
        .where(AvailabilityTemplate.effector_id == effector.id)
        .order_by(AvailabilityTemplate.valid_from, AvailabilityTemplate.id)
    )
    return [template_out(t) for t in rows]


async def get_template(session: AsyncSession, actor: Actor, template_id: int) -> TemplateOut:
    return template_out(await _managed_template(session, actor, template_id))


async def create_template(
    session: AsyncSession,
    actor: Actor,
    data: TemplateIn,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> TemplateSaved:
    """Create a weekly availability and open its slots over the horizon at once."""
    now = now or utcnow()
    effector = await managed_effector(session, actor, data.effector_id)
    pick_site(effector, site_id=data.site_id)
    template = AvailabilityTemplate(
        effector_id=effector.id,
        site_id=data.site_id,
        weekdays=data.weekdays,
        start_time=data.start_time,
        end_time=data.end_time,
        slot_minutes=data.slot_minutes,
        valid_from=data.valid_from or now.astimezone(PARIS).date(),
        valid_until=data.valid_until,
        include_public_holidays=data.include_public_holidays,
        shared_with_sas=data.shared_with_sas,
        more_ranges=format_ranges((r.start_time, r.end_time) for r in data.more_ranges),
        every_weeks=data.every_weeks,
        active=True,
        **kind_values(data.kinds),
        **visibility_values(data.visibility),
    )
    _check_rule(template)
    session.add(template)
    await session.flush()
    await audit.created(session, actor, "availability_template", template.id)
    created = await materialise(session, [template], horizon_days=horizon_days, now=now)
    return _saved(template, 0, created)


async def update_template(
    session: AsyncSession,
    actor: Actor,
    template_id: int,
    patch: TemplatePatch,
    *,
    horizon_days: int,
    now: datetime | None = None,
) -> TemplateSaved:
    """Change a template: its future free slots are replaced; held and booked ones stay."""
    now = now or utcnow()
    template = await _managed_template(session, actor, template_id)
    sent = {name: getattr(patch, name) for name in patch.model_fields_set}
    if "more_ranges" in sent and sent["more_ranges"] is None:
        sent["more_ranges"] = []
    for name in sorted(sent.keys() - {"valid_until"}):
        if sent[name] is None:
            raise MissingValue("Ce champ ne peut pas être vide.", loc=["body", name])
    if "site_id" in sent:
        effector = await managed_effector(session, actor, template.effector_id)
        pick_site(effector, site_id=sent["site_id"])
    values: dict[str, object] = {
        k: v for k, v in sent.items() if k not in ("kinds", "visibility", "more_ranges")
    }
    if "more_ranges" in sent:
        values["more_ranges"] = format_ranges(
            (r.start_time, r.end_time) for r in sent["more_ranges"]
        )
    if "kinds" in sent:
        values.update(kind_values(sent["kinds"]))
    if "visibility" in sent:
        values.update(visibility_values(sent["visibility"]))
    changed = [k for k, v in values.items() if getattr(template, k) != v]
    for key in changed:
        setattr(template, key, values[key])
    _check_rule(template)
    if not changed:
        return _saved(template, 0, 0)
    await session.flush()
    await audit.changed(session, actor, "availability_template", template.id, changed)
    removed = await remove_future_free_slots(session, template.id, now=now)
    created = await materialise(session, [template], horizon_days=horizon_days, now=now)
    return _saved(template, removed, created)


async def delete_template(
    session: AsyncSession, actor: Actor, template_id: int, *, now: datetime | None = None
) -> int:
    """Delete a template and its future free slots; returns how many slots were removed.
    Held and booked slots stay (they simply lose their link to the template)."""
    template = await _managed_template(session, actor, template_id)
    removed = await remove_future_free_slots(session, template.id, now=now)
    await session.delete(template)
    await session.flush()
    await audit.deleted(session, actor, "availability_template", template_id)
    return removed


def _check_rule(template: AvailabilityTemplate) -> None:
    """Cross-field rules, checked on the merged values (a PATCH may send one field only)."""
    if template.end_time <= template.start_time:
        raise InvalidPeriod(
            "L'heure de fin doit être après l'heure de début.", loc=["body", "end_time"]
        )
    if template.slot_minutes > minutes_between(template.start_time, template.end_time):
        raise InvalidPeriod(
            "La durée d'un créneau dépasse la plage horaire.", loc=["body", "slot_minutes"]
        )
    ranges = [(template.start_time, template.end_time)]
    for n, (start, end) in enumerate(parse_ranges(template.more_ranges)):
        loc: list[str | int] = ["body", "more_ranges", n, "end_time"]
        if end <= start:
            raise InvalidPeriod("L'heure de fin doit être après l'heure de début.", loc=loc)
        if template.slot_minutes > minutes_between(start, end):
            raise InvalidPeriod("La durée d'un créneau dépasse cette plage horaire.", loc=loc)
        if any(start < b and end > a for a, b in ranges):
            raise InvalidPeriod(
                "Cette plage chevauche une autre plage de la disponibilité.", loc=loc
            )
        ranges.append((start, end))
    if template.valid_until is not None and template.valid_until < template.valid_from:
        raise InvalidPeriod(
            "La date de fin de validité doit suivre la date de début.",
            loc=["body", "valid_until"],
        )
