"""Directory of effectors and their sites: profiles, edits, and who may manage whose agenda.

An effector manages their own agenda (the account linked through `Effector.user_id`); the
coordination manages everyone's; the system (CLI, jobs) acts without a role.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from agenda.errors import MissingValue, SiteNotChosen, SiteNotOfEffector
from agenda.models import Effector, Site
from agenda.schemas import EffectorOut, EffectorPage
from agenda.schemas_supply import (
    EffectorIcsOut,
    EffectorPatch,
    EffectorProfile,
    SiteProfile,
    model_dump_set,
)
from snp import audit
from snp.actor import Actor
from snp.auth import Role
from snp.errors import Forbidden, NotFound
from snp.identifiers import parse_mobile_phone, parse_phone, parse_rpps
from snp.kit import PageParams, count_rows

FEED_PATH = "/api/agenda/ics/feed/{token}.ics"
NOT_LINKED = "Votre compte n'est rattaché à aucun effecteur de l'annuaire."
# What an effector may change on their own profile; everything else is the coordination's.
SELF_SERVICE_FIELDS = frozenset(
    {
        "min_patient_age_months",
        "home_visits",
        "home_visit_radius_km",
        "teleconsultation",
        "ics_subscription_url",
        "ics_subscription_site_id",
    }
)
_NOT_NULL_FIELDS = frozenset(
    {
        "family_name",
        "given_name",
        "specialty_code",
        "phone",
        "active",
        "home_visits",
        "teleconsultation",
    }
)


@dataclass(frozen=True, slots=True)
class SiteData:
    name: str
    address_line: str
    postal_code: str
    city: str
    insee_code: str
    latitude: float
    longitude: float
    structure_id: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class EffectorData:
    rpps: str
    family_name: str
    given_name: str
    phone: str
    email: str | None = None
    specialty_code: str = "SM54"
    specialty_text: str | None = "Médecine générale"
    home_visits: bool = False
    home_visit_radius_km: float | None = None
    teleconsultation: bool = False
    min_patient_age_months: int | None = None
    user_id: int | None = None
    sites: list[SiteData] = field(default_factory=list)


async def upsert_effector(session: AsyncSession, data: EffectorData) -> Effector:
    """Create or update an effector by RPPS, and its sites by name (idempotent)."""
    rpps = parse_rpps(data.rpps)
    effector = await session.scalar(
        select(Effector)
        .options(selectinload(Effector.sites), selectinload(Effector.all_sites))
        .where(Effector.national_id == rpps)
    )
    values = {
        "family_name": data.family_name,
        "given_name": data.given_name,
        "phone": parse_mobile_phone(data.phone),
        "email": data.email,
        "specialty_code": data.specialty_code,
        "specialty_text": data.specialty_text,
        "home_visits": data.home_visits,
        "home_visit_radius_km": data.home_visit_radius_km,
        "teleconsultation": data.teleconsultation,
        "min_patient_age_months": data.min_patient_age_months,
        "user_id": data.user_id,
    }
    if effector is None:
        effector = Effector(national_id=rpps, national_id_kind="RPPS", sites=[], **values)
        session.add(effector)
    else:
        for key, value in values.items():
            if getattr(effector, key) != value:
                setattr(effector, key, value)
    by_name = {s.name: s for s in effector.sites}
    removed = effector.removed_site_names() if effector.id is not None else frozenset()
    for site_data in data.sites:
        if site_data.name in removed:  # removed by the coordination: stays removed
            continue
        site_values = asdict(site_data)
        if site_values["phone"]:
            site_values["phone"] = parse_phone(str(site_values["phone"]))
        site = by_name.get(site_data.name)
        if site is None:
            effector.sites.append(Site(**site_values))
        else:
            for key, value in site_values.items():
                if getattr(site, key) != value:
                    setattr(site, key, value)
    await session.flush()
    return effector


async def list_effectors(
    session: AsyncSession, *, q: str | None = None, page: PageParams = PageParams()
) -> EffectorPage:
    query = select(Effector)
    if q:
        pattern = f"%{q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Effector.family_name).like(pattern),
                func.lower(Effector.given_name).like(pattern),
                Effector.national_id.like(pattern),
            )
        )
    total = await count_rows(session, query)
    rows = await session.scalars(
        page.apply(
            query.options(selectinload(Effector.sites)).order_by(
                Effector.family_name, Effector.given_name, Effector.id
            )
        )
    )
    return EffectorPage(items=[EffectorOut.model_validate(e) for e in rows], total=total)


async def count_effectors(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Effector)) or 0)


# --- Who may manage whose agenda ---------------------------------------------------------------


def feed_path(token: str) -> str:
    return FEED_PATH.format(token=token)


async def effector_of_user(session: AsyncSession, user_id: int | None) -> Effector | None:
    if user_id is None:
        return None
    return await session.scalar(
        select(Effector).options(selectinload(Effector.sites)).where(Effector.user_id == user_id)
    )


async def load_effector(session: AsyncSession, effector_id: int) -> Effector:
    effector = await session.scalar(
        select(Effector).options(selectinload(Effector.sites)).where(Effector.id == effector_id)
    )
    if effector is None:
        raise NotFound("Effecteur introuvable.", loc=["path", "effector_id"])
    return effector


async def get_effector(session: AsyncSession, effector_id: int) -> EffectorOut:
    """An effector and their sites, for the other packages (404 when unknown)."""
    return EffectorOut.model_validate(await load_effector(session, effector_id))


def can_manage(actor: Actor, effector: Effector) -> bool:
    """The coordination and the system manage any agenda; an effector only their own."""
    if actor.role is None or actor.role == Role.COORDINATOR:
        return True
    return (
        actor.role == Role.EFFECTOR
        and actor.user_id is not None
        and effector.user_id == actor.user_id
    )


def ensure_can_manage(actor: Actor, effector: Effector) -> None:
    if not can_manage(actor, effector):
        raise Forbidden("Vous ne pouvez gérer que votre propre agenda.")


async def managed_effector(
    session: AsyncSession,
    actor: Actor,
    effector_id: int | None,
    loc: tuple[str, ...] = ("body", "effector_id"),
) -> Effector:
    """The effector `actor` acts for: the one given (if allowed), else the actor's own."""
    if effector_id is None:
        own = await effector_of_user(session, actor.user_id)
        if own is None and actor.role == Role.EFFECTOR:
            raise NotFound(NOT_LINKED)
        if own is None:
            raise MissingValue("Précisez l'effecteur concerné.", loc=loc)
        return own
    effector = await load_effector(session, effector_id)
    ensure_can_manage(actor, effector)
    return effector


