"""An effector's consultation sites, edited by the coordination: add, edit, remove.

The commune is one of the territory's (INSEE code). Without coordinates a site stands at its
commune's centre, flagged `position_approximate`, as the Annuaire Santé import places it; with
them the position is exact. A site is removed only when nothing to come depends on it (no
future slot, no active recurring availability, not the calendar subscription's site): one
without any history is deleted, one with past slots or appointments is kept inactive so that
the history keeps its place. The SAS reads sites when it searches (nothing is pushed); a
commune change moves the site's future slots in the supply figures (`SlotsChanged`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import MissingValue, SiteInUse, SiteNameTaken, SiteNotOfEffector, UnknownValue
from agenda.models import Appointment, AvailabilityTemplate, Effector, Site, Slot, SlotStatus
from agenda.schemas_sites import SiteIn, SitePatch
from agenda.schemas_supply import SiteProfile, model_dump_set
from agenda.service.directory import ensure_can_manage, load_effector
from agenda.service.supply_events import announce_commune_change, snapshot
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.territory import CommuneOut, list_communes

_POSITION_FIELDS = ("address_line", "postal_code", "insee_code")


async def _commune(session: AsyncSession, insee_code: str) -> CommuneOut:
    communes = {c.insee_code: c for c in await list_communes(session)}
    loc = ["body", "insee_code"]
    if not communes:
        raise MissingValue(
            "Le territoire n'a aucune commune : importez d'abord les communes.", loc=loc
        )
    commune = communes.get(insee_code)
    if commune is None:
        raise UnknownValue(f"La commune {insee_code} n'est pas une commune du territoire.", loc=loc)
    return commune


def _postal_code(commune: CommuneOut, postal_code: str | None) -> str:
    if postal_code is None:
        return commune.postal_code
    allowed = {commune.postal_code, *commune.postal_codes}
    if postal_code not in allowed:
        raise UnknownValue(
            f"Le code postal {postal_code} n'est pas celui de {commune.name} "
            f"({', '.join(sorted(allowed))}).",
            loc=["body", "postal_code"],
        )
    return postal_code


def _check_pair(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        missing = "longitude" if latitude is not None else "latitude"
        raise MissingValue(
            f"Indiquez aussi la {missing} (les deux coordonnées vont ensemble).",
            loc=["body", missing],
        )


def _place(
    site: Site, commune: CommuneOut, latitude: float | None, longitude: float | None
) -> None:
    if latitude is None or longitude is None:
        site.latitude, site.longitude = commune.latitude, commune.longitude
        site.position_approximate = True
    else:
        site.latitude, site.longitude = latitude, longitude
        site.position_approximate = False


def _ensure_name_free(effector: Effector, name: str, own_id: int | None = None) -> None:
    """No two current sites of one effector share a name; nor may an edit take the name of a
    removed one (adding a site of that name brings the removed one back instead)."""
    wanted = name.casefold()
    if any(s.name.casefold() == wanted and s.id != own_id for s in effector.sites):
        raise SiteNameTaken(f"Cet effecteur a déjà un lieu nommé « {name} ».", loc=["body", "name"])
    if own_id is not None and name in effector.removed_site_names():
        raise SiteNameTaken(
            f"Un lieu retiré de cet effecteur s'appelle déjà « {name} » : choisissez un autre nom.",
            loc=["body", "name"],
        )


async def _managed(session: AsyncSession, actor: Actor, effector_id: int) -> Effector:
    effector = await load_effector(session, effector_id)
    ensure_can_manage(actor, effector)
    await session.refresh(effector, ["all_sites"])
    return effector


def _site_of(effector: Effector, site_id: int) -> Site:
    for site in effector.sites:
        if site.id == site_id:
            return site
    raise SiteNotOfEffector(
        "Ce lieu de consultation n'appartient pas à cet effecteur.", loc=["path", "site_id"]
    )


async def add_site(
    session: AsyncSession, actor: Actor, effector_id: int, data: SiteIn
) -> SiteProfile:
    """Add a site to an effector (a removed site of the same name comes back, updated)."""
    effector = await _managed(session, actor, effector_id)
    _ensure_name_free(effector, data.name)
    _check_pair(data.latitude, data.longitude)
    commune = await _commune(session, data.insee_code)
    values = {
        "name": data.name,
        "address_line": data.address_line,
        "postal_code": _postal_code(commune, data.postal_code),
        "city": commune.name[:120],
        "insee_code": commune.insee_code,
        "phone": data.phone,
    }
    removed = next((s for s in effector.all_sites if not s.active and s.name == data.name), None)
    if removed is not None:  # back, with what the coordinator entered now
        site = removed
        for key, value in values.items():
            setattr(site, key, value)
        site.active = True
        _place(site, commune, data.latitude, data.longitude)
        await session.flush()
        await audit.changed(session, actor, "site", site.id, ["active", *values, "position"])
        await session.refresh(effector, ["sites", "all_sites"])
    else:
        site = Site(**values)
        _place(site, commune, data.latitude, data.longitude)
        effector.sites.append(site)
        await session.flush()
        await audit.created(session, actor, "site", site.id)
    return SiteProfile.model_validate(site)


async def update_site(
    session: AsyncSession, actor: Actor, effector_id: int, site_id: int, patch: SitePatch
) -> SiteProfile:
    """Edit a site. New coordinates make the position exact; clearing them, or moving the
    address without giving them, puts the site back at its commune's centre (approximate)."""
    effector = await _managed(session, actor, effector_id)
    site = _site_of(effector, site_id)
    sent = model_dump_set(patch)
    for name in ("name", "address_line", "insee_code"):
        if name in sent and sent[name] is None:
            raise MissingValue("Ce champ ne peut pas être vide.", loc=["body", name])
    if ("latitude" in sent) != ("longitude" in sent):
        missing = "longitude" if "latitude" in sent else "latitude"
        raise MissingValue(
            f"Indiquez aussi la {missing} (les deux coordonnées vont ensemble).",
            loc=["body", missing],
        )
    if "latitude" in sent:
        _check_pair(sent["latitude"], sent["longitude"])
    if "name" in sent:
        _ensure_name_free(effector, sent["name"], own_id=site.id)
    commune = await _commune(session, sent.get("insee_code", site.insee_code))
    if "postal_code" in sent or "insee_code" in sent:
        sent["postal_code"] = _postal_code(commune, sent.get("postal_code"))
    old_insee = site.insee_code
    changed: list[str] = []
    for name in ("name", "address_line", "insee_code", "postal_code", "phone"):
        if name in sent and getattr(site, name) != sent[name]:
            setattr(site, name, sent[name])
            changed.append(name)
    if "insee_code" in changed:
        site.city = commune.name[:120]
        changed.append("city")
    before = (site.latitude, site.longitude, site.position_approximate)
    if "latitude" in sent:
        _place(site, commune, sent["latitude"], sent["longitude"])
    elif set(_POSITION_FIELDS) & set(changed):
        _place(site, commune, None, None)
    if (site.latitude, site.longitude, site.position_approximate) != before:
        changed.append("position")
    if changed:
        await session.flush()
        await audit.changed(session, actor, "site", site.id, changed)
    if site.insee_code != old_insee:
        future = await session.scalars(
            select(Slot).where(Slot.site_id == site.id, Slot.start_at >= utcnow())
        )
        await announce_commune_change(
            session, [snapshot(s) for s in future], old_insee, site.insee_code
        )
    return SiteProfile.model_validate(site)


