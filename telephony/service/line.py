"""The phone line's provider behind one small interface, chosen by the setting `voice_backend`.

- `connect`: a caller waiting in the queue is taken out of it and dialled through to the
  operator's phone (the queued call is updated with `<Dial>` TwiML through the REST API).
- `call_back`: "Rappeler": the operator's phone rings first; once they answer, the line says so
  and dials the patient with the CPTS number as caller ID; the `<Dial>` action reports how the
  patient's side ended.

The console backend (demo, no provider) accepts everything: the demo page then plays the
provider's part (the patient answers, is busy, hangs up).
"""

from __future__ import annotations

import uuid
from typing import Protocol

from twilio.rest import Client
from twilio.twiml.voice_response import Dial, VoiceResponse

from snp.settings import Settings
from snp.twilio import TwilioHttpClient
from telephony.errors import LineUnavailable
from telephony.service.voice_texts import render

LANGUAGE = "fr-FR"
DIAL_TIMEOUT_SECONDS = 25


def dial_target(dial: Dial, target: str) -> None:
    """A SIP address (`sip:...`) or a phone number."""
    if target.startswith("sip:"):
        dial.sip(target)
    else:
        dial.number(target)


def webhook_url(settings: Settings, path: str) -> str:
    return settings.public_base_url.rstrip("/") + path


class VoiceLine(Protocol):
    name: str

    async def connect(self, call_sid: str, target: str, *, call_id: int) -> None: ...

    async def call_back(self, operator_target: str, patient: str, *, call_id: int) -> str: ...


class ConsoleLine:
    name = "console"

    async def connect(self, call_sid: str, target: str, *, call_id: int) -> None:
        return None

    async def call_back(self, operator_target: str, patient: str, *, call_id: int) -> str:
        return f"console-{uuid.uuid4().hex}"


class TwilioLine:
    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _client(self) -> tuple[Client, TwilioHttpClient]:
        settings = self.settings
        http = TwilioHttpClient(
            settings.twilio_base_url, settings.twilio_timeout_seconds, pool_connections=False
        )
        client = Client(
            username=settings.twilio_account_sid,
            password=settings.twilio_auth_token.get_secret_value(),
            account_sid=settings.twilio_account_sid,
            http_client=http,
        )
        return client, http

    def connect_twiml(self, target: str, call_id: int) -> str:
        response = VoiceResponse()
        dial = Dial(
            action=webhook_url(self.settings, f"/api/voice/twilio/dial-result?call={call_id}"),
            timeout=DIAL_TIMEOUT_SECONDS,
        )
        dial_target(dial, target)
        response.append(dial)
        return str(response)

    def call_back_twiml(self, patient: str, call_id: int) -> str:
        settings = self.settings
        response = VoiceResponse()
        response.say(render("rappel_operateur", settings.voice_templates_dir), language=LANGUAGE)
        dial = Dial(
            caller_id=settings.voice_number,
            action=webhook_url(settings, f"/api/voice/twilio/callback-result?call={call_id}"),
            timeout=DIAL_TIMEOUT_SECONDS,
        )
        dial.number(patient)
        response.append(dial)
        return str(response)

    async def connect(self, call_sid: str, target: str, *, call_id: int) -> None:
        client, http = self._client()
        try:
            await client.calls(call_sid).update_async(twiml=self.connect_twiml(target, call_id))
        except Exception as exc:
            raise LineUnavailable(
                "La ligne n'a pas pu transférer l'appel : réessayez.", ("call_id",)
            ) from exc
        finally:
            await http.close()

    async def call_back(self, operator_target: str, patient: str, *, call_id: int) -> str:
        settings = self.settings
        client, http = self._client()
        try:
            call = await client.calls.create_async(
                to=operator_target,
                from_=settings.voice_number,
                twiml=self.call_back_twiml(patient, call_id),
                status_callback=webhook_url(settings, f"/api/voice/twilio/status?call={call_id}"),
            )
        except Exception as exc:
            raise LineUnavailable(
                "La ligne n'a pas pu lancer le rappel : réessayez.", ("request_id",)
            ) from exc
        finally:
            await http.close()
        return str(call.sid)


def line_for(settings: Settings) -> VoiceLine:
    if settings.voice_backend == "twilio":
        return TwilioLine(settings)
    return ConsoleLine()
