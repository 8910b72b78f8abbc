"""Build small ICS calendars for the tests, the way calendar apps write them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def ics_time(value: datetime) -> str:
    """`;TZID=Europe/Paris:20301015T140000` for aware Paris times, `:...Z` for UTC ones,
    and a floating `:20301015T140000` for naive ones."""
    if value.tzinfo is None:
        return f":{value:%Y%m%dT%H%M%S}"
    if value.utcoffset() == UTC.utcoffset(None):
        return f":{value:%Y%m%dT%H%M%S}Z"
    return f";TZID=Europe/Paris:{value:%Y%m%dT%H%M%S}"


def event(
    uid: str,
    start: datetime,
    end: datetime,
    summary: str = "Disponibilité SNP",
    *lines: str,
) -> str:
    body = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20300101T000000Z",
        f"DTSTART{ics_time(start)}",
        f"DTEND{ics_time(end)}",
        f"SUMMARY:{summary}",
        *lines,
        "END:VEVENT",
    ]
    return "\r\n".join(body)


def calendar(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//Agenda//FR", *events]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


def all_day_event(uid: str, first: date, days: int = 1, summary: str = "Garde SNP") -> str:
    """An all-day event (DTSTART;VALUE=DATE, DTEND exclusive) over `days` days."""
    end = first + timedelta(days=days)
    body = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20300101T000000Z",
        f"DTSTART;VALUE=DATE:{first:%Y%m%d}",
        f"DTEND;VALUE=DATE:{end:%Y%m%d}",
        f"SUMMARY:{summary}",
        "END:VEVENT",
    ]
    return "\r\n".join(body)
