"""A fake Twilio Voice, started by the tests, playing Twilio's part.

- It places inbound calls: POSTs the signed voice webhook of our number (`CallSid`, `From`,
  `To`), reads the TwiML we answer and follows it — `<Say>` (kept, to check what callers hear),
  `<Enqueue>` (the call waits in the named queue; the wait URL is fetched once with the caller's
  `QueuePosition`), `<Dial>` (to a `<Number>`, `<Sip>` or `<Queue>`), `<Redirect>`, `<Hangup>`.
- It accepts our REST calls made through the real `twilio` SDK: `POST .../Calls/{sid}.json`
  (a call updated with new TwiML: followed like a webhook answer) and `POST .../Calls.json`
  (an outbound call: the operator's phone for « Rappeler »), checking basic auth. With
  `refusing_updates` (`refusing_creates`) set it refuses them, as Twilio does when it cannot;
  `while_requested` runs while a REST request is answered (to look at the app meanwhile).
- It ends calls the way Twilio does: callers hanging up while waiting (the `<Enqueue>` action
  with `QueueResult=hangup`, then the status callback), a `<Dial>` ending (its action URL with
  `DialCallStatus` and `DialCallDuration`), and the status callback when a call completes.

Every webhook is signed with Twilio's algorithm (`RequestValidator.compute_signature`).
"""

from __future__ import annotations

import base64
import socket
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "fake-voice-token-for-tests"
CPTS_NUMBER = "+33299000000"


@dataclass
class Dialled:
    target: str  # the number or SIP address dialled, or "queue:<name>"
    action: str | None
    caller_id: str | None


@dataclass
class FakeCall:
    sid: str
    from_: str
    to: str
    direction: str  # "inbound" or "outbound-api"
    status: str = "ringing"  # queued (in a queue), in-progress, completed
    said: list[str] = field(default_factory=list)
    queue: str | None = None
    enqueue_action: str | None = None
    wait_url: str | None = None
    dialled: Dialled | None = None
    status_callback: str | None = None
    twiml: str | None = None  # the TwiML an outbound call was created with

    @property
    def speech(self) -> str:
        return " ".join(self.said)


