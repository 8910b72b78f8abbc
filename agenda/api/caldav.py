"""CalDAV: connect the calendar an effector keeps, synchronise it on demand, disconnect it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.api.owners import AgendaOwner
from agenda.models import CaldavBusy, CaldavLink
from agenda.schemas_supply import (
    CaldavBusyOut,
    CaldavConflictOut,
    CaldavConnectIn,
    CaldavLinkOut,
    CaldavSyncOut,
)
from agenda.service import caldav_sync
from agenda.service.directory import managed_effector
from snp.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/api/agenda/caldav", tags=["agenda"])

EffectorQuery = Annotated[int | None, Query()]


def _report(report: caldav_sync.SyncReport | None) -> CaldavSyncOut | None:
    if report is None:
        return None
    return CaldavSyncOut(
        busy=report.busy,
        withdrawn=report.withdrawn,
        written=report.written,
        removed=report.removed,
        conflicts=[
            CaldavConflictOut(appointment_id=c.appointment_id, start_at=c.start_at, end_at=c.end_at)
            for c in report.conflicts
        ],
    )


async def _out(
    session: AsyncSession, link: CaldavLink, report: caldav_sync.SyncReport | None = None
) -> CaldavLinkOut:
    busy = await session.scalars(
        select(CaldavBusy)
        .where(CaldavBusy.effector_id == link.effector_id)
        .order_by(CaldavBusy.start_at)
        .limit(500)
    )
    return CaldavLinkOut(
        connected=True,
        url=link.url,
        username=link.username,
        write_bookings=link.write_bookings,
        last_synced_at=link.last_synced_at,
        last_error=link.last_error,
        busy=[CaldavBusyOut(start_at=b.start_at, end_at=b.end_at) for b in busy],
        report=_report(report),
    )


@router.get("")
async def get_caldav(
    session: SessionDep, actor: AgendaOwner, effector_id: EffectorQuery = None
) -> CaldavLinkOut:
    """The connected calendar (never its password) and the busy times last read from it."""
    effector = await managed_effector(session, actor, effector_id, loc=("query", "effector_id"))
    link = await caldav_sync.link_of(session, effector.id)
    return CaldavLinkOut(connected=False) if link is None else await _out(session, link)


@router.put("")
async def connect_caldav(
    session: SessionDep, actor: AgendaOwner, settings: SettingsDep, body: CaldavConnectIn
) -> CaldavLinkOut:
    """Connect (or replace) the calendar: it is read at once; refused credentials or an
    unreachable server give a 422 on `url` and nothing is stored."""
    link, report = await caldav_sync.connect(
        session,
        actor,
        url=body.url,
        username=body.username,
        password=body.password,
        write_bookings=body.write_bookings,
        options=caldav_sync.CaldavOptions.from_settings(settings),
        effector_id=body.effector_id,
    )
    return await _out(session, link, report)


@router.post("/sync")
async def sync_caldav(
    session: SessionDep,
    actor: AgendaOwner,
    settings: SettingsDep,
    effector_id: EffectorQuery = None,
) -> CaldavLinkOut:
    """Synchronise now; when the server cannot be used, `last_error` says why in French and the
    slots stay as they were."""
    link, report = await caldav_sync.sync_now(
        session,
        actor,
        options=caldav_sync.CaldavOptions.from_settings(settings),
        effector_id=effector_id,
    )
    return await _out(session, link, report)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def disconnect_caldav(
    session: SessionDep,
    actor: AgendaOwner,
    settings: SettingsDep,
    effector_id: EffectorQuery = None,
) -> Response:
    """Forget the calendar, its password and its busy times (the slots stay as they are); the
    appointments written to it are removed from it first when the server answers."""
    await caldav_sync.disconnect(
        session, actor, effector_id, options=caldav_sync.CaldavOptions.from_settings(settings)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
