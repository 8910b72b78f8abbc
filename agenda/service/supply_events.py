"""Telling the other packages that slots were published, changed or removed (`SlotsChanged`),
whatever the path: every write of slots calls `announce` once, with the slots' states before
and after (ORM slots, snapshots, or rows returned by a bulk INSERT/DELETE ... RETURNING
`STATE_COLUMNS`). The indicators' supply figures follow these events in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.events import SlotsChanged, SlotState
from agenda.models import Site, Slot
from agenda.service.slot_rules import KIND_COLUMNS, slot_source
from snp import events

# What a bulk statement returns so that its slots can be announced.
STATE_COLUMNS = (
    Slot.id,
    Slot.effector_id,
    Slot.site_id,
    Slot.start_at,
    Slot.end_at,
    Slot.status,
    Slot.kind_amb,
    Slot.kind_hh,
    Slot.kind_vr,
    Slot.shared_with_sas,
    Slot.source_key,
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A slot's announced fields, copied before the slot is changed or deleted."""

    id: int
    effector_id: int
    site_id: int
    start_at: datetime
    end_at: datetime
    status: str
    kind_amb: bool
    kind_hh: bool
    kind_vr: bool
    shared_with_sas: bool
    source_key: str | None


def snapshot(slot: Slot) -> Snapshot:
    return Snapshot(
        slot.id,
        slot.effector_id,
        slot.site_id,
        slot.start_at,
        slot.end_at,
        slot.status,
        slot.kind_amb,
        slot.kind_hh,
        slot.kind_vr,
        slot.shared_with_sas,
        slot.source_key,
    )


def _state(row: Any, communes: dict[int, str]) -> SlotState:
    return SlotState(
        slot_id=row.id,
        start_at=row.start_at,
        end_at=row.end_at,
        commune_insee=communes.get(row.site_id, ""),
        status=str(row.status),
        kinds=tuple(code for code, column in KIND_COLUMNS.items() if getattr(row, column)),
        shared_with_sas=bool(row.shared_with_sas),
        source=slot_source(row.source_key),
    )


async def announce(
    session: AsyncSession, cause: str, *, before: Sequence[Any] = (), after: Sequence[Any] = ()
) -> None:
    """Emit one `SlotsChanged` per effector concerned (none when nothing changed)."""
    if not before and not after:
        return
    site_ids = sorted({row.site_id for row in (*before, *after)})
    found = await session.execute(select(Site.id, Site.insee_code).where(Site.id.in_(site_ids)))
    communes = {site_id: insee or "" for site_id, insee in found}
    sides: dict[int, tuple[list[SlotState], list[SlotState]]] = {}
    for index, rows in enumerate((before, after)):
        for row in rows:
            sides.setdefault(row.effector_id, ([], []))[index].append(_state(row, communes))
    for effector_id, (old, new) in sorted(sides.items()):
        await events.emit(session, SlotsChanged(effector_id, cause, tuple(old), tuple(new)))


async def delete_slots(session: AsyncSession, *conditions: ColumnElement[bool]) -> int:
    """Delete the slots matching `conditions` in one statement and announce them as removed;
    returns how many went."""
    removed = (
        await session.execute(
            delete(Slot)
            .where(*conditions)
            .returning(*STATE_COLUMNS)
            .execution_options(synchronize_session=False)
        )
    ).all()
    await announce(session, "removed", before=removed)
    return len(removed)
