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

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from twilio.twiml.voice_response import Dial, VoiceResponse

from snp.settings import Settings
from snp.twilio import shared_http
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


def why_not(exc: BaseException) -> str:
    """Why the provider's REST call failed, said to the operator."""
    if isinstance(exc, TimeoutError):
        return "Twilio n'a pas répondu à temps"
    if isinstance(exc, TwilioRestException):
        return f"Twilio a refusé la demande (erreur {exc.code or exc.status})"
    return "Twilio est injoignable"


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

    def _client(self) -> Client:
        """The SDK's client on the process's pooled HTTP client (`snp.twilio.shared_http`):
        no new connection, nor TLS handshake, per REST call."""
        settings = self.settings
        return Client(
            username=settings.twilio_account_sid,
            password=settings.twilio_auth_token.get_secret_value(),
            account_sid=settings.twilio_account_sid,
            http_client=shared_http(settings.twilio_base_url, settings.twilio_timeout_seconds),
        )

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
        try:
            await (
                self._client()
                .calls(call_sid)
                .update_async(twiml=self.connect_twiml(target, call_id))
            )
        except Exception as exc:
            raise LineUnavailable(
                f"{why_not(exc)} : l'appel n'a pas été transféré, il reste en attente.",
                ("path", "call_id"),
            ) from exc

    async def call_back(self, operator_target: str, patient: str, *, call_id: int) -> str:
        settings = self.settings
        try:
            call = await self._client().calls.create_async(
                to=operator_target,
                from_=settings.voice_number,
                twiml=self.call_back_twiml(patient, call_id),
                status_callback=webhook_url(settings, f"/api/voice/twilio/status?call={call_id}"),
            )
        except Exception as exc:
            raise LineUnavailable(
                f"{why_not(exc)} : le rappel n'a pas été lancé, réessayez.", ("body", "request_id")
            ) from exc
        return str(call.sid)


def line_for(settings: Settings) -> VoiceLine:
    if settings.voice_backend == "twilio":
        return TwilioLine(settings)
    return ConsoleLine()
