"""Opening hours of the line (Europe/Paris), from the settings."""

from __future__ import annotations

from datetime import datetime

from snp.kit import PARIS
from snp.settings import Settings

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def is_open(settings: Settings, now: datetime) -> bool:
    local = now.astimezone(PARIS)
    if local.isoweekday() not in settings.voice_open_days:
        return False
    return settings.voice_opens_at <= local.time().replace(tzinfo=None) < settings.voice_closes_at


def _spoken_time(value: object) -> str:
    hour, minute = getattr(value, "hour", 0), getattr(value, "minute", 0)
    return f"{hour} heures" + (f" {minute}" if minute else "")


def spoken_hours(settings: Settings) -> str:
    """`du lundi au samedi, de 8 heures à 20 heures`, as the line says it."""
    days = sorted(set(settings.voice_open_days))
    if not days:
        return "sur rendez-vous uniquement"
    names = [DAY_NAMES[day - 1] for day in days if 1 <= day <= 7]
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        day_text = f"du {names[0]} au {names[-1]}"
    elif len(names) == 1:
        day_text = f"le {names[0]}"
    else:
        day_text = "les " + ", ".join(names[:-1]) + " et " + names[-1]
    opens, closes = _spoken_time(settings.voice_opens_at), _spoken_time(settings.voice_closes_at)
    return f"{day_text}, de {opens} à {closes}"
