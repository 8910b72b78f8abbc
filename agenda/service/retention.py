"""Retention: the patient label and cancellation reason of appointments whose regulation
request was pseudonymised.

Called by regulation's retention job (`regulation.service.retention`) in its transaction."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Appointment

PSEUDONYMISED_LABEL = "Patient pseudonymisé"


async def pseudonymise_appointments(session: AsyncSession, request_ids: Collection[int]) -> int:
    """Replace the patient label of every appointment of these requests; returns how many
    labels changed (0 the second time: idempotent). Outcomes, times and effectors are kept."""
    ids = sorted(set(request_ids))
    if not ids:
        return 0
    result = await session.execute(
        update(Appointment)
        .where(
            Appointment.request_id.in_(ids),
            Appointment.patient_label.is_not(None),
            Appointment.patient_label != PSEUDONYMISED_LABEL,
        )
        # A free-text cancellation reason may name the patient ("Mme X hospitalisée").
        .values(patient_label=PSEUDONYMISED_LABEL, cancel_reason=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
