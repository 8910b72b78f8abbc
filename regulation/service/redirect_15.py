"""A call redirected to the 15 (SAMU) recorded with only what is known.

Not a request: no identity is required (a first name or a number is enough), the red flag of
the protocol in force and the time always are; the record is closed as soon as it is written.
The normal request's rules stay as strict as they are. Written and read under the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.errors import MissingValue, UnknownValue
from regulation.events import Redirect15Recorded
from regulation.models import Redirect15
from regulation.schemas_redirect import Redirect15Create, Redirect15Out
from regulation.service.records import display_name
from regulation.service.versions import current_version
from snp import audit, events
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound

ENTITY = "redirect_15"
IDENTITY_MISSING = "Indiquez au moins le prénom, le nom ou le téléphone du patient."


def _message(row: Redirect15) -> str:
    return f"Signe d'alerte ({row.red_flag_text}) : le patient doit appeler le 15 immédiatement."


def _out(row: Redirect15) -> Redirect15Out:
    return Redirect15Out(
        id=row.id,
        given_name=row.given_name,
        family_name=row.family_name,
        birth_date=row.birth_date,
        phone=row.phone,
        red_flag_id=row.red_flag_id,
        red_flag_text=row.red_flag_text,
        priority=row.priority,
        origin=row.origin,
        note=row.note,
        recorded_at=row.recorded_at,
        recorded_by_name=row.recorded_by_name,
        message=_message(row),
    )


async def record_redirect_15(
    session: AsyncSession, actor: Actor, data: Redirect15Create, *, now: datetime | None = None
) -> Redirect15Out:
    """Record the redirect, closed at once with its red flag (current protocol) and time."""
    if data.given_name is None and data.family_name is None and data.phone is None:
        raise MissingValue(IDENTITY_MISSING, ("body", "given_name"))
    version, document = await current_version(session)
    flag = next((f for f in document.red_flags if f.id == data.red_flag_id), None)
    if flag is None:
        raise UnknownValue(
            "Signe d'alerte inconnu du protocole en vigueur.", ("body", "red_flag_id")
        )
    row = Redirect15(
        given_name=data.given_name,
        family_name=data.family_name,
        birth_date=data.birth_date,
        phone=data.phone,
        red_flag_id=flag.id,
        red_flag_text=flag.reason,
        priority=str(flag.priority),
        protocol_version=version.number,
        origin=data.origin.value,
        note=data.note,
        recorded_by_user_id=actor.user_id,
        recorded_by_name=await display_name(session, actor),
        recorded_at=now or utcnow(),
    )
    session.add(row)
    await session.flush()
    await audit.created(session, actor, ENTITY, row.id)
    await events.emit(session, Redirect15Recorded(row.id, row.priority, row.red_flag_id))
    return _out(row)


async def get_redirect_15(session: AsyncSession, actor: Actor, redirect_id: int) -> Redirect15Out:
    row = await session.get(Redirect15, redirect_id)
    if row is None:
        raise NotFound("Réorientation vers le 15 introuvable.", ("path", "redirect_id"))
    await audit.read(session, actor, ENTITY, row.id)
    return _out(row)


async def pseudonymise_redirects_15(
    session: AsyncSession, *, recorded_before: datetime, now: datetime
) -> int:
    """Retention: redirects older than the cut-off keep their red flag, origin and time and
    lose every identity field and the note. Returns how many."""
    ids = list(
        (
            await session.execute(
                select(Redirect15.id).where(
                    Redirect15.recorded_at < recorded_before,
                    Redirect15.pseudonymised_at.is_(None),
                )
            )
        ).scalars()
    )
    if not ids:
        return 0
    await session.execute(
        update(Redirect15)
        .where(Redirect15.id.in_(ids))
        .values(
            family_name=None,
            given_name=None,
            phone=None,
            note=None,
            birth_date=None,
            pseudonymised_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return len(ids)
