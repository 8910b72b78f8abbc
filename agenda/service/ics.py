"""ICS availability in, with `icalendar`.

An effector keeps their SNP availability in their usual calendar. Events whose summary or
categories contain the keyword (setting `ics_keyword`, default `SNP`, a whole word, any case)
become free slots of the configured length at one of their sites; recurring events are expanded
over the horizon (`recurring_ical_events`); cancelled events are ignored, and all-day events too
unless the import converts them into a chosen time range of each of their days (`ImportChoices`,
which also sets the kinds, the visibility and SAS sharing of the slots); floating times are
Europe/Paris. Slot source keys are `ics:<UID>:<RECURRENCE-ID or start>:<slot start>`,
so importing the same calendar again changes nothing, and the free slots of that site which
vanished from the calendar are removed (held and booked ones stay). The calendar comes from an
upload (API, CLI) or from a subscribed URL refreshed by the scheduler (`ics_subscriptions`).
The booked-appointments feed going out is `ics_feed`.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

import anyio
import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from agenda.errors import IcsRejected, InvalidIdentifier
from agenda.models import Effector, Site, Slot, SlotStatus
from agenda.schemas_supply import IcsImportReport
from agenda.service.absences import absence_window
from agenda.service.directory import managed_effector, pick_site
from agenda.service.ics_bounds import TooCostly, expansion_cost
from agenda.service.recurrence import absence_hours, absence_ranges
from agenda.service.slot_rules import DEFAULT_KINDS, DEFAULT_VISIBILITY

__all__ = ["DEFAULT_KINDS", "DEFAULT_VISIBILITY"]
from agenda.service.slots import NewSlot, add_generated_slots
from agenda.service.supply_events import delete_slots
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import NotFound
from snp.identifiers import parse_adeli, parse_rpps
from snp.kit import PARIS
from snp.settings import Settings

SOURCE_PREFIX = "ics:"


@dataclass(frozen=True, slots=True)
class IcsOptions:
    keyword: str = "SNP"
    slot_minutes: int = 20
    horizon_days: int = 28
    max_bytes: int = 2_000_000
    max_expansion: int = 200_000
    time_budget_seconds: float = 5.0
    fetch_timeout_seconds: float = 10.0
    refresh_minutes: int = 60
    allow_private_hosts: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> IcsOptions:
        return cls(
            keyword=settings.ics_keyword,
            slot_minutes=settings.ics_slot_minutes,
            horizon_days=settings.agenda_horizon_days,
            max_bytes=settings.ics_max_bytes,
            max_expansion=settings.ics_max_expansion,
            time_budget_seconds=settings.ics_time_budget_seconds,
            fetch_timeout_seconds=settings.ics_fetch_timeout_seconds,
            refresh_minutes=settings.ics_refresh_minutes,
            allow_private_hosts=settings.ics_allow_private_hosts,
        )


@dataclass(frozen=True, slots=True)
class ImportChoices:
    """What the GP chose for an import: the slots' kinds, visibility and SAS sharing, and
    whether all-day events become slots from `all_day_from` to `all_day_until` (Paris time)
    each of their days, cut into `all_day_slot_minutes` (None: the calendar's slot length)."""

    kinds: frozenset[str] = DEFAULT_KINDS
    visibility: frozenset[str] = DEFAULT_VISIBILITY
    shared_with_sas: bool = True
    all_day_from: time | None = None  # None: all-day events are ignored (and counted)
    all_day_until: time | None = None
    all_day_slot_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class Offer:
    """What a calendar offers over the horizon."""

    slots: list[NewSlot]
    events: int
    all_day_ignored: list[date]  # the first day of each all-day occurrence left out
    all_day_converted: int
    # (start, end) of the one-off SNP events after the horizon, left out
    beyond_horizon: list[tuple[datetime, datetime]] = field(default_factory=list)


# --- Reading availability ----------------------------------------------------------------------


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(keyword.strip())}(?!\w)", re.IGNORECASE)


def _categories(event: icalendar.cal.Component) -> list[str]:
    value = event.get("CATEGORIES")
    groups = value if isinstance(value, list) else [value] if value is not None else []
    return [str(c) for group in groups for c in getattr(group, "cats", [group])]


def is_availability(event: icalendar.cal.Component, pattern: re.Pattern[str]) -> bool:
    texts = [str(event.get("SUMMARY", "")), *_categories(event)]
    return any(pattern.search(text) for text in texts)


def _utc(value: datetime) -> datetime:
    """Floating times (no TZID, no Z) are Europe/Paris wall-clock times."""
    return (value if value.tzinfo is not None else value.replace(tzinfo=PARIS)).astimezone(UTC)