async def remove_site(session: AsyncSession, actor: Actor, effector_id: int, site_id: int) -> None:
    """Remove a site, refused (409) while something to come depends on it."""
    effector = await _managed(session, actor, effector_id)
    site = _site_of(effector, site_id)
    now = utcnow()
    counts = dict(
        (
            await session.execute(
                select(Slot.status, func.count())
                .where(Slot.site_id == site.id, Slot.end_at > now)
                .group_by(Slot.status)
            )
        ).all()
    )
    if counts:
        booked = int(counts.get(SlotStatus.BOOKED, 0))
        free = sum(int(n) for status, n in counts.items() if status != SlotStatus.BOOKED)
        total = booked + free
        raise SiteInUse(
            f"Ce lieu porte encore {total} créneau{'x' if total > 1 else ''} à venir "
            f"({free} libre{'s' if free > 1 else ''}, {booked} réservé{'s' if booked > 1 else ''}) "
            ": supprimez-les ou déplacez-les avant de retirer le lieu.",
            loc=["path", "site_id"],
        )
    templates = int(
        await session.scalar(
            select(func.count())
            .select_from(AvailabilityTemplate)
            .where(AvailabilityTemplate.site_id == site.id, AvailabilityTemplate.active.is_(True))
        )
        or 0
    )
    if templates:
        raise SiteInUse(
            f"Ce lieu porte encore {templates} disponibilité"
            f"{'s' if templates > 1 else ''} récurrente{'s' if templates > 1 else ''} : "
            "arrêtez-les avant de retirer le lieu.",
            loc=["path", "site_id"],
        )
    if effector.ics_subscription_site_id == site.id and effector.ics_subscription_url:
        raise SiteInUse(
            "Les créneaux du calendrier abonné de cet effecteur vont à ce lieu : "
            "choisissez-en un autre avant de le retirer.",
            loc=["path", "site_id"],
        )
    history = await session.scalar(select(Slot.id).where(Slot.site_id == site.id).limit(1))
    if history is None:
        history = await session.scalar(
            select(Appointment.id).where(Appointment.site_id == site.id).limit(1)
        )
    if history is None:
        effector.sites.remove(site)
        await session.flush()
        await audit.deleted(session, actor, "site", site_id)
    else:
        site.active = False
        await session.flush()
        await audit.changed(session, actor, "site", site_id, ["active"])
    await session.refresh(effector, ["sites", "all_sites"])
