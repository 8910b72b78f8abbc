"""A fake Twilio REST API on 127.0.0.1, driven by the real `twilio` SDK in tests and benchmarks.

It implements what the platform uses: `POST /2010-04-01/Accounts/{sid}/Messages.json` (checks
basic auth, records the message, answers Twilio-shaped JSON) and `GET` on the same path (the
newest messages, filtered by `To`). Failures and latency can be injected per call (`plan`) or at
random (`failure_rate`), and delivery reports and inbound SMS are posted to our webhooks signed
with Twilio's algorithm (`RequestValidator.compute_signature`).

A message is recorded *before* the injected latency: a client that gives up (timeout) or dies
while waiting leaves a message Twilio did accept, the case the dispatcher's look-up covers.
"""

from __future__ import annotations

import asyncio
import base64
import random
import socket
import uuid
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx
from aiohttp import web
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-auth-token-for-tests"
FROM_NUMBER = "+33757000000"


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What the next create call does: `ok`, `error` (HTTP status + Twilio code), `hang`
    (never answers before the client's timeout; `accept` says whether the message was taken)."""

    kind: str = "ok"
    status: int = 201
    code: int | None = None
    latency: float = 0.0
    accept: bool = False


OK = Behaviour()


def error(status: int, code: int | None = None) -> Behaviour:
    return Behaviour("error", status, code)


def hang(*, accept: bool, seconds: float = 30.0) -> Behaviour:
    return Behaviour("hang", latency=seconds, accept=accept)


@dataclass
class FakeMessage:
    sid: str
    to: str
    body: str
    from_: str | None
    messaging_service_sid: str | None
    status_callback: str | None
    date_created: datetime
    status: str = "queued"

    def as_json(self, account_sid: str) -> dict[str, Any]:
        stamp = format_datetime(self.date_created, usegmt=True)
        uri = f"/2010-04-01/Accounts/{account_sid}/Messages/{self.sid}.json"
        return {
            "account_sid": account_sid,
            "api_version": "2010-04-01",
            "body": self.body,
            "date_created": stamp,
            "date_sent": None,
            "date_updated": stamp,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": self.messaging_service_sid,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "EUR",
            "sid": self.sid,
            "status": self.status,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": self.to,
            "uri": uri,
        }


@dataclass
class FakeTwilio:
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    # Posts delivery reports and inbound SMS (an httpx client on the app's ASGI transport).
    webhook_client: httpx.AsyncClient | None = None
    failure_rate: float = 0.0  # random transient failures (500, 503 or 429) among create calls
    latency: float = 0.0
    seed: int = 1
    messages: list[FakeMessage] = field(default_factory=list)
    plan: deque[Behaviour] = field(default_factory=deque)
    create_calls: int = 0
    list_calls: int = 0
    failures: Counter[int] = field(default_factory=Counter)
    url: str = ""

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._runner: web.AppRunner | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        path = "/2010-04-01/Accounts/{account}/Messages.json"
        app.router.add_post(path, self._create)
        app.router.add_get(path, self._list)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        site = web.SockSite(self._runner, sock)
        await site.start()
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- what was sent -------------------------------------------------------------------------

    def sent_to(self, phone: str) -> list[FakeMessage]:
        return [m for m in self.messages if m.to == phone]

    def duplicates(self) -> list[tuple[str, str]]:
        """(to, body) pairs the fake received more than once."""
        counts = Counter((m.to, m.body) for m in self.messages)
        return [pair for pair, n in counts.items() if n > 1]

    def by_sid(self, sid: str) -> FakeMessage:
        return next(m for m in self.messages if m.sid == sid)

    # -- the API -------------------------------------------------------------------------------

    def _authorised(self, request: web.Request, account: str) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return account == self.account_sid and request.headers.get("Authorization") == (
            f"Basic {expected}"
        )

    @staticmethod
    def _error(status: int, code: int | None, message: str) -> web.Response:
        return web.json_response(
            {
                "code": code,
                "message": message,
                "more_info": f"https://www.twilio.com/docs/errors/{code}",
                "status": status,
            },
            status=status,
        )

    def _next_behaviour(self) -> Behaviour:
        if self.plan:
            return self.plan.popleft()
        if self.failure_rate and self._rng.random() < self.failure_rate:
            return error(self._rng.choice([500, 503, 429]))
        return Behaviour(latency=self.latency)

    async def _create(self, request: web.Request) -> web.Response:
        self.create_calls += 1
        if not self._authorised(request, request.match_info["account"]):
            return self._error(401, 20003, "Authenticate")
        form = await request.post()
        behaviour = self._next_behaviour()
        if behaviour.kind == "error":
            self.failures[behaviour.status] += 1
            return self._error(behaviour.status, behaviour.code, "Injected failure")
        to, body = str(form.get("To", "")), str(form.get("Body", ""))
        if not to or not body:
            return self._error(400, 21604, "A 'To' phone number is required.")
        message = None
        if behaviour.kind == "ok" or behaviour.accept:
            message = FakeMessage(
                sid="SM" + uuid.uuid4().hex,
                to=to,
                body=body,
                from_=str(form["From"]) if "From" in form else None,
                messaging_service_sid=(
                    str(form["MessagingServiceSid"]) if "MessagingServiceSid" in form else None
                ),
                status_callback=str(form["StatusCallback"]) if "StatusCallback" in form else None,
                date_created=datetime.now(UTC).replace(microsecond=0),
            )
            self.messages.append(message)
        if behaviour.latency:
            await asyncio.sleep(behaviour.latency)
        if message is None:
            return self._error(503, None, "Service Unavailable")
        return web.json_response(message.as_json(self.account_sid), status=201)

    async def _list(self, request: web.Request) -> web.Response:
        self.list_calls += 1
        if not self._authorised(request, request.match_info["account"]):
            return self._error(401, 20003, "Authenticate")
        to = request.query.get("To")
        size = int(request.query.get("PageSize", "50"))
        found = [m for m in reversed(self.messages) if to is None or m.to == to][:size]
        uri = request.path
        return web.json_response(
            {
                "messages": [m.as_json(self.account_sid) for m in found],
                "end": max(0, len(found) - 1),
                "first_page_uri": f"{uri}?PageSize={size}&Page=0",
                "next_page_uri": None,
                "page": 0,
                "page_size": size,
                "previous_page_uri": None,
                "start": 0,
                "uri": f"{uri}?PageSize={size}&Page=0",
            }
        )

    # -- webhooks Twilio would call ------------------------------------------------------------

    def sign(self, url: str, params: Mapping[str, str], token: str | None = None) -> str:
        validator = RequestValidator(token or self.auth_token)
        return str(validator.compute_signature(url, dict(params)))

    async def post_webhook(
        self, url: str, params: Mapping[str, str], *, signature: str | None = "valid"
    ) -> httpx.Response:
        """POST `params` to `url` like Twilio: `signature="valid"` signs with the auth token,
        None sends no signature, anything else is sent as is."""
        assert self.webhook_client is not None, "give the fake a webhook_client"
        headers = {}
        if signature == "valid":
            headers["X-Twilio-Signature"] = self.sign(url, params)
        elif signature is not None:
            headers["X-Twilio-Signature"] = signature
        return await self.webhook_client.post(url, data=dict(params), headers=headers)

    async def report(
        self, sid: str, status: str, error_code: int | None = None
    ) -> httpx.Response | None:
        """Post the delivery report `status` (delivered, undelivered, failed) of message `sid`
        to the StatusCallback URL it was sent with."""
        message = self.by_sid(sid)
        message.status = status
        if not message.status_callback:
            return None
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "From": message.from_ or "",
            "MessageSid": sid,
            "MessageStatus": status,
            "SmsSid": sid,
            "SmsStatus": status,
            "To": message.to,
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return await self.post_webhook(message.status_callback, params)

    async def inbound(
        self,
        url: str,
        sender: str,
        body: str,
        *,
        sid: str | None = None,
        signature: str | None = "valid",
    ) -> httpx.Response:
        """An SMS from `sender` to our number, posted to the inbound webhook at `url`."""
        message_sid = sid or "SM" + uuid.uuid4().hex
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "Body": body,
            "From": sender,
            "MessageSid": message_sid,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsMessageSid": message_sid,
            "SmsSid": message_sid,
            "SmsStatus": "received",
            "To": FROM_NUMBER,
        }
        return await self.post_webhook(url, params, signature=signature)
