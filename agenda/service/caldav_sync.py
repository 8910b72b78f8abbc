"""Two-way sync with the CalDAV calendar an effector keeps (Nextcloud, iCloud, Fastmail...).

Read half: the busy times of the calendar (its opaque events over the horizon) are stored in
`caldav_busy`; the FREE SNP slots that overlap one are withdrawn (announced through
`supply_events.delete_slots`), the booked ones are kept and reported to the effector, and
pattern generation (`recurrence.materialise`) skips them.

Write half (optional): the calendar is reconciled with the effector's SNP appointments from
`FEED_PAST_DAYS` ago to the horizon, booked or with their outcome (« vu », « absent »: like the
ICS feed, a recorded outcome never removes an event), each as one event showing the patient's
initials only, under a stable UID derived from the appointment id and the instance secret
(`own_uid`, never patient data). Events we wrote that no longer match (cancelled, sent back to
the queue, past the window, or writing switched off) are deleted, a moved appointment's event is
rewritten at its new time; events we did not write (UID without our prefix) are never touched.
Changed appointments are pushed within a minute by `push_changed` (the calendars whose
appointments changed since their last sync), everything else converges at the next scheduled
run: the booking transaction never waits for the CalDAV server.

The `caldav` client is synchronous: it runs in a worker thread with a timeout; a server that
refuses or does not answer leaves the slots and the appointments as they were and its French
reason in `CaldavLink.last_error` (retried at the next run), and never stops the other
calendars.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import caldav
import icalendar
from caldav.lib import error as caldav_error
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.errors import CaldavRejected, IcsRejected
from agenda.models import Appointment, AppointmentStatus, CaldavBusy, CaldavLink, Effector, Slot
from agenda.service.directory import managed_effector
from agenda.service.ics_feed import FEED_PAST_DAYS
from agenda.service.ics_subscriptions import ensure_public_host
from agenda.service.supply_events import delete_slots
from snp import audit
from snp.actor import Actor
from snp.db import utcnow
from snp.errors import DomainError, NotFound
from snp.settings import Settings

log = logging.getLogger(__name__)

# Events this platform wrote (the write half) are not busy times of the effector, and the only
# ones it ever changes or deletes.
OWN_UID_PREFIX = "snp-rdv-"
_MAX_BUSY = 2000
_MAX_OWN = 5000
# What the calendar shows: live appointments and those whose outcome was recorded.
_WRITTEN_STATUSES = (
    AppointmentStatus.BOOKED.value,
    AppointmentStatus.FULFILLED.value,
    AppointmentStatus.NOSHOW.value,
)
_OUTCOME_LABELS = {
    AppointmentStatus.FULFILLED.value: "vu",
    AppointmentStatus.NOSHOW.value: "absent",
}
# A change committed while a sync was reading is caught by the next push (one cheap extra run).
_PUSH_MARGIN = timedelta(minutes=1)

NOT_CONFIGURED = (
    "La synchronisation CalDAV n'est pas configurée sur cette plateforme (clé de chiffrement "
    "absente) : contactez la coordination."
)
NOT_CONNECTED = "Aucun calendrier CalDAV n'est connecté."


@dataclass(frozen=True, slots=True)
class CaldavOptions:
    key: str
    timeout_seconds: float = 10.0
    horizon_days: int = 28
    refresh_minutes: int = 60
    allow_private_hosts: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> CaldavOptions:
        return cls(
            key=settings.caldav_key.get_secret_value(),
            timeout_seconds=settings.caldav_timeout_seconds,
            horizon_days=settings.agenda_horizon_days,
            refresh_minutes=settings.ics_refresh_minutes,
            allow_private_hosts=settings.ics_allow_private_hosts,
        )


@dataclass(frozen=True, slots=True)
class Conflict:
    """A booked SNP appointment over a busy time of the effector's calendar (kept)."""

    appointment_id: str
    start_at: datetime
    end_at: datetime


@dataclass(slots=True)
class SyncReport:
    busy: int = 0
    withdrawn: int = 0
    written: int = 0  # events created or rewritten (a moved or newly booked appointment)
    conflicts: list[Conflict] = field(default_factory=list)
    removed: int = 0  # events of ours deleted (cancelled, back to the queue, past the window)


