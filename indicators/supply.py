"""The supply figures (slots offered, booked and free per effector, commune, Paris day and hour,
and their monthly rollups) follow the agenda's events in the emitter's transaction, so a GP's
new slots count at once:
- `SlotsChanged` (published one by one, from a weekly recurring availability or a calendar
  import, moved, removed): the figures move by (after - before);
- `SlotBooked`, and `AppointmentCancelled` when it freed its slot: one slot of the cell changes
  from free to booked, or back.

Every change is a delta applied at commit (`rollups.defer`), so concurrent writers add up
exactly; `rebuild` (the repair command) recounts everything from the agenda and gives the same
rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from indicators import rollups


def _slots(effector_id: int, states: tuple[agenda.SlotState, ...]) -> rollups.Deltas:
    return rollups.total(
        rollups.slot_contribution(
            effector_id,
            state.commune_insee,
            state.start_at,
            state.source,
            booked=state.status == "booked",
        )
        for state in states
    )


def slots_changed(session: AsyncSession, event: agenda.SlotsChanged) -> None:
    before = _slots(event.effector_id, event.before)
    after = _slots(event.effector_id, event.after)
    rollups.defer(session, rollups.difference(before, after))


async def slot_taken(
    session: AsyncSession, appointment_id: str, effector_id: int, start_at: datetime, *, taken: bool
) -> None:
    """The slot of this appointment went from free to booked (`taken`), or back."""
    facts = await agenda.appointment_facts(session, [appointment_id])
    commune = facts[0].site_commune if facts else None
    if commune is None:  # no site: the slot was never counted
        return
    # Only booked and free move: the slot's source counts the same on both sides.
    free = rollups.slot_contribution(effector_id, commune, start_at, "", booked=False)
    booked = rollups.slot_contribution(effector_id, commune, start_at, "", booked=True)
    rollups.defer(
        session, rollups.difference(free, booked) if taken else rollups.difference(booked, free)
    )
