"""ICS: import availability (upload), and the secret feed of booked appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Annotated, Literal, TypedDict

from fastapi import APIRouter, Depends, Form, Query, Request, Response, UploadFile, status

from agenda.api.directory import read_upload
from agenda.api.owners import AgendaOwner
from agenda.errors import InvalidPeriod
from agenda.schemas import Kind, Visibility
from agenda.schemas_supply import FeedTokenIn, FeedTokenOut, IcsImportReport, IcsPreview
from agenda.service import ics
from agenda.service import ics_feed as feeds
from agenda.service.ics_preview import preview_ics_upload
from snp.deps import SessionDep, SettingsDep, client_ip, public

router = APIRouter(prefix="/api/agenda/ics", tags=["agenda"])


def import_choices(
    kinds: Annotated[list[Kind] | None, Form(description="Par défaut AMB.")] = None,
    visibility: Annotated[
        list[Visibility] | None, Form(description="Par défaut SNP et CPTS.")
    ] = None,
    shared_with_sas: Annotated[bool, Form()] = True,
    all_day: Annotated[
        Literal["ignore", "convert"],
        Form(description="Événements « journée entière » : ignorés ou convertis en créneaux."),
    ] = "ignore",
    all_day_start: Annotated[time, Form(description="Début de la plage (heure de Paris).")] = time(
        8
    ),
    all_day_end: Annotated[time, Form(description="Fin de la plage (heure de Paris).")] = time(12),
    all_day_slot_minutes: Annotated[
        int | None, Form(ge=5, le=240, description="Par défaut la durée des créneaux ICS.")
    ] = None,
) -> ics.ImportChoices:
    """The options of an import (and of its preview), checked."""
    if all_day == "convert" and all_day_end <= all_day_start:
        raise InvalidPeriod(
            "La fin de la plage des journées entières doit suivre son début.",
            loc=["body", "all_day_end"],
        )
    return ics.ImportChoices(
        kinds=frozenset(kinds) if kinds else ics.DEFAULT_KINDS,
        visibility=frozenset(visibility) if visibility else ics.DEFAULT_VISIBILITY,
        shared_with_sas=shared_with_sas,
        all_day_from=all_day_start if all_day == "convert" else None,
        all_day_until=all_day_end if all_day == "convert" else None,
        all_day_slot_minutes=all_day_slot_minutes,
    )


Choices = Annotated[ics.ImportChoices, Depends(import_choices)]


class IcsImportArguments(TypedDict):
    """The keyword arguments the import and its preview share."""

    options: ics.IcsOptions
    choices: ics.ImportChoices
    effector_id: int | None
    site_id: int | None


@dataclass(frozen=True)
class IcsUpload:
    """An uploaded calendar and how to read it: what `/import` and its preview both take."""

    data: bytes
    arguments: IcsImportArguments


async def ics_upload(
    settings: SettingsDep,
    file: UploadFile,
    choices: Choices,
    effector_id: Annotated[int | None, Form()] = None,
    site_id: Annotated[int | None, Form()] = None,
) -> IcsUpload:
    """The form of an import (and of its preview): the file, read within the size limit, and
    the choices, checked."""
    options = ics.IcsOptions.from_settings(settings)
    data = await read_upload(file, options.max_bytes)
    return IcsUpload(
        data,
        {"options": options, "choices": choices, "effector_id": effector_id, "site_id": site_id},
    )


Upload = Annotated[IcsUpload, Depends(ics_upload)]


@router.post("/import")
async def import_ics(session: SessionDep, actor: AgendaOwner, upload: Upload) -> IcsImportReport:
    """Events marked SNP (summary or categories) become free slots with the chosen kinds,
    visibility and SAS sharing; all-day events are ignored (counted) or converted into the
    chosen hours. Importing the same calendar again changes nothing, and free slots gone from
    it are removed. `site_id` is optional when the effector consults in one place only."""
    return await ics.import_ics_upload(session, actor, upload.data, **upload.arguments)


@router.post("/import/preview")
async def preview_ics_import(session: SessionDep, actor: AgendaOwner, upload: Upload) -> IcsPreview:
    """What `/import` would do with the same file and options: the slots it would create and
    each one it would skip with why. Writes nothing."""
    return await preview_ics_upload(session, actor, upload.data, **upload.arguments)


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