# --- The password, encrypted at rest -----------------------------------------------------------


def _fernet(key: str) -> Fernet:
    if not key:
        raise CaldavRejected(NOT_CONFIGURED, loc=())
    digest = hashlib.sha256(b"snp-caldav:" + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_password(password: str, key: str) -> str:
    return _fernet(key).encrypt(password.encode()).decode()


def decrypt_password(token: str, key: str) -> str:
    try:
        return _fernet(key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise CaldavRejected(
            "Le mot de passe enregistré ne peut plus être lu (clé changée) : reconnectez le "
            "calendrier.",
            loc=(),
        ) from None


# --- Talking to the server (worker thread) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Booked:
    uid: str
    start_at: datetime
    end_at: datetime
    summary: str


@dataclass(frozen=True, slots=True)
class _Exchanged:
    busy: list[tuple[datetime, datetime]]
    written: int
    removed: int


def own_uid(appointment_id: str, key: str) -> str:
    """The UID of an appointment's event: stable, ours (prefix), and telling nothing without
    the instance secret (not even the appointment id)."""
    digest = hmac.new(key.encode(), b"snp-caldav-uid:" + appointment_id.encode(), hashlib.sha256)
    return OWN_UID_PREFIX + digest.hexdigest()[:32]


def _as_utc(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    return None


def _busy_of(component: Any) -> tuple[datetime, datetime] | None:
    if str(component.get("UID", "")).startswith(OWN_UID_PREFIX):
        return None
    if str(component.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return None
    start = _as_utc(component.decoded("DTSTART", None))
    if start is None:
        return None
    end = _as_utc(component.decoded("DTEND", None))
    if end is None:
        duration = component.decoded("DURATION", None)
        end = start + (duration if isinstance(duration, timedelta) else timedelta(days=1))
    return (start, end) if end > start else None


def _event_ical(booked: _Booked) -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//SNP CPTS//caldav//FR")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", booked.uid)
    event.add("dtstamp", utcnow())
    event.add("dtstart", booked.start_at)
    event.add("dtend", booked.end_at)
    event.add("summary", booked.summary)
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return str(cal.to_ical().decode())


def _same_event(component: Any, booked: _Booked) -> bool:
    return (
        _as_utc(component.decoded("DTSTART", None)) == booked.start_at
        and _as_utc(component.decoded("DTEND", None)) == booked.end_at
        and str(component.get("SUMMARY", "")) == booked.summary
    )


def _read_busy(calendar: Any, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    found = calendar.search(start=start, end=end, event=True, expand=True)
    busy: list[tuple[datetime, datetime]] = []
    for item in found:
        for component in item.icalendar_instance.walk("VEVENT"):
            window = _busy_of(component)
            if window is not None and window[1] > start and window[0] < end:
                busy.append(window)
            if len(busy) > _MAX_BUSY:
                raise CaldavRejected(
                    f"Calendrier CalDAV trop chargé (plus de {_MAX_BUSY} événements)."
                )
    return busy


def _own_events(calendar: Any) -> dict[str, tuple[Any, Any]]:
    """The events we wrote, whatever their date: UID -> (resource, VEVENT). The server filters
    on the UID (a CalDAV text-match is a substring match); the prefix is checked again here so
    that nothing else is ever touched."""
    own: dict[str, tuple[Any, Any]] = {}
    for item in calendar.search(event=True, uid=OWN_UID_PREFIX):
        components = list(item.icalendar_instance.walk("VEVENT"))
        uids = {str(c.get("UID", "")) for c in components}
        if len(uids) != 1:
            continue
        [uid] = uids
        if uid.startswith(OWN_UID_PREFIX):
            own[uid] = (item, components[0])
        if len(own) > _MAX_OWN:
            raise CaldavRejected(f"Calendrier CalDAV trop chargé (plus de {_MAX_OWN} événements).")
    return own


def _reconcile(calendar: Any, wanted: Sequence[_Booked]) -> tuple[int, int]:
    """Make our events exactly `wanted`; returns (written, removed)."""
    own = _own_events(calendar)
    wanted_uids = {booked.uid for booked in wanted}
    removed = 0
    for uid, (item, _component) in own.items():
        if uid not in wanted_uids:
            item.delete()
            removed += 1
    written = 0
    for booked in wanted:
        existing = own.get(booked.uid)
        if existing is not None and _same_event(existing[1], booked):
            continue
        if existing is not None:
            existing[0].data = _event_ical(booked)
            existing[0].save()
        else:
            calendar.save_event(_event_ical(booked))
        written += 1
    return written, removed


def _exchange(
    url: str,
    username: str,
    password: str,
    timeout: float,
    start: datetime,
    end: datetime,
    wanted: Sequence[_Booked] | None,
) -> _Exchanged:
    """Read the busy times between `start` and `end`, then, unless `wanted` is None, make our
    events exactly `wanted` (blocking)."""
    with caldav.DAVClient(
        url=url, username=username, password=password, timeout=int(max(1, timeout))
    ) as client:
        calendar = client.calendar(url=url)  # type: ignore[no-untyped-call]
        busy = _read_busy(calendar, start, end)
        written, removed = (0, 0) if wanted is None else _reconcile(calendar, wanted)
        return _Exchanged(busy, written, removed)


def _reason(exc: BaseException) -> str:
    """The French reason a CalDAV exchange failed (never the password, never the body)."""
    if isinstance(exc, DomainError):
        return exc.msg
    if isinstance(exc, caldav_error.AuthorizationError):
        return "Identifiant ou mot de passe d'application refusé par le serveur CalDAV."
    if isinstance(exc, caldav_error.NotFoundError):
        return "Calendrier introuvable à cette adresse : vérifiez l'URL du calendrier."
    if isinstance(exc, caldav_error.DAVError):
        return "Le serveur CalDAV a refusé la demande : vérifiez l'adresse du calendrier."
    if isinstance(exc, TimeoutError) or "timeout" in type(exc).__name__.lower():
        return "Le serveur CalDAV n'a pas répondu à temps."
    return "Serveur CalDAV injoignable : vérifiez l'adresse du calendrier."


async def _check_host(url: str, options: CaldavOptions) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CaldavRejected("Adresse de calendrier invalide : elle doit commencer par https://.")
    if options.allow_private_hosts:
        return
    try:
        await ensure_public_host(parts.hostname, parts.port or 443)
    except IcsRejected as exc:
        raise CaldavRejected(exc.msg) from None


# --- Synchronising one effector ------------------------------------------------------------------


def _initials(label: str | None) -> str:
    """At most the initials of the patient (the stored label may also hold the age)."""
    names = (label or "").split(",")[0]
    return " ".join(word[0].upper() + "." for word in re.findall(r"[^\W\d_]+", names)[:3])


def _summary(appointment: Appointment) -> str:
    initials = _initials(appointment.patient_label)
    summary = f"Consultation SNP ({initials})" if initials else "Consultation SNP"
    outcome = _OUTCOME_LABELS.get(appointment.status)
    return f"{summary} – {outcome}" if outcome else summary


async def _events_wanted(
    session: AsyncSession, effector_id: int, key: str, now: datetime, end: datetime
) -> list[_Booked]:
    """The effector's appointments the calendar must show: booked or with their outcome, from
    `FEED_PAST_DAYS` ago to the horizon."""
    rows = await session.scalars(
        select(Appointment)
        .where(
            Appointment.effector_id == effector_id,
            Appointment.status.in_(_WRITTEN_STATUSES),
            Appointment.start_at < end,
            Appointment.start_at >= now - timedelta(days=FEED_PAST_DAYS),
        )
        .order_by(Appointment.start_at)
    )
    return [_Booked(own_uid(a.id, key), a.start_at, a.end_at, _summary(a)) for a in rows]


async def apply_busy(
    session: AsyncSession,
    effector_id: int,
    busy: Sequence[tuple[datetime, datetime]],
    *,
    now: datetime,
) -> tuple[int, list[Conflict]]:
    """Store the busy times, withdraw the future free slots over them, and list the booked
    appointments over them (kept: the effector decides)."""
    await session.execute(delete(CaldavBusy).where(CaldavBusy.effector_id == effector_id))
    session.add_all(CaldavBusy(effector_id=effector_id, start_at=s, end_at=e) for s, e in busy)
    if not busy:
        return 0, []
    overlaps = or_(*(and_(Slot.start_at < e, Slot.end_at > s) for s, e in busy))
    withdrawn = await delete_slots(
        session,
        Slot.effector_id == effector_id,
        Slot.status == "free",
        Slot.start_at >= now,
        overlaps,
    )
    booked = await session.scalars(
        select(Appointment)
        .where(
            Appointment.effector_id == effector_id,
            Appointment.status == AppointmentStatus.BOOKED,
            Appointment.end_at > now,
            or_(*(and_(Appointment.start_at < e, Appointment.end_at > s) for s, e in busy)),
        )
        .order_by(Appointment.start_at)
    )
    conflicts = [Conflict(a.id, a.start_at, a.end_at) for a in booked]
    return withdrawn, conflicts


async def sync_link(
    session: AsyncSession,
    link: CaldavLink,
    *,
    options: CaldavOptions,
    now: datetime | None = None,
) -> SyncReport:
    """Synchronise one calendar; raises `CaldavRejected` (French reason, also kept in
    `last_error`) when the server cannot be used, leaving the slots as they were.

    Nothing is written to the database before the server has answered: a slow server never
    holds a lock a booking would wait for."""
    now = now or utcnow()
    start, end = now, now + timedelta(days=options.horizon_days)
    try:
        await _check_host(link.url, options)
        password = decrypt_password(link.password_encrypted, options.key)
        # Writing switched off: the events we wrote earlier are removed (none wanted).
        wanted = (
            await _events_wanted(session, link.effector_id, options.key, now, end)
            if link.write_bookings
            else []
        )
        exchanged = await asyncio.wait_for(
            asyncio.to_thread(
                _exchange,
                link.url,
                link.username,
                password,
                options.timeout_seconds,
                start,
                end,
                wanted,
            ),
            timeout=options.timeout_seconds * 3,
        )
    except Exception as exc:
        if not isinstance(exc, DomainError | caldav_error.DAVError):
            log.warning("CalDAV sync of effector %d failed: %s", link.effector_id, type(exc))
        link.last_synced_at = now
        link.last_error = _reason(exc)[:500]
        await session.flush()
        raise CaldavRejected(link.last_error) from None
    link.last_synced_at = now
    withdrawn, conflicts = await apply_busy(session, link.effector_id, exchanged.busy, now=now)
    link.last_error = None
    await session.flush()
    return SyncReport(
        len(exchanged.busy), withdrawn, exchanged.written, conflicts, exchanged.removed
    )


async def sync_due(
    session: AsyncSession, *, options: CaldavOptions, now: datetime | None = None, limit: int = 50
) -> tuple[int, int]:
    """The scheduled job: synchronise the calendars due (oldest first, `limit` per run);
    returns (synchronised, failed). One failing calendar never stops the others."""
    now = now or utcnow()
    due_before = now - timedelta(minutes=options.refresh_minutes)
    links = list(
        await session.scalars(
            select(CaldavLink)
            .join(Effector, Effector.id == CaldavLink.effector_id)
            .where(
                Effector.active,
                or_(CaldavLink.last_synced_at.is_(None), CaldavLink.last_synced_at <= due_before),
            )
            .order_by(CaldavLink.last_synced_at.is_not(None), CaldavLink.last_synced_at)
            .limit(limit)
        )
    )
    return await _sync_each(session, links, options=options, now=now)


async def push_changed(
    session: AsyncSession, *, options: CaldavOptions, now: datetime | None = None, limit: int = 50
) -> tuple[int, int]:
    """The quick job: synchronise at once the calendars written to whose appointments changed
    since their last sync (booked, moved, cancelled, sent back to the queue, outcome recorded);
    returns (synchronised, failed). A calendar that failed waits for the scheduled run."""
    now = now or utcnow()
    latest_change = (
        select(func.max(Appointment.updated_at))
        .where(Appointment.effector_id == CaldavLink.effector_id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(CaldavLink, latest_change)
        .join(Effector, Effector.id == CaldavLink.effector_id)
        .where(
            Effector.active,
            CaldavLink.write_bookings,
            CaldavLink.last_error.is_(None),
            CaldavLink.last_synced_at.is_not(None),
        )
        .order_by(CaldavLink.last_synced_at)
    )
    links = [
        link
        for link, changed_at in rows
        if changed_at is not None
        and link.last_synced_at is not None
        and changed_at > link.last_synced_at - _PUSH_MARGIN
    ][:limit]
    return await _sync_each(session, links, options=options, now=now)


async def _sync_each(
    session: AsyncSession, links: Sequence[CaldavLink], *, options: CaldavOptions, now: datetime
) -> tuple[int, int]:
    done = failed = 0
    for link in links:
        try:
            await sync_link(session, link, options=options, now=now)
            done += 1
        except DomainError:
            failed += 1
    return done, failed


# --- What the API calls --------------------------------------------------------------------------


async def link_of(session: AsyncSession, effector_id: int) -> CaldavLink | None:
    found: CaldavLink | None = await session.scalar(
        select(CaldavLink).where(CaldavLink.effector_id == effector_id)
    )
    return found


async def connect(
    session: AsyncSession,
    actor: Actor,
    *,
    url: str,
    username: str,
    password: str,
    write_bookings: bool,
    options: CaldavOptions,
    effector_id: int | None = None,
    now: datetime | None = None,
) -> tuple[CaldavLink, SyncReport]:
    """Connect (or replace) the effector's calendar; it is synchronised at once and refused,
    with nothing stored, when the server does not accept it."""
    effector = await managed_effector(session, actor, effector_id)
    link = await link_of(session, effector.id)
    if link is None:
        link = CaldavLink(effector_id=effector.id)
        session.add(link)
    link.url = url.strip()
    link.username = username.strip()
    link.password_encrypted = encrypt_password(password, options.key)
    link.write_bookings = write_bookings
    # A refused calendar raises: the request's transaction is rolled back, nothing is stored.
    report = await sync_link(session, link, options=options, now=now)
    await audit.record(session, actor, "connect", "caldav", effector.id, "calendar")
    return link, report


async def sync_now(
    session: AsyncSession,
    actor: Actor,
    *,
    options: CaldavOptions,
    effector_id: int | None = None,
    now: datetime | None = None,
) -> tuple[CaldavLink, SyncReport | None]:
    """Synchronise on demand; a failure is kept in `last_error` (no report) and the slots
    stay as they were."""
    link = await connected_link(session, actor, effector_id)
    try:
        return link, await sync_link(session, link, options=options, now=now)
    except CaldavRejected:
        return link, None


async def connected_link(
    session: AsyncSession, actor: Actor, effector_id: int | None = None
) -> CaldavLink:
    effector = await managed_effector(session, actor, effector_id)
    link = await link_of(session, effector.id)
    if link is None:
        raise NotFound(NOT_CONNECTED)
    return link


def _remove_own_events(url: str, username: str, password: str, timeout: float) -> int:
    with caldav.DAVClient(
        url=url, username=username, password=password, timeout=int(max(1, timeout))
    ) as client:
        calendar = client.calendar(url=url)  # type: ignore[no-untyped-call]
        return _reconcile(calendar, [])[1]


async def remove_written_events(link: CaldavLink, *, options: CaldavOptions) -> bool:
    """Best effort: delete the events this platform wrote to the calendar (never the others);
    False when the server could not be used (they stay there)."""
    try:
        await _check_host(link.url, options)
        password = decrypt_password(link.password_encrypted, options.key)
        await asyncio.wait_for(
            asyncio.to_thread(
                _remove_own_events, link.url, link.username, password, options.timeout_seconds
            ),
            timeout=options.timeout_seconds * 3,
        )
    except Exception as exc:
        log.warning("CalDAV clean-up of effector %d failed: %s", link.effector_id, type(exc))
        return False
    return True


async def disconnect(
    session: AsyncSession,
    actor: Actor,
    effector_id: int | None = None,
    *,
    options: CaldavOptions | None = None,
) -> None:
    """Forget the calendar; with `options`, the events we wrote to it are removed first (best
    effort: a server that does not answer never prevents disconnecting)."""
    effector = await managed_effector(session, actor, effector_id)
    link = await link_of(session, effector.id)
    if link is not None and options is not None:
        await remove_written_events(link, options=options)
    await session.execute(delete(CaldavBusy).where(CaldavBusy.effector_id == effector.id))
    await session.execute(delete(CaldavLink).where(CaldavLink.effector_id == effector.id))
    await audit.record(session, actor, "disconnect", "caldav", effector.id, "calendar")
