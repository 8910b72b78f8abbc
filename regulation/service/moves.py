"""A booked appointment moved to another slot: the request follows it.

Recorded from agenda's `AppointmentMoved` (in the mover's transaction): the request's
consultation time becomes the new one and its timeline gets an « appointment_moved » entry (old
and new times, who, why). Clinical safety: a move that puts the consultation later than the
deadline set at triage is refused (422, the whole move rolled back), whoever moves it — the GP
from their agenda included; moving earlier is always allowed.

Operators move a request's appointment from the request (`move_request_appointment`), which is
agenda's move of the appointment the request holds.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from regulation.errors import RequestNotFound, SlotNotSuitable
from regulation.models import Outcome, RequestStatus
from regulation.service.records import ENTITY, get_row, log_step
from snp import audit
from snp.actor import Actor
from snp.auth import get_account
from snp.errors import Conflict
from snp.kit import PARIS

MOVED_BY = {
    "effector": "le médecin",
    "operator": "un opérateur",
    "regulator": "un médecin régulateur",
    "coordinator": "la coordination",
}


async def record_move(session: AsyncSession, event: agenda.AppointmentMoved) -> bool:
    """The request whose appointment moved: new consultation time and a timeline entry.
    Returns False (nothing changed) when the appointment is not, or no longer, the request's."""
    if event.request_id is None:
        return False
    try:
        row = await get_row(session, event.request_id, for_update=True)
    except RequestNotFound:
        return False
    if row.appointment_id != event.appointment_id:
        return False
    deadline = row.deadline_at
    if deadline is not None and event.to_start_at > max(deadline, event.from_start_at):
        limit = deadline.astimezone(PARIS).strftime("%d/%m à %Hh%M")
        raise SlotNotSuitable(
            f"Ce créneau dépasse le délai de consultation fixé au tri (avant le {limit}) : "
            "choisissez un créneau plus tôt.",
            ("body", "slot_id"),
        )
    row.consultation_at = event.to_start_at
    name = "Système"
    if event.moved_by_user_id is not None:
        account = await get_account(session, event.moved_by_user_id)
        name = account.full_name if account is not None else MOVED_BY.get(event.by, event.by)
    log_step(
        session,
        row.id,
        Actor(user_id=event.moved_by_user_id, email=name, role=None, ip=None),
        name,
        "appointment_moved",
        from_start_at=event.from_start_at.isoformat(),
        to_start_at=event.to_start_at.isoformat(),
        site_changed=event.from_site_id != event.to_site_id,
        by=event.by,
        reason=event.reason,
        appointment_id=event.appointment_id,
    )
    await session.flush()
    return True


async def move_request_appointment(
    session: AsyncSession,
    actor: Actor,
    request_id: int,
    slot_id: int,
    *,
    reason: str,
    allow_other_site: bool = False,
) -> agenda.AppointmentOut:
    """Move the appointment booked for this request onto another free slot of the same GP
    (agenda's rules and refusals). 409 when the request holds no booked appointment."""
    row = await get_row(session, request_id)
    booked = row.status == RequestStatus.ORIENTED or (
        row.status == RequestStatus.CLOSED and row.outcome == Outcome.SLOT_BOOKED
    )
    if not booked or row.appointment_id is None:
        raise Conflict(
            "Cette demande n'a pas de rendez-vous à déplacer.", loc=["path", "request_id"]
        )
    await audit.read(session, actor, ENTITY, row.id)
    return await agenda.move_appointment(
        session,
        row.appointment_id,
        slot_id,
        actor=actor,
        reason=reason,
        allow_other_site=allow_other_site,
    )
