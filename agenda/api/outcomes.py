"""The consultation log: record what became of an appointment, list those still to report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from agenda.schemas_outcomes import ConsultationOut, ConsultationPage, OutcomeIn
from agenda.service import outcomes
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, require_roles
from snp.kit import PageParams, page_params

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

Reporter = Annotated[Actor, Depends(require_roles(Role.EFFECTOR, Role.OPERATOR, Role.COORDINATOR))]
UnreportedPage = Annotated[PageParams, Depends(page_params(maximum=outcomes.MAX_PAGE))]


@router.get("/appointments/unreported")
async def list_unreported(
    session: SessionDep,
    actor: Reporter,
    page: UnreportedPage,
    before: Annotated[
        datetime | None,
        Query(
            description="Rendez-vous commencés avant cet instant ; par défaut : aujourd'hui 0 h."
        ),
    ] = None,
    effector_id: Annotated[
        int | None, Query(description="Un effecteur (pour un effecteur : le sien).")
    ] = None,
) -> ConsultationPage:
    """Consultations à renseigner: appointments of previous days still `booked`, oldest first."""
    return await outcomes.list_unreported(
        session, actor, before, effector_id=effector_id, page=page
    )


@router.get("/consultations")
async def list_consultation_log(
    session: SessionDep,
    actor: Reporter,
    start: Annotated[datetime, Query(description="Début de la période, avec fuseau horaire.")],
    end: Annotated[datetime, Query(description="Fin de la période (93 jours au plus).")],
    effector_id: Annotated[
        int | None, Query(description="Un effecteur (pour un effecteur : le sien).")
    ] = None,
) -> list[ConsultationOut]:
    """The consultation log of a period: every appointment, its outcome, cancellation (by whom,
    why) or rescheduling."""
    return await outcomes.list_consultation_log(
        session, actor, start=start, end=end, effector_id=effector_id
    )


@router.put("/appointments/{appointment_id}/outcome")
async def record_outcome(
    session: SessionDep, actor: Reporter, appointment_id: str, body: OutcomeIn
) -> ConsultationOut:
    """Record or correct the outcome of an appointment once it has started (422 before): seen
    (`fulfilled`, optionally sent to the emergency department or hospitalised) or absent
    (`noshow`). An effector records only their own."""
    return await outcomes.record_outcome(
        session, actor, appointment_id, body.outcome, body.after_care
    )