def _stamp(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _uid(event: icalendar.cal.Component, start: datetime) -> str:
    uid = str(event.get("UID", "")).strip()
    if not uid:  # a UID is mandatory, but some exports forget it: derive a stable one
        uid = f"nouid-{_stamp(start)}-{event.get('SUMMARY', '')}"
    if len(uid) > 120 or ":" in uid:  # keep the source key short and unambiguous
        uid = hashlib.sha256(uid.encode()).hexdigest()[:40]
    return uid


def _event_times(event: icalendar.cal.Component) -> tuple[datetime, datetime] | None:
    """UTC start and end of a timed event; None for all-day or incomplete events."""
    start = event.decoded("DTSTART", None)
    if not isinstance(start, datetime):
        return None
    end = event.decoded("DTEND", None)
    if end is None and event.get("DURATION") is not None:
        end = start + event.decoded("DURATION")
    if not isinstance(end, datetime):
        return None
    return _utc(start), _utc(end)


def _availability_only(
    calendar: icalendar.Calendar, pattern: re.Pattern[str]
) -> icalendar.Calendar:
    """The calendar's time zones and the events (all components of a UID) that are SNP
    availability: the rest of a busy agenda is never expanded."""
    events = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    wanted_uids = {str(e.get("UID", "")) for e in events if is_availability(e, pattern)}
    kept = icalendar.Calendar()
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE" or (
            component.name == "VEVENT" and str(component.get("UID", "")) in wanted_uids
        ):
            kept.add_component(component)
    return kept


