"""Rules shared by every way of writing slots (calendar, templates, ICS, booking): the codes
of kinds and visibilities, aware UTC times, the effector's write lock, overlap wording and who
manages whose agenda. Other modules import these from here (or, for the historical names,
from `agenda.service.slots`, which re-exports them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import (
    InvalidPeriod,
    MissingTimezone,
    MissingValue,
    SiteNotOfEffector,
    UnknownValue,
)
from agenda.models import Effector, Site, Slot, SlotStatus
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.errors import Forbidden, NotFound
from snp.kit import PARIS

# Consultation kinds (SAS serviceType codes) and visibilities (SAS TRE_R314), with their columns.
KIND_COLUMNS: dict[str, str] = {"AMB": "kind_amb", "HH": "kind_hh", "VR": "kind_vr"}
VISIBILITY_COLUMNS: dict[str, str] = {
    "SNP": "vis_snp",
    "CPTS": "vis_cpts",
    "PRO": "vis_pro",
    "PUBLIC": "vis_public",
}
DEFAULT_KINDS: frozenset[str] = frozenset({"AMB"})
DEFAULT_VISIBILITY: frozenset[str] = frozenset({"SNP", "CPTS"})
MAX_WINDOW = timedelta(days=93)  # longest calendar window one request may list


def kind_values(kinds: Iterable[str]) -> dict[str, bool]:
    """Column values for a set of kinds; raises a French 422 on an empty or unknown set."""
    chosen = set(kinds)
    unknown = chosen - KIND_COLUMNS.keys()
    if unknown:
        raise UnknownValue(
            f"Type de consultation inconnu : {', '.join(sorted(unknown))} "
            "(valeurs possibles : AMB, HH, VR).",
            loc=["body", "kinds"],
        )
    if not chosen:
        raise MissingValue("Au moins un type de consultation.", loc=["body", "kinds"])
    return {column: code in chosen for code, column in KIND_COLUMNS.items()}


def visibility_values(visibility: Iterable[str]) -> dict[str, bool]:
    chosen = set(visibility)
    unknown = chosen - VISIBILITY_COLUMNS.keys()
    if unknown:
        raise UnknownValue(
            f"Visibilité inconnue : {', '.join(sorted(unknown))} "
            "(valeurs possibles : SNP, CPTS, PRO, PUBLIC).",
            loc=["body", "visibility"],
        )
    if not chosen:
        raise MissingValue("Au moins une visibilité.", loc=["body", "visibility"])
    return {column: code in chosen for code, column in VISIBILITY_COLUMNS.items()}


def slot_kinds(slot: Slot) -> list[str]:
    return [code for code, column in KIND_COLUMNS.items() if getattr(slot, column)]


def slot_source(source_key: str | None) -> str:
    """Where a slot comes from, by its source key: `manual`, `template` (a weekly recurring
    availability, key `tpl:<template id>:<start>`, or the changed hours of one date, key
    `ovr:<override id>:<start>`), `ics` (an imported calendar) or `other`."""
    key = source_key or ""
    if not key or key.startswith("manual"):
        return "manual"
    prefix = key.split(":", 1)[0]
    return {"tpl": "template", "ovr": "template", "ics": "ics"}.get(prefix, "other")


def slot_visibility(slot: Slot) -> list[str]:
    return [code for code, column in VISIBILITY_COLUMNS.items() if getattr(slot, column)]


def as_utc(value: datetime, name: str, where: str = "body") -> datetime:
    """A timezone-aware datetime converted to UTC; a naive one is refused in French."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise MissingTimezone(
            "Fuseau horaire obligatoire (par exemple 2026-11-24T14:00:00+01:00).",
            loc=[where, name],
        )
    return value.astimezone(UTC)


def check_times(start_at: datetime, end_at: datetime) -> tuple[datetime, datetime]:
    start = as_utc(start_at, "start_at")
    end = as_utc(end_at, "end_at")
    if end <= start:
        raise InvalidPeriod("La fin doit être après le début.", loc=["body", "end_at"])
    return start, end


async def lock_effector(session: AsyncSession, effector_id: int) -> None:
    """Take the effector's write lock for the rest of the transaction (first write of it).

    PostgreSQL locks the effector's row; SQLite takes its database write lock. Any later check
    (overlaps) is then safe from a concurrent writer for the same effector.
    """
    result = await session.execute(
        update(Effector)
        .where(Effector.id == effector_id)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise NotFound("Effecteur introuvable.", loc=["path", "effector_id"])


async def check_site(session: AsyncSession, effector_id: int, site_id: int) -> Site:
    site = await session.get(Site, site_id)
    if site is None or site.effector_id != effector_id:
        raise SiteNotOfEffector(
            "Ce lieu de consultation n'appartient pas à cet effecteur.", loc=["body", "site_id"]
        )
    return site


_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def describe(start_at: datetime, end_at: datetime) -> str:
    """French wording of a slot in Europe/Paris time: `mardi 24/11 14:00–14:20`."""
    start, end = start_at.astimezone(PARIS), end_at.astimezone(PARIS)
    return f"{_WEEKDAYS[start.weekday()]} {start:%d/%m %H:%M}–{end:%H:%M}"


async def effector_of_user(session: AsyncSession, user_id: int | None) -> Effector | None:
    """The effector record linked to a user account, if any."""
    if user_id is None:
        return None
    return await session.scalar(select(Effector).where(Effector.user_id == user_id))


async def check_manages(session: AsyncSession, actor: Actor, effector_id: int) -> None:
    """Coordinators (and the system: CLI, jobs) manage every agenda; an effector only theirs."""
    if actor.role is None or actor.has(Role.COORDINATOR):
        return
    if actor.has(Role.EFFECTOR) and actor.user_id is not None:
        owner = await session.scalar(select(Effector.user_id).where(Effector.id == effector_id))
        if owner == actor.user_id:
            return
    raise Forbidden("Vous ne pouvez gérer que vos propres créneaux.")


async def check_reads(session: AsyncSession, actor: Actor, effector_id: int) -> None:
    """Operators and regulators see every agenda; an effector only theirs."""
    if actor.has(Role.OPERATOR, Role.REGULATOR):
        return
    await check_manages(session, actor, effector_id)


def effective_status(slot: Slot, now: datetime) -> str:
    """A hold that has run out counts as free, before the cleanup job even passes."""
    if slot.status == SlotStatus.HELD and (
        slot.hold_expires_at is None or slot.hold_expires_at <= now
    ):
        return SlotStatus.FREE.value
    return slot.status
