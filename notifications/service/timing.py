"""When an SMS goes out, and how times read in it (Europe/Paris, French style).

Quiet hours (settings `sms_quiet_hours_start`/`_end`, default 20:00-08:00 Europe/Paris): an SMS
to an effector written during them waits until they end, except when it concerns an appointment
on the same day (Paris date) or before the quiet hours end, which the effector must know now.
Patients' messages are not delayed: they follow from a call the patient has just made.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from snp.kit import PARIS

_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
REMINDER_MIN_LEAD = timedelta(minutes=30)


def paris_date(moment: datetime) -> str:
    """`mar. 24/11`"""
    local = moment.astimezone(PARIS)
    return f"{_WEEKDAYS[local.weekday()]} {local:%d/%m}"


def paris_time(moment: datetime) -> str:
    """`14h30`"""
    return f"{moment.astimezone(PARIS):%H}h{moment.astimezone(PARIS):%M}"


def paris_day(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


def quiet_until(now: datetime, start: time, end: time) -> datetime | None:
    """The end (UTC) of the quiet period `now` falls in; None outside quiet hours (or when
    start == end: no quiet hours)."""
    if start == end:
        return None
    local = now.astimezone(PARIS)
    clock = local.time()
    if start < end:  # e.g. 12:00-14:00, within one day
        if not start <= clock < end:
            return None
        end_day = local.date()
    else:  # e.g. 20:00-08:00, across midnight
        if end <= clock < start:
            return None
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=PARIS).astimezone(UTC)


def effector_send_at(
    now: datetime, appointment_start: datetime, start: time, end: time
) -> datetime:
    """When to send an effector an SMS about an appointment starting at `appointment_start`."""
    until = quiet_until(now, start, end)
    if until is None:
        return now
    if paris_day(appointment_start) == paris_day(now) or appointment_start <= until:
        return now  # same-day appointment: they must know at once
    return until


def reminder_at(appointment_start: datetime, minutes_before: int, now: datetime) -> datetime | None:
    """When to remind the patient; None when reminders are off or the appointment is too close
    (the confirmation just sent is reminder enough)."""
    if minutes_before <= 0:
        return None
    at = appointment_start - timedelta(minutes=minutes_before)
    return at if at >= now + REMINDER_MIN_LEAD else None
