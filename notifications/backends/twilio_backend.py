"""Twilio Messages API through the official `twilio` SDK (its asynchronous HTTP client).

The SDK always builds `https://api.twilio.com/...` URLs; `TwilioHttpClient` rewrites that
prefix to the setting `twilio_base_url`, so tests drive the real SDK against a local fake
server. It also applies the timeout (the SDK's async client would otherwise wait indefinitely)
and never logs requests: their query strings may carry phone numbers.

Errors are sorted for the dispatcher: HTTP 429, 5xx, timeouts and network failures are
transient; Twilio error codes meaning the recipient cannot receive SMS (invalid number, not a
mobile, opted out, unreachable destination) make the message undeliverable; other 4xx errors
(authentication, sender, parameters) are configuration failures that no retry will cure.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from notifications.backends.base import OutgoingSms, SendError
from snp.settings import Settings
from snp.twilio import TWILIO_API, TwilioHttpClient, close_http

log = logging.getLogger(__name__)

STATUS_CALLBACK_PATH = "/api/notifications/twilio/status"

# Twilio error codes meaning this recipient cannot receive the message: no retry will help.
UNDELIVERABLE_CODES = frozenset(
    {
        21211,  # invalid 'To' phone number
        21214,  # 'To' number cannot be reached
        21217,  # phone number does not appear to be valid
        21401,  # invalid phone number
        21407,  # this phone number type does not support SMS
        21408,  # permission to send to this region is not enabled
        21610,  # attempt to send to an unsubscribed recipient (answered STOP)
        21612,  # the 'To' number is not currently reachable
        21614,  # 'To' number is not a valid mobile number
        21635,  # 'To' number cannot receive messages (landline)
        30003,  # unreachable destination handset
        30004,  # message blocked
        30005,  # unknown destination handset
        30006,  # landline or unreachable carrier
    }
)


def classify(exc: BaseException) -> SendError:
    """The dispatcher's view of what went wrong with a Twilio call."""
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, TwilioRestException):
        status = int(exc.status or 0)
        code = int(exc.code) if exc.code else None
        detail = str(exc.msg or "")[:200]
        if status == 429 or status >= 500:
            return SendError(f"http_{status}", detail, transient=True)
        if code is not None and code in UNDELIVERABLE_CODES:
            return SendError(str(code), detail, transient=False, undeliverable=True)
        return SendError(str(code or f"http_{status}"), detail, transient=False)
    if isinstance(exc, aiohttp.ClientConnectorError):  # the request never left
        return SendError("network", type(exc).__name__, transient=True)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError):
        return SendError("timeout", "no answer in time", transient=True, in_doubt=True)
    if isinstance(exc, aiohttp.ClientError | OSError):
        return SendError("network", type(exc).__name__, transient=True, in_doubt=True)
    return SendError("error", type(exc).__name__, transient=True, in_doubt=True)


class TwilioBackend:
    name = "twilio"

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str = "",
        messaging_service_sid: str = "",
        base_url: str = TWILIO_API,
        timeout: float = 10.0,
        public_base_url: str = "",
    ) -> None:
        if not account_sid or not auth_token:
            raise ValueError("SNP_TWILIO_ACCOUNT_SID and SNP_TWILIO_AUTH_TOKEN are required")
        if not from_number and not messaging_service_sid:
            raise ValueError(
                "SNP_TWILIO_FROM_NUMBER or SNP_TWILIO_MESSAGING_SERVICE_SID is required"
            )
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.base_url = base_url
        self.timeout = timeout
        self.status_callback = (
            public_base_url.rstrip("/") + STATUS_CALLBACK_PATH if public_base_url else ""
        )
        self._client: Client | None = None
        self._http: TwilioHttpClient | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> TwilioBackend:
        return cls(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token.get_secret_value(),
            from_number=settings.twilio_from_number,
            messaging_service_sid=settings.twilio_messaging_service_sid,
            base_url=settings.twilio_base_url,
            timeout=settings.twilio_timeout_seconds,
            public_base_url=settings.public_base_url,
        )

    def client(self) -> Client:
        """The SDK client, built on first use inside the running event loop (aiohttp's
        connection pool belongs to one loop), on this backend's own pooled HTTP client: the
        dispatcher's parallel sends never wait behind the phone line's, and closing it closes
        nobody else's."""
        if self._client is None:
            self._http = TwilioHttpClient(self.base_url, self.timeout)
            self._client = Client(
                username=self.account_sid,
                password=self.auth_token,
                account_sid=self.account_sid,
                http_client=self._http,
            )
        return self._client

    async def send(self, sms: OutgoingSms) -> str:
        options: dict[str, Any] = {"to": sms.to, "body": sms.body}
        if self.messaging_service_sid:
            options["messaging_service_sid"] = self.messaging_service_sid
        if self.from_number:
            options["from_"] = self.from_number
        if self.status_callback:
            # Our id in the URL: a delivery report finds its row even before the sid is stored.
            options["status_callback"] = f"{self.status_callback}?m={sms.outbox_id}"
        try:
            message = await self.client().messages.create_async(**options)
        except Exception as exc:
            raise classify(exc) from exc
        return str(message.sid)

    async def find_sent(self, sms: OutgoingSms) -> str | None:
        """Twilio has no idempotency key for Messages: look for a message to the same number
        with the same text, created since the row was (Twilio lists newest first)."""
        since = sms.created_at - timedelta(minutes=5)  # clock skew between us and Twilio
        try:
            recent = await self.client().messages.list_async(to=sms.to, limit=50)
        except Exception as exc:
            raise classify(exc) from exc
        for message in recent:
            created = message.date_created
            if message.body == sms.body and (created is None or created >= since):
                return str(message.sid)
        return None

    async def aclose(self) -> None:
        http, self._http, self._client = self._http, None, None
        if http is not None:
            await close_http(http)
