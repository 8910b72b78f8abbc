"""The reads and searches the guide's server requirements (`SAS-gestionnaireagendaCPTS`) add
to the slot search: `Slot/<id>`, `Schedule/<id>` and `Schedule?actor=`, `Practitioner/<id>`
and `Practitioner?identifier=`. They answer exactly what the search would have included: a
Slot is readable while it is free and shared with the SAS; a Schedule is `<effector>-<site>`;
a Practitioner is an effector (`Practitioner/<n>`, FrPractitionerAgregateur) or a regulator
account (`Practitioner/regul-<n>`, FrPractitionerRegul). An unknown id is a 404."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from sas import practitioners
from sas.fhir import IDNPS_SYSTEM, SAS_SYSTEM, Malformed, UnknownResource
from sas.query import parse_practitioner_token
from sas.search import (
    BundleContext,
    cpts_expressible,
    practitioner_resource,
    schedule_resource,
    searchset,
    slot_resource,
)
from snp.actor import Actor
from snp.errors import NotFound


async def read_slot(session: AsyncSession, slot_id: str, context: BundleContext) -> dict[str, Any]:
    if not slot_id.isdigit() or len(slot_id) > 18:
        raise UnknownResource(f"Créneau introuvable : Slot/{slot_id}.")
    supply = await agenda.sas_slot(session, int(slot_id))
    if not supply.slots:
        raise UnknownResource(f"Créneau introuvable ou plus disponible : Slot/{slot_id}.")
    slot = supply.slots[0]
    with_cpts = await cpts_expressible(session)
    if not with_cpts and not (slot.vis_snp or slot.vis_pro or slot.vis_public):
        raise UnknownResource(f"Créneau introuvable ou plus disponible : Slot/{slot_id}.")
    return slot_resource(slot, supply.effectors[slot.effector_id], context, with_cpts)


async def _schedules_of(session: AsyncSession, effector_id: int) -> list[dict[str, Any]]:
    return [
        schedule_resource(effector_id, site.id)
        for site in await agenda.sas_sites(session, effector_id)
    ]


async def read_schedule(session: AsyncSession, schedule_id: str) -> dict[str, Any]:
    effector, sep, site = schedule_id.partition("-")
    if sep and effector.isdigit() and site.isdigit() and len(schedule_id) <= 40:
        for schedule in await _schedules_of(session, int(effector)):
            if schedule["id"] == schedule_id:
                return schedule
    raise UnknownResource(f"Agenda introuvable : Schedule/{schedule_id}.")


async def search_schedules(
    session: AsyncSession, actor_ref: str | None, context: BundleContext
) -> dict[str, Any]:
    """`Schedule?actor=Practitioner/<n>` or `actor=PractitionerRole/<n>-<site>`."""
    if not actor_ref:
        raise Malformed("Paramètre actor obligatoire (ex. Practitioner/12).", ("query", "actor"))
    kind, _, ident = actor_ref.rpartition("/")
    kind = kind.rsplit("/", 1)[-1]  # an absolute reference ends the same way
    found: list[dict[str, Any]] = []
    if kind == "Practitioner" and ident.isdigit() and len(ident) <= 18:
        found = await _schedules_of(session, int(ident))
    elif kind == "PractitionerRole":
        try:
            found = [await read_schedule(session, ident)]
        except UnknownResource:
            found = []
    elif kind != "Practitioner":
        raise Malformed(
            "actor doit désigner un Practitioner ou un PractitionerRole.", ("query", "actor")
        )
    return searchset(context, found)


async def read_practitioner(
    session: AsyncSession, actor: Actor, practitioner_id: str
) -> dict[str, Any]:
    if practitioner_id.isdigit() and len(practitioner_id) <= 18:
        try:
            return practitioner_resource(await agenda.sas_effector(session, int(practitioner_id)))
        except NotFound:
            pass
    else:
        found = await practitioners.read_practitioner(session, actor, practitioner_id)
        if found is not None:
            return found
    raise UnknownResource(f"Praticien introuvable : Practitioner/{practitioner_id}.")


async def search_practitioners(
    session: AsyncSession, actor: Actor, identifier: str | None, context: BundleContext
) -> dict[str, Any]:
    """`Practitioner?identifier=system|value`: effectors by RPPS/ADELI (prefixed or not) and
    regulator accounts by the id received from the platform."""
    if not identifier:
        raise Malformed("Paramètre identifier obligatoire (system|value).", ("query", "identifier"))
    found: list[dict[str, Any]] = []
    national = parse_practitioner_token(identifier)
    if national is not None:
        effectors = await agenda.sas_effectors_by_national_id(session, [national])
        found.extend(practitioner_resource(e) for e in effectors)
    system, sep, value = identifier.rpartition("|")
    kind = "technical" if system == SAS_SYSTEM else "national"
    if value.strip() and (not sep or system in (SAS_SYSTEM, IDNPS_SYSTEM)):
        found.extend(await practitioners.find_regulators(session, actor, kind, value.strip()))
    return searchset(context, found)
