"""The TwiML the line answers with (the SDK's `VoiceResponse`): French speech, never a recording,
never a clinical word. Every message starts with, or includes, "life in danger: dial 15"."""

from __future__ import annotations

from twilio.twiml.voice_response import VoiceResponse

from snp.settings import Settings
from telephony.service import hours
from telephony.service.line import LANGUAGE, webhook_url
from telephony.service.voice_texts import render

WAIT_PATH = "/api/voice/twilio/wait"
QUEUE_RESULT_PATH = "/api/voice/twilio/queue-result"


def _say(response: VoiceResponse, settings: Settings, text_id: str, **values: object) -> None:
    response.say(render(text_id, settings.voice_templates_dir, **values), language=LANGUAGE)


def queued(settings: Settings, call_id: int) -> str:
    """Greeting, then the CPTS queue (its wait URL plays position messages and music)."""
    response = VoiceResponse()
    _say(response, settings, "accueil")
    response.enqueue(
        settings.voice_queue_name,
        wait_url=webhook_url(settings, f"{WAIT_PATH}?call={call_id}"),
        wait_url_method="POST",
        action=webhook_url(settings, f"{QUEUE_RESULT_PATH}?call={call_id}"),
        method="POST",
    )
    return str(response)


def out_of_hours(settings: Settings) -> str:
    response = VoiceResponse()
    _say(response, settings, "hors_horaires", horaires=hours.spoken_hours(settings))
    response.hangup()
    return str(response)


def no_operator(settings: Settings) -> str:
    response = VoiceResponse()
    _say(response, settings, "aucun_operateur")
    response.hangup()
    return str(response)


def operator_unreachable(settings: Settings) -> str:
    response = VoiceResponse()
    _say(response, settings, "indisponible")
    response.hangup()
    return str(response)


def waiting(settings: Settings, position: int) -> str:
    """Played in a loop while the caller waits: their position, then the music."""
    response = VoiceResponse()
    _say(response, settings, "attente", position=position)
    if settings.voice_wait_music_url:
        response.play(settings.voice_wait_music_url)
    else:
        response.pause(length=20)
    return str(response)


def hang_up() -> str:
    response = VoiceResponse()
    response.hangup()
    return str(response)


def empty() -> str:
    return str(VoiceResponse())