def availability_slots(
    data: bytes, *, options: IcsOptions, now: datetime, choices: ImportChoices | None = None
) -> Offer:
    """The slots a calendar offers over [now, now + horizon], and how many events made them.

    CPU-bound and bounded (`ics_bounds`): call `read_availability` from async code."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception:  # untrusted input: any parser failure is the file's fault
        raise IcsRejected(
            "Fichier ICS illisible : un calendrier au format iCalendar (.ics) est attendu."
        ) from None
    if getattr(calendar, "name", None) != "VCALENDAR":
        raise IcsRejected("Fichier ICS illisible : il ne contient pas de calendrier (VCALENDAR).")
    pattern = keyword_pattern(options.keyword)
    horizon_end = now + timedelta(days=options.horizon_days)
    try:
        calendar = _availability_only(calendar, pattern)
        cost = expansion_cost(calendar.walk("VEVENT"), horizon_end)
    except TooCostly as exc:
        raise IcsRejected(str(exc)) from None
    except Exception:  # malformed dates or rules: the calendar's fault, said in French
        raise IcsRejected(
            "Calendrier incohérent : des dates ou des règles de répétition sont illisibles."
        ) from None
    if cost > options.max_expansion:
        raise IcsRejected(
            "Calendrier refusé : ses événements répétés demanderaient trop de calcul "
            f"({cost} occurrences à parcourir, au plus {options.max_expansion}). Faites "
            "commencer les répétitions plus récemment ou espacez-les."
        )
    try:
        occurrences = recurring_ical_events.of(calendar).between(now, horizon_end)
    except Exception:  # bad RRULE, unknown TZID...: the calendar's fault, said in French
        raise IcsRejected(
            "Calendrier incohérent : des règles de répétition ou des fuseaux horaires sont "
            "illisibles."
        ) from None
    try:
        offer = _slots_of(
            occurrences,
            options=options,
            now=now,
            horizon_end=horizon_end,
            choices=choices or ImportChoices(),
        )
        return replace(offer, beyond_horizon=_beyond(calendar, pattern, horizon_end))
    except IcsRejected:
        raise
    except Exception:  # odd values in an event (dates, categories): the calendar's fault
        raise IcsRejected(
            "Calendrier incohérent : des dates ou des règles de répétition sont illisibles."
        ) from None


def _beyond(
    calendar: icalendar.Calendar, pattern: re.Pattern[str], horizon_end: datetime
) -> list[tuple[datetime, datetime]]:
    """The one-off SNP events after the horizon (left out, but told)."""
    spans: list[tuple[datetime, datetime]] = []
    for event in calendar.walk("VEVENT"):
        if (
            event.get("RRULE") is not None
            or event.get("RDATE") is not None
            or str(event.get("STATUS", "")).upper() == "CANCELLED"
            or not is_availability(event, pattern)
        ):
            continue
        days = _all_day_dates(event)
        if days is not None:
            midnights = _converted([days[0], days[-1] + timedelta(days=1)], time(), time())
            span_of = (midnights[0][0], midnights[1][0])
        else:
            times = _event_times(event)
            if times is None:
                continue
            span_of = times
        if span_of[0] >= horizon_end:
            spans.append(span_of)
    return sorted(spans)


def _all_day_dates(event: icalendar.cal.Component) -> list[date] | None:
    """The days of an all-day event (DTEND exclusive, one day by default); None if timed."""
    start = event.decoded("DTSTART", None)
    if not isinstance(start, date) or isinstance(start, datetime):
        return None
    end = event.decoded("DTEND", None)
    if end is None and event.get("DURATION") is not None:
        end = start + event.decoded("DURATION")
    days = max(1, (end - start).days) if isinstance(end, date) else 1
    return [start + timedelta(days=n) for n in range(min(days, 366))]


def _converted(days: list[date], start: time, end: time) -> list[tuple[datetime, datetime]]:
    """The chosen time range (Paris wall clock, DST-safe) of each day of an all-day event."""
    return [
        (
            datetime.combine(day, start, tzinfo=PARIS).astimezone(UTC),
            datetime.combine(day, end, tzinfo=PARIS).astimezone(UTC),
        )
        for day in days
    ]


def _slots_of(
    occurrences: list[icalendar.cal.Component],
    *,
    options: IcsOptions,
    now: datetime,
    horizon_end: datetime,
    choices: ImportChoices,
) -> Offer:
    pattern = keyword_pattern(options.keyword)
    slots: list[NewSlot] = []
    events = 0
    ignored: list[date] = []
    converted = 0
    for event in occurrences:
        if str(event.get("STATUS", "")).upper() == "CANCELLED" or not is_availability(
            event, pattern
        ):
            continue
        length = timedelta(minutes=options.slot_minutes)
        days = _all_day_dates(event)
        if days is not None:
            if choices.all_day_from is None or choices.all_day_until is None:
                ignored.append(days[0])
                continue
            converted += 1
            length = timedelta(minutes=choices.all_day_slot_minutes or options.slot_minutes)
            spans = _converted(days, choices.all_day_from, choices.all_day_until)
            uid = _uid(event, spans[0][0])
            occurrence = f"{days[0]:%Y%m%d}"
        else:
            times = _event_times(event)
            if times is None:
                continue
            spans = [times]
            recurrence = event.decoded("RECURRENCE-ID", None)
            uid = _uid(event, times[0])
            occurrence = _stamp(_utc(recurrence) if isinstance(recurrence, datetime) else times[0])
        prefix = f"{SOURCE_PREFIX}{uid}:{occurrence}:"
        events += 1
        for start, end in spans:
            _cut(slots, start, end, length, prefix, now, horizon_end, options, choices)
    return Offer(slots, events, ignored, converted)


def _cut(
    slots: list[NewSlot],
    start: datetime,
    end: datetime,
    length: timedelta,
    prefix: str,
    now: datetime,
    horizon_end: datetime,
    options: IcsOptions,
    choices: ImportChoices,
) -> None:
    """Append the slots of `length` in [start, end] that begin after `now`."""
    cursor = start
    if cursor < now:  # a long event begun earlier: skip to its first slot after now
        cursor += length * ((now - cursor) // length)
    while cursor + length <= min(end, horizon_end + length):
        if cursor > now:
            slots.append(
                NewSlot(
                    start_at=cursor,
                    end_at=cursor + length,
                    kinds=choices.kinds,
                    visibility=choices.visibility,
                    shared_with_sas=choices.shared_with_sas,
                    source_key=prefix + _stamp(cursor),
                )
            )
            if len(slots) > options.max_expansion:
                raise IcsRejected(
                    f"Calendrier refusé : il offrirait plus de {options.max_expansion} créneaux."
                )
        cursor += length


# At most this many calendars are expanded at once (worker threads), whatever the callers.
_EXPANDING = threading.BoundedSemaphore(2)


def _bounded_availability_slots(
    data: bytes, options: IcsOptions, now: datetime, choices: ImportChoices
) -> Offer:
    if not _EXPANDING.acquire(timeout=options.time_budget_seconds):
        raise IcsRejected("Serveur occupé à lire d'autres calendriers : réessayez dans un moment.")
    try:
        return availability_slots(data, options=options, now=now, choices=choices)
    finally:
        _EXPANDING.release()


async def read_availability(
    data: bytes, *, options: IcsOptions, now: datetime, choices: ImportChoices | None = None
) -> Offer:
    """`availability_slots` in a worker thread (the event loop keeps serving), answered within
    `time_budget_seconds` or refused."""
    try:
        with anyio.fail_after(options.time_budget_seconds):
            return await anyio.to_thread.run_sync(
                _bounded_availability_slots,
                data,
                options,
                now,
                choices or ImportChoices(),
                abandon_on_cancel=True,
            )
    except TimeoutError:
        raise IcsRejected(
            "Calendrier refusé : sa lecture a pris trop de temps "
            f"(plus de {options.time_budget_seconds:g} s)."
        ) from None


async def absence_windows(
    session: AsyncSession, effector_id: int, slots: list[NewSlot], now: datetime
) -> list[tuple[datetime, datetime]]:
    """The effector's absences (whole days and hours) over the days of `slots`, in UTC."""
    if not slots:
        return []
    first = now.astimezone(PARIS).date()
    last = max(s.end_at for s in slots).astimezone(PARIS).date()
    ranges = (await absence_ranges(session, [effector_id], first, last)).get(effector_id, [])
    windows = [absence_window(start, end) for start, end in ranges]
    windows += (await absence_hours(session, [effector_id], first, last)).get(effector_id, [])
    return windows