def pick_site(
    effector: Effector, *, site_id: int | None = None, site_name: str | None = None
) -> Site:
    """The effector's site by id or name; optional when they consult in one place only."""
    if site_id is not None:
        for site in effector.sites:
            if site.id == site_id:
                return site
        raise SiteNotOfEffector(
            "Ce lieu de consultation n'appartient pas à cet effecteur.", loc=["body", "site_id"]
        )
    names = ", ".join(s.name for s in effector.sites)
    if site_name is not None:
        wanted = site_name.strip().casefold()
        for site in effector.sites:
            if site.name.casefold() == wanted:
                return site
        raise SiteNotChosen(
            f"Lieu « {site_name} » inconnu pour cet effecteur (lieux : {names or 'aucun'}).",
            loc=["body", "site"],
        )
    if not effector.sites:
        raise SiteNotChosen(
            "Cet effecteur n'a aucun lieu de consultation dans l'annuaire.", loc=["body", "site"]
        )
    if len(effector.sites) > 1:
        raise SiteNotChosen(
            f"Cet effecteur consulte dans plusieurs lieux : précisez lequel ({names}).",
            loc=["body", "site"],
        )
    return effector.sites[0]


# --- Profiles ----------------------------------------------------------------------------------


def profile(effector: Effector, *, with_calendars: bool) -> EffectorProfile:
    ics = None
    if with_calendars:
        ics = EffectorIcsOut(
            subscription_url=effector.ics_subscription_url,
            subscription_site_id=effector.ics_subscription_site_id,
            last_fetched_at=effector.ics_last_fetched_at,
            last_error=effector.ics_last_error,
            feed_path=feed_path(effector.ics_feed_token) if effector.ics_feed_token else None,
        )
    return EffectorProfile(
        id=effector.id,
        rpps=effector.national_id,
        national_id_kind=effector.national_id_kind,
        family_name=effector.family_name,
        given_name=effector.given_name,
        profession=effector.profession,
        specialty_code=effector.specialty_code,
        specialty_text=effector.specialty_text,
        phone=effector.phone,
        email=effector.email,
        active=effector.active,
        min_patient_age_months=effector.min_patient_age_months,
        home_visits=effector.home_visits,
        home_visit_radius_km=effector.home_visit_radius_km,
        teleconsultation=effector.teleconsultation,
        has_account=effector.user_id is not None,
        sites=[SiteProfile.model_validate(s) for s in effector.sites],
        ics=ics,
    )


