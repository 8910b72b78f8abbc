"""Why a planned slot would not open (template and date-override previews): the reason code
and its French wording, shown to the GP before saving."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Protocol

from agenda.service.recurrence import DateRange, in_ranges
from agenda.service.slot_rules import describe

Window = tuple[datetime, datetime]


class Span(Protocol):
    @property
    def start_at(self) -> datetime: ...

    @property
    def end_at(self) -> datetime: ...


def _overlaps(start: datetime, end: datetime, windows: Sequence[Window]) -> bool:
    return any(start < b and end > a for a, b in windows)


def why_skipped(
    day: date,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    holidays: Collection[date],
    whole_days: Sequence[DateRange],
    hours: Sequence[Window],
    taken: Sequence[Span],
    busy: Sequence[Window] = (),
) -> tuple[str, str] | None:
    """(reason, detail) when the slot [start, end) of `day` would be skipped, else None:
    already started, a public holiday (pass no holidays when the pattern works on them), an
    absence (whole days or some hours), a busy time of the connected calendar, or an overlap
    with a slot already there (`taken`)."""
    if start <= now:
        return "past", "Déjà passé."
    if day in holidays:
        return "holiday", "Jour férié."
    if in_ranges(day, whole_days) or _overlaps(start, end, hours):
        return "absence", "Pendant une absence."
    if _overlaps(start, end, busy):
        return "absence", "Occupé dans votre calendrier connecté."
    clash = next((t for t in taken if start < t.end_at and end > t.start_at), None)
    if clash is not None:
        return "collision", f"Chevauche le créneau du {describe(clash.start_at, clash.end_at)}."
    return None
