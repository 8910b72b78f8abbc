"""The one time zone people read: times are stored in UTC and shown in Europe/Paris."""

from __future__ import annotations

from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
