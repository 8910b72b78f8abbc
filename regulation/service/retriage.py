"""Back to triage: a triage decided on facts that changed no longer holds.

When the patient's age, sex or motif changes after triage, or when their appointment falls
through, the request loses its priority, orientation and deadline (a triage deadline replaces
it: someone must call the patient back and ask the red flags again), gives back any slot it
held, and no slot may be held or booked for it until it is triaged again (`retriage_reason`
says why until then). A regulator's decision taken on the old facts goes too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.models import RegulationRequest, RequestStatus
from regulation.service.booking import clear_hold
from regulation.service.records import unclaimed_status

# Patient facts the triage depends on.
TRIAGE_INPUTS = frozenset({"birth_date", "sex", "motif"})
FIELD_LABELS = {"birth_date": "date de naissance", "sex": "sexe", "motif": "motif"}
RESET_FIELDS = [
    "age_band",
    "deadline_at",
    "orientation",
    "priority",
    "protocol_version",
    "regulator_decision_at",
    "retriage_reason",
    "status",
    "triage_rule",
    "triaged_at",
]


def changed_inputs_reason(fields: list[str]) -> str:
    names = ", ".join(FIELD_LABELS[f] for f in sorted(TRIAGE_INPUTS & set(fields)))
    return f"Modifié après le tri ({names}) : refaites le tri avant de réserver."


async def send_back_to_triage(
    session: AsyncSession,
    row: RegulationRequest,
    reason: str,
    *,
    triage_within_minutes: int,
    now: datetime,
) -> None:
    """Clear the triage's decision on `row` (the caller logs, audits and emits)."""
    if row.hold_slot_id is not None and row.hold_holder is not None:
        await agenda.release(session, row.hold_slot_id, row.hold_holder)
    clear_hold(row)
    row.triaged_at = None
    row.triage_rule = None
    row.protocol_version = None
    row.age_band = None
    row.priority = None
    row.orientation = None
    row.callback_at = None
    row.offered_slot_id = None
    row.regulator_decision_at = None
    row.regulator_decision_by_user_id = None
    row.regulator_decision_by_name = None
    row.deadline_at = now + timedelta(minutes=triage_within_minutes)
    row.retriage_reason = reason[:300]
    if row.status != RequestStatus.CLAIMED:
        row.status = unclaimed_status(row)