def in_absence(slot: NewSlot, windows: list[tuple[datetime, datetime]]) -> bool:
    return any(slot.start_at < b and slot.end_at > a for a, b in windows)


async def _drop_absent(
    session: AsyncSession, effector_id: int, slots: list[NewSlot], now: datetime
) -> list[NewSlot]:
    windows = await absence_windows(session, effector_id, slots, now)
    return [s for s in slots if not in_absence(s, windows)]


async def import_ics(
    session: AsyncSession,
    effector: Effector,
    site: Site,
    data: bytes,
    *,
    options: IcsOptions,
    choices: ImportChoices | None = None,
    now: datetime | None = None,
) -> IcsImportReport:
    """Make the effector's ICS slots at `site` what the calendar says (idempotent).

    The calendar is read completely before anything is written, so a bad file changes nothing.
    """
    now = now or utcnow()
    offer = await read_offer(data, options=options, choices=choices, now=now)
    offered = offer.slots
    wanted = await _drop_absent(session, effector.id, offered, now)
    wanted_keys = {s.source_key for s in wanted}
    rows = await session.execute(
        select(Slot.id, Slot.site_id, Slot.source_key, Slot.status).where(
            Slot.effector_id == effector.id,
            Slot.source_key.like(f"{SOURCE_PREFIX}%"),
            Slot.start_at > now,
        )
    )
    existing: set[str | None] = set()
    vanished: list[int] = []
    for slot_id, site_id, key, status in rows:
        existing.add(key)
        if site_id == site.id and key not in wanted_keys and status == SlotStatus.FREE.value:
            vanished.append(slot_id)
    removed = await _delete_free(session, vanished)
    new = [s for s in wanted if s.source_key not in existing]
    created = await add_generated_slots(session, effector.id, site.id, new)
    unchanged = len(wanted) - len(new)
    return IcsImportReport(
        events=offer.events,
        slots=len(offered),
        created=created,
        unchanged=unchanged,
        removed=removed,
        skipped=len(offered) - created - unchanged,
        all_day_ignored=len(offer.all_day_ignored),
        all_day_converted=offer.all_day_converted,
    )


async def read_offer(
    data: bytes, *, options: IcsOptions, choices: ImportChoices | None, now: datetime
) -> Offer:
    """The calendar's offer, within the size and expansion bounds (a French 422 otherwise)."""
    if len(data) > options.max_bytes:
        raise IcsRejected(f"Calendrier trop volumineux (au plus {options.max_bytes} octets).")
    return await read_availability(data, options=options, now=now, choices=choices)


async def _delete_free(session: AsyncSession, slot_ids: list[int]) -> int:
    removed = 0
    for offset in range(0, len(slot_ids), 500):
        removed += await delete_slots(
            session,
            Slot.id.in_(slot_ids[offset : offset + 500]),
            Slot.status == SlotStatus.FREE.value,  # never a slot held or booked meanwhile
        )
    return removed


async def import_ics_upload(
    session: AsyncSession,
    actor: Actor,
    data: bytes,
    *,
    options: IcsOptions,
    effector_id: int | None = None,
    site_id: int | None = None,
    site_name: str | None = None,
    choices: ImportChoices | None = None,
    now: datetime | None = None,
) -> IcsImportReport:
    """An uploaded calendar (API, CLI): the effector's own, or anyone's for the coordination.
    The site is optional when the effector consults in one place only."""
    effector = await managed_effector(session, actor, effector_id)
    site = pick_site(effector, site_id=site_id, site_name=site_name)
    report = await import_ics(
        session, effector, site, data, options=options, choices=choices, now=now
    )
    await audit.record(session, actor, "import", "slots", effector.id, "ics")
    return report


async def effector_by_national_id(session: AsyncSession, national_id: str) -> Effector:
    """An effector by RPPS (or ADELI), with their sites; French errors for the CLI."""
    digits = national_id.strip().replace(" ", "")
    try:
        normalised = parse_adeli(digits) if len(digits) <= 10 else parse_rpps(digits)
    except ValueError as exc:
        raise InvalidIdentifier(str(exc), loc=["rpps"]) from None
    effector = await session.scalar(
        select(Effector)
        .options(selectinload(Effector.sites))
        .where(Effector.national_id == normalised)
    )
    if effector is None:
        raise NotFound(f"Aucun effecteur de RPPS {normalised} dans l'annuaire.", loc=["rpps"])
    return effector
