"""ICS: import availability (upload), and the secret feed of booked appointments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request, Response, UploadFile, status

from agenda.api.directory import read_upload
from agenda.schemas_supply import FeedTokenIn, FeedTokenOut, IcsImportReport
from agenda.service import ics
from agenda.service import ics_feed as feeds
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, client_ip, public, require_roles

router = APIRouter(prefix="/api/agenda/ics", tags=["agenda"])

AgendaOwner = Annotated[Actor, Depends(require_roles(Role.EFFECTOR, Role.COORDINATOR))]


@router.post("/import")
async def import_ics(
    session: SessionDep,
    actor: AgendaOwner,
    settings: SettingsDep,
    file: UploadFile,
    effector_id: Annotated[int | None, Form()] = None,
    site_id: Annotated[int | None, Form()] = None,
) -> IcsImportReport:
    """Events marked SNP (summary or categories) become free slots; importing the same calendar
    again changes nothing, and free slots gone from it are removed. `site_id` is optional when
    the effector consults in one place only."""
    options = ics.IcsOptions.from_settings(settings)
    data = await read_upload(file, options.max_bytes)
    return await ics.import_ics_upload(
        session, actor, data, options=options, effector_id=effector_id, site_id=site_id
    )


@router.post("/feed-token")
async def create_feed_token(
    session: SessionDep, actor: AgendaOwner, request: Request, body: FeedTokenIn | None = None
) -> FeedTokenOut:
    """Create or regenerate the secret address of the booked-appointments feed (the old one
    stops working)."""
    path = await feeds.regenerate_feed_token(session, actor, body.effector_id if body else None)
    return FeedTokenOut(url=str(request.base_url).rstrip("/") + path, path=path)


@router.delete("/feed-token", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_feed_token(
    session: SessionDep,
    actor: AgendaOwner,
    effector_id: Annotated[int | None, Query()] = None,
) -> Response:
    """Revoke the feed's address without creating a new one."""
    await feeds.revoke_feed_token(session, actor, effector_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/feed/{token}.ics",
    dependencies=[Depends(public)],
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "Calendrier ICS."}},
)
async def ics_feed(session: SessionDep, request: Request, token: str) -> Response:
    """Public by design: the secret token in the address is the credential (calendar apps
    cannot log in). Booked SNP appointments, minimal patient information, Europe/Paris."""
    content = await feeds.appointments_feed(session, token, ip=client_ip(request))
    return Response(
        content,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="rendez-vous-snp.ics"'},
    )
