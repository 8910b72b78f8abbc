"""A real Radicale CalDAV server on 127.0.0.1 for the tests (one user, one calendar)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import caldav
import icalendar

from tests.support.postgres import free_port

USER = "dr.martin"
PASSWORD = "mot-de-passe-application"


@dataclass(frozen=True)
class Radicale:
    base: str
    calendar_url: str

    def client(self) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.calendar_url, username=USER, password=PASSWORD)

    def calendar(self) -> caldav.Calendar:
        calendar: caldav.Calendar = self.client().calendar(url=self.calendar_url)  # type: ignore[no-untyped-call]
        return calendar


def _wait_listening(port: int) -> None:
    for _ in range(100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("Radicale did not start")


@contextmanager
def running_radicale(root: Path) -> Iterator[Radicale]:
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(root / "collections"),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(root / "users"),
            "--auth-htpasswd-encryption",
            "plain",
            # Radicale waits about a second after a refused login, and the caldav client's first
            # request of each connection goes without credentials: 0.5-1 s a connection.
            "--auth-delay",
            "0",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_listening(port)
        base = f"http://127.0.0.1:{port}"
        calendar_url = f"{base}/{USER}/snp/"
        client = caldav.DAVClient(url=base, username=USER, password=PASSWORD)
        client.principal().make_calendar(name="SNP", cal_id="snp")  # type: ignore[no-untyped-call]
        yield Radicale(base, calendar_url)
    finally:
        process.terminate()
        process.wait(timeout=10)


def event_ical(*, uid: str, dtstart: datetime, dtend: datetime, summary: str) -> str:
    """One busy VEVENT as iCalendar text (what a GP's calendar application would store)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//tests//radicale//FR")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", dtstart)
    event.add("dtend", dtend)
    event.add("summary", summary)
    cal.add_component(event)
    return str(cal.to_ical().decode())
