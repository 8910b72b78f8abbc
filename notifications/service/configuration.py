"""Checks run when the app starts, so a broken setup stops the start with a clear message
instead of failing the first booking."""

from __future__ import annotations

from notifications.backends.twilio_backend import TwilioBackend
from notifications.service import templates
from snp.settings import Settings


def check_configuration(settings: Settings) -> None:
    """Every template checked (`TemplateError` lists the problems) and, with the Twilio backend,
    its settings complete (`ValueError`)."""
    templates.cached(settings.sms_templates_dir)
    if settings.sms_backend == "twilio":
        TwilioBackend.from_settings(settings)  # nothing to close: no connection before a send
