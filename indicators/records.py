"""The drill-down: the requests behind the figures, pseudonymised (no name, phone, address)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from indicators.models import IndAppointment, IndRequest
from indicators.periods import appointment_filters, request_filters
from indicators.schemas import Filters, RecordPage, RecordRow
from snp.kit import PageParams, count_rows


def pseudonym(request_id: int) -> str:
    return f"R-{request_id:06d}"


async def list_records(
    session: AsyncSession, filters: Filters, page: PageParams = PageParams()
) -> RecordPage:
    query = select(IndRequest).where(*request_filters(filters, filters.start, filters.end))
    total = await count_rows(session, query)
    rows = await session.scalars(
        page.apply(query.order_by(IndRequest.received_at, IndRequest.request_id))
    )
    return RecordPage(
        total=total,
        offset=page.offset,
        limit=page.limit,
        items=[
            RecordRow(
                pseudonym=pseudonym(r.request_id),
                received_at=r.received_at,
                origin=r.origin,
                channel=r.channel,
                commune_insee=r.commune_insee,
                age_band=r.age_band,
                priority=r.priority,
                outcome=r.outcome,
                consultation_at=r.consultation_at,
                appointment_status=r.appointment_status,
                consultation_minutes=r.consultation_minutes,
                would_go_to_ed=r.would_go_to_ed,
            )
            for r in rows
        ],
    )


async def record_request_ids(session: AsyncSession, filters: Filters) -> list[int]:
    where = request_filters(filters, filters.start, filters.end)
    return list(
        (
            await session.scalars(
                select(IndRequest.request_id).where(*where).order_by(IndRequest.received_at)
            )
        ).all()
    )


FEE_ELIGIBLE = "Éligible"
FEE_OWN_PATIENT = "Non : patient du médecin traitant"
FEE_DELAY = "Non : hors délai de 48 h ou sans régulation"
FEE_CAP = "Non : plafond hebdomadaire atteint"


@dataclass(frozen=True, slots=True)
class ConsultationRow:
    pseudonym: str | None
    start_at: datetime
    effector_id: int
    site_commune: str | None
    origin: str
    delay_minutes: int | None
    after_care: str | None
    fee: str


async def list_consultations(
    session: AsyncSession, filters: Filters, weekly_cap: int
) -> list[ConsultationRow]:
    """Fulfilled consultations of the period with their SNP fee eligibility (the rule in
    `queries`: the rank stored on write against the weekly cap), oldest first."""
    statement = (
        select(IndAppointment, IndAppointment.fee_rank)
        .where(
            IndAppointment.status == "fulfilled",
            *appointment_filters(filters, filters.start, filters.end),
        )
        .order_by(IndAppointment.start_at, IndAppointment.appointment_id)
    )
    rows: list[ConsultationRow] = []
    for appointment, rank in (await session.execute(statement)).all():
        if appointment.own_patient:
            fee = FEE_OWN_PATIENT
        elif rank is None:
            fee = FEE_DELAY
        else:
            fee = FEE_ELIGIBLE if rank <= weekly_cap else FEE_CAP
        rows.append(
            ConsultationRow(
                pseudonym(appointment.request_id) if appointment.request_id else None,
                appointment.start_at,
                appointment.effector_id,
                appointment.site_commune,
                appointment.origin,
                appointment.delay_minutes,
                appointment.after_care,
                fee,
            )
        )
    return rows
