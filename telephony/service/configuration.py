"""What the line needs to start: every voice text valid and, on Twilio, its settings complete."""

from __future__ import annotations

from snp.settings import Settings
from telephony.service.voice_texts import load_texts


def check_configuration(settings: Settings) -> None:
    """`VoiceTextError` lists the problems of the texts; `ValueError` names a missing setting."""
    load_texts(settings.voice_templates_dir)
    if settings.voice_opens_at >= settings.voice_closes_at:
        raise ValueError("SNP_VOICE_OPENS_AT must be before SNP_VOICE_CLOSES_AT")
    if settings.voice_backend != "twilio":
        return
    missing = [
        name
        for name, value in (
            ("SNP_TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
            ("SNP_TWILIO_AUTH_TOKEN", settings.twilio_auth_token.get_secret_value()),
            ("SNP_VOICE_NUMBER", settings.voice_number),
        )
        if not value
    ]
    if missing:
        raise ValueError(f"SNP_VOICE_BACKEND=twilio requires {', '.join(missing)}")
