"""SMS providers behind one small interface, chosen by the setting `sms_backend`.

A backend sends one SMS and returns the provider's id for it, or raises `SendError` saying
whether trying again may help (`transient`) and whether the provider may have accepted the
message anyway (`in_doubt`, e.g. a timeout after the request left). `find_sent` looks a
message up at the provider, so a dispatcher that lost track of a send (crash, timeout) never
sends it twice.
"""

from __future__ import annotations

from notifications.backends.base import Backend, OutgoingSms, SendError
from notifications.backends.console import ConsoleBackend
from notifications.backends.twilio_backend import TwilioBackend
from snp.identifiers import parse_phone
from snp.settings import Settings

__all__ = [
    "Backend",
    "ConsoleBackend",
    "OutgoingSms",
    "SendError",
    "TwilioBackend",
    "build",
    "close_shared",
    "shared",
]


def build(settings: Settings) -> Backend:
    """A new backend for `settings` (the caller closes it)."""
    if settings.sms_backend == "twilio":
        return TwilioBackend.from_settings(settings)
    return ConsoleBackend(console_undeliverable(settings))


def console_undeliverable(settings: Settings) -> frozenset[str]:
    """The numbers the console backend refuses (setting `sms_console_undeliverable`), in E.164."""
    numbers: set[str] = set()
    for raw in settings.sms_console_undeliverable.split(","):
        if raw.strip():
            try:
                numbers.add(parse_phone(raw.strip()))
            except ValueError:
                continue
    return frozenset(numbers)


_shared: dict[tuple[object, ...], Backend] = {}


def _fingerprint(settings: Settings) -> tuple[object, ...]:
    return (
        settings.sms_backend,
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        settings.twilio_from_number,
        settings.twilio_messaging_service_sid,
        settings.twilio_base_url,
        settings.twilio_timeout_seconds,
        settings.public_base_url,
        settings.sms_console_undeliverable,
    )


def shared(settings: Settings) -> Backend:
    """The process's backend for `settings` (the scheduled dispatcher's), built once."""
    key = _fingerprint(settings)
    backend = _shared.get(key)
    if backend is None:
        backend = _shared[key] = build(settings)
    return backend


async def close_shared() -> None:
    """Close every shared backend (the app's shutdown)."""
    backends = list(_shared.values())
    _shared.clear()
    for backend in backends:
        await backend.aclose()