@dataclass
class FakeVoice:
    webhook_client: httpx.AsyncClient
    voice_url: str  # our number's voice webhook
    status_url: str  # our number's status callback
    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    number: str = CPTS_NUMBER
    calls: dict[str, FakeCall] = field(default_factory=dict)
    queues: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rest_requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""
    # While set, call updates (creations) are refused as Twilio does when it cannot.
    refusing_updates: bool = False
    refusing_creates: bool = False
    # Run while a REST request is being answered (what the app's database shows meanwhile).
    while_requested: Callable[[str], Awaitable[None]] | None = None

    def __post_init__(self) -> None:
        self._runner: web.AppRunner | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        base = "/2010-04-01/Accounts/{account}/Calls"
        app.router.add_post(base + ".json", self._create)
        app.router.add_post(base + "/{sid}.json", self._update)
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

    # -- signed webhooks -----------------------------------------------------------------------

    def sign(self, url: str, params: dict[str, str], token: str | None = None) -> str:
        return str(RequestValidator(token or self.auth_token).compute_signature(url, params))

    async def post(
        self, url: str, params: dict[str, str], *, signature: str | None = "valid"
    ) -> httpx.Response:
        if url.startswith("/"):  # a relative TwiML URL: Twilio resolves it against our address
            url = str(self.webhook_client.base_url).rstrip("/") + url
        headers = {}
        if signature == "valid":
            headers["X-Twilio-Signature"] = self.sign(url, params)
        elif signature is not None:
            headers["X-Twilio-Signature"] = signature
        return await self.webhook_client.post(url, data=params, headers=headers)

    def _params(self, call: FakeCall, **extra: str) -> dict[str, str]:
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": "2010-04-01",
            "CallSid": call.sid,
            "CallStatus": call.status,
            "Direction": call.direction,
            "From": call.from_,
            "To": call.to,
            **extra,
        }

    # -- following TwiML -----------------------------------------------------------------------

    async def follow(self, call: FakeCall, twiml: str) -> None:
        """Do what the TwiML says, verb by verb, as Twilio would."""
        root = ET.fromstring(twiml)  # noqa: S314 - the app under test's TwiML
        assert root.tag == "Response", twiml
        for verb in root:
            if verb.tag == "Say":
                call.said.append((verb.text or "").strip())
            elif verb.tag in ("Play", "Pause"):
                continue
            elif verb.tag == "Hangup":
                await self.complete(call)
                return
            elif verb.tag == "Redirect":
                response = await self.post(str(verb.text).strip(), self._params(call))
                await self.follow(call, response.text)
                return
            elif verb.tag == "Enqueue":
                await self._enqueue(call, verb)
                return
            elif verb.tag == "Dial":
                self._dial(call, verb)
                return
            else:
                raise AssertionError(f"TwiML verb not played by the fake: {verb.tag}")
        await self.complete(call)  # the end of a document hangs up

    async def _enqueue(self, call: FakeCall, verb: ET.Element) -> None:
        call.status = "queued"
        call.queue = (verb.text or "").strip()
        call.enqueue_action = verb.get("action")
        call.wait_url = verb.get("waitUrl")
        self.queues[call.queue].append(call.sid)
        if call.wait_url:
            position = str(self.queues[call.queue].index(call.sid) + 1)
            response = await self.post(
                call.wait_url,
                self._params(call, QueuePosition=position, QueueSid="QU" + "0" * 32),
            )
            assert response.status_code == 200, response.text
            for verb_ in ET.fromstring(response.text):  # noqa: S314 - ours
                if verb_.tag == "Say":
                    call.said.append((verb_.text or "").strip())

    def _dial(self, call: FakeCall, verb: ET.Element) -> None:
        noun = next(iter(verb))
        target = (noun.text or "").strip()
        if noun.tag == "Queue":
            target = f"queue:{target}"
        self._leave_queue(call)
        call.status = "in-progress"
        call.dialled = Dialled(target, verb.get("action"), verb.get("callerId"))

    def _leave_queue(self, call: FakeCall) -> None:
        if call.queue and call.sid in self.queues[call.queue]:
            self.queues[call.queue].remove(call.sid)

    async def complete(self, call: FakeCall, duration: int = 0) -> None:
        self._leave_queue(call)
        call.status = "completed"
        url = call.status_callback or (self.status_url if call.direction == "inbound" else None)
        if url:
            response = await self.post(url, self._params(call, CallDuration=str(duration)))
            assert response.status_code in (200, 204), response.text

    # -- what a test does ----------------------------------------------------------------------

    async def place_call(self, caller: str, *, signature: str | None = "valid") -> FakeCall:
        """A caller dials our number."""
        call = FakeCall(
            sid="CA" + uuid.uuid4().hex, from_=caller, to=self.number, direction="inbound"
        )
        self.calls[call.sid] = call
        response = await self.post(self.voice_url, self._params(call), signature=signature)
        if response.status_code != 200:
            call.status = f"refused-{response.status_code}"
            return call
        await self.follow(call, response.text)
        return call

    async def caller_hangs_up(self, call: FakeCall) -> None:
        """The caller hangs up while waiting: the `<Enqueue>` action, then the status callback."""
        assert call.status == "queued", call.status
        self._leave_queue(call)
        if call.enqueue_action:
            response = await self.post(
                call.enqueue_action, self._params(call, QueueResult="hangup", QueueTime="12")
            )
            assert response.status_code == 200, response.text
        await self.complete(call)

    async def dial_ends(self, call: FakeCall, status: str = "completed", duration: int = 0) -> None:
        """The `<Dial>` of `call` ends (`completed` after a conversation, or `no-answer`,
        `busy`, `failed`): its action URL is fetched and what it answers is followed."""
        assert call.dialled is not None, "nothing dialled"
        if call.dialled.action is None:
            await self.complete(call, duration)
            return
        response = await self.post(
            call.dialled.action,
            self._params(call, DialCallStatus=status, DialCallDuration=str(duration)),
        )
        assert response.status_code == 200, response.text
        call.dialled = None
        await self.follow(call, response.text)

    async def operator_answers(self, call: FakeCall) -> None:
        """An outbound call (« Rappeler ») is answered by the operator: its TwiML is played."""
        assert call.twiml is not None
        call.status = "in-progress"
        await self.follow(call, call.twiml)

    async def operator_does_not_answer(self, call: FakeCall) -> None:
        call.status = "no-answer"
        if call.status_callback:
            await self.post(call.status_callback, self._params(call, CallDuration="0"))

    def outbound(self) -> list[FakeCall]:
        return [c for c in self.calls.values() if c.direction == "outbound-api"]

    # -- the REST API --------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return (
            request.match_info["account"] == self.account_sid
            and request.headers.get("Authorization") == f"Basic {expected}"
        )

    def _json(self, call: FakeCall) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "direction": call.direction,
            "from": call.from_,
            "to": call.to,
            "sid": call.sid,
            "status": call.status,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Calls/{call.sid}.json",
        }

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        body = {"code": code, "message": message, "more_info": "", "status": status}
        return web.json_response(body, status=status)

    async def _update(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 20003, "Authenticate")
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.rest_requests.append(("update", form))
        if self.while_requested is not None:
            await self.while_requested("update")
        call = self.calls.get(request.match_info["sid"])
        if call is None or call.status == "completed":
            return self._error(404, 20404, "The requested resource was not found")
        if self.refusing_updates:
            return self._error(400, 21220, "Call is not in-progress. Cannot redirect.")
        if "Twiml" in form:
            root = ET.fromstring(form["Twiml"])  # noqa: S314 - ours
            # Leaving the queue for new TwiML: played without calling back the app (a <Dial>
            # waits until the test ends it).
            for verb in root:
                if verb.tag == "Dial":
                    self._dial(call, verb)
                elif verb.tag == "Say":
                    call.said.append((verb.text or "").strip())
        return web.json_response(self._json(call))

    async def _create(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 20003, "Authenticate")
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.rest_requests.append(("create", form))
        if self.while_requested is not None:
            await self.while_requested("create")
        if not form.get("To") or not form.get("From"):
            return self._error(400, 21201, "No 'To' number is specified")
        if self.refusing_creates:
            return self._error(400, 21215, "Geo Permission configuration is not permitting call")
        call = FakeCall(
            sid="CA" + uuid.uuid4().hex,
            from_=form["From"],
            to=form["To"],
            direction="outbound-api",
            status="queued",
            status_callback=form.get("StatusCallback"),
            twiml=form.get("Twiml"),
        )
        self.calls[call.sid] = call
        return web.json_response(self._json(call), status=201)
