"""Coordinators' « Droits des patients » routes: find a person, export their records (JSON and a
readable document), correct their identity, erase them. Coordinators only; every action is
audited with its reason (in the body, never in the URL)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import HTMLResponse

import regulation
from rights import document, service
from rights.schemas import (
    ErasedOut,
    PersonIn,
    PersonRecordsOut,
    PersonSearchIn,
    PersonSearchOut,
    RectifyIn,
)
from snp.actor import Actor
from snp.auth import Role
from snp.db import utcnow
from snp.deps import SessionDep, require_roles
from snp.kit import PARIS

router = APIRouter(prefix="/api/rights", tags=["rights"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
RequestId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/search")
async def search_person(
    body: PersonSearchIn, session: SessionDep, actor: Coordinator
) -> PersonSearchOut:
    """Une personne par nom et date de naissance, ou par numéro : ses demandes."""
    return await service.search(session, actor, body, now=utcnow())


@router.post("/export")
async def export_records(
    body: PersonIn, session: SessionDep, actor: Coordinator
) -> PersonRecordsOut:
    """Tout ce que la plateforme conserve sur la personne (droit d'accès, JSON)."""
    return await service.export(session, actor, body, now=utcnow(), form="json")


@router.post("/document", response_class=HTMLResponse)
async def export_document(body: PersonIn, session: SessionDep, actor: Coordinator) -> HTMLResponse:
    """Le même contenu en document lisible (HTML imprimable), à remettre à la personne."""
    now = utcnow()
    records = await service.export(session, actor, body, now=now, form="document")
    name = f"droit-acces-{now.astimezone(PARIS):%Y-%m-%d}.html"
    return HTMLResponse(
        document.render(records),
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.patch("/requests/{request_id}")
async def rectify_request(
    request_id: RequestId, body: RectifyIn, session: SessionDep, actor: Coordinator
) -> regulation.RequestMatch:
    """Rectification de l'identité ou des coordonnées, même après clôture."""
    return await service.rectify(session, actor, request_id, body, now=utcnow())


@router.post("/erase")
async def erase_person(body: PersonIn, session: SessionDep, actor: Coordinator) -> ErasedOut:
    """Effacement (pseudonymisation immédiate), refusé tant que la loi impose de conserver."""
    return await service.erase(session, actor, body, now=utcnow())