async def get_effector_profile(
    session: AsyncSession, actor: Actor, effector_id: int
) -> EffectorProfile:
    """The full profile; an effector sees only their own. Traced in the audit trail."""
    effector = await load_effector(session, effector_id)
    if actor.role == Role.EFFECTOR:
        ensure_can_manage(actor, effector)
    await audit.read(session, actor, "effector", effector.id)
    return profile(effector, with_calendars=can_manage(actor, effector))


async def get_my_profile(session: AsyncSession, actor: Actor) -> EffectorProfile:
    effector = await effector_of_user(session, actor.user_id)
    if effector is None:
        raise NotFound(NOT_LINKED)
    await audit.read(session, actor, "effector", effector.id)
    return profile(effector, with_calendars=True)


async def update_effector(
    session: AsyncSession, actor: Actor, effector_id: int, patch: EffectorPatch
) -> EffectorProfile:
    """Edit a profile (coordination: any field; the effector: constraints and ICS subscription).

    `active=false` deactivates the effector. Changing the subscribed calendar makes the next
    refresh fetch it at once. Audited with the names of the changed fields.
    """
    effector = await load_effector(session, effector_id)
    ensure_can_manage(actor, effector)
    sent = model_dump_set(patch)
    reserved = sorted(sent.keys() - SELF_SERVICE_FIELDS)
    if actor.role == Role.EFFECTOR and reserved:
        raise Forbidden("Seule la coordination peut modifier ce champ.", loc=["body", reserved[0]])
    for name in sorted(sent.keys() & _NOT_NULL_FIELDS):
        if sent[name] is None:
            raise MissingValue("Ce champ ne peut pas être vide.", loc=["body", name])
    _check_constraints(effector, sent)
    if "ics_subscription_url" in sent or "ics_subscription_site_id" in sent:
        _check_subscription(effector, sent)
    changed: list[str] = []
    for name, value in sent.items():
        if getattr(effector, name) != value:
            setattr(effector, name, value)
            changed.append(name)
    if "ics_subscription_url" in changed or "ics_subscription_site_id" in changed:
        effector.ics_last_fetched_at = None
        effector.ics_last_error = None
    if changed:
        await session.flush()
        await audit.changed(session, actor, "effector", effector.id, changed)
    return profile(effector, with_calendars=True)


def _check_constraints(effector: Effector, sent: dict[str, Any]) -> None:
    home_visits = sent.get("home_visits", effector.home_visits)
    radius = sent.get("home_visit_radius_km", effector.home_visit_radius_km)
    if home_visits and radius is None:
        raise MissingValue(
            "Indiquez le rayon des visites à domicile (en km).",
            loc=["body", "home_visit_radius_km"],
        )


def _check_subscription(effector: Effector, sent: dict[str, Any]) -> None:
    """The subscribed calendar's slots go to one site: the one given, or the only one."""
    url = sent.get("ics_subscription_url", effector.ics_subscription_url)
    site_id = sent.get("ics_subscription_site_id", effector.ics_subscription_site_id)
    loc = ["body", "ics_subscription_site_id"]
    if url is None:
        sent["ics_subscription_site_id"] = None
        return
    if site_id is None:
        if len(effector.sites) != 1:
            names = ", ".join(s.name for s in effector.sites) or "aucun lieu dans l'annuaire"
            raise SiteNotChosen(
                f"Précisez le lieu des créneaux de ce calendrier ({names}).", loc=loc
            )
        site_id = effector.sites[0].id
    elif site_id not in {s.id for s in effector.sites}:
        raise SiteNotOfEffector(
            "Ce lieu de consultation n'appartient pas à cet effecteur.", loc=loc
        )
    sent["ics_subscription_site_id"] = site_id
