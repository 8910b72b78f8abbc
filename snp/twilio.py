"""What every use of Twilio shares (SMS in `notifications`, the phone line in `telephony`): the
SDK's HTTP client aimed at a configurable base URL (tests point it at local fake servers), the
phone line's pooled client per process (`shared_http`: connections to api.twilio.com are reused
instead of a new TLS handshake per REST call; `close_shared` at shutdown; each SMS backend keeps
its own pool), and the check of the signature Twilio puts on its webhooks."""

from __future__ import annotations

import asyncio
import base64
import logging
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from snp.errors import Forbidden
from snp.settings import Settings

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"


class TwilioHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
    """The SDK's async HTTP client, aimed at `base_url`, with a timeout, without request logs
    (URLs and parameters carry phone numbers)."""

    def __init__(self, base_url: str, timeout: float, *, pool_connections: bool = True) -> None:
        super().__init__(pool_connections=pool_connections, timeout=timeout)
        self.base_url = base_url.rstrip("/")

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - the SDK's signature
        allow_redirects: bool = False,
    ) -> Response:
        if url.startswith(TWILIO_API) and self.base_url != TWILIO_API:
            url = self.base_url + url[len(TWILIO_API) :]
        if auth is not None:  # as a header: aiohttp deprecates its `auth` argument
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {token}"}
            auth = None
        limit = timeout if timeout is not None else self.timeout
        response: Response = await asyncio.wait_for(
            super().request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                auth=auth,
                timeout=limit,
                allow_redirects=allow_redirects,
            ),
            timeout=limit,
        )
        return response

    def log_request(self, kwargs: dict[str, Any]) -> None:
        return None  # URLs and parameters may carry phone numbers

    def log_response(self, status_code: int, response: Any) -> None:
        return None


_shared: dict[tuple[asyncio.AbstractEventLoop, str, float], TwilioHttpClient] = {}


def shared_http(base_url: str, timeout: float) -> TwilioHttpClient:
    """The process's pooled client for `base_url`, built on first use inside the running event
    loop (aiohttp's connection pool belongs to one loop: another loop gets its own)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _shared if k[0].is_closed()]:
        del _shared[key]  # a finished loop's client: its connections died with it
    key = (loop, base_url, timeout)
    http = _shared.get(key)
    if http is None:
        http = _shared[key] = TwilioHttpClient(base_url, timeout)
    return http


def warm_up() -> None:
    """Load the SDK's REST resources at start-up. `twilio.rest` imports each resource's modules
    on first access (calls, messages: about 40 ms of imports on this machine), which otherwise
    stalls the event loop, every webhook in flight included, at the first call taken or SMS sent
    after a start. No network: a resource is only built, never requested."""
    client = Client(username=_WARM_UP_SID, password="warm-up", account_sid=_WARM_UP_SID)  # noqa: S106 - never sent
    account = client.api.v2010.account
    account.calls(_WARM_UP_CALL)
    account.messages(_WARM_UP_MESSAGE)


_WARM_UP_SID = "AC" + "0" * 32
_WARM_UP_CALL = "CA" + "0" * 32
_WARM_UP_MESSAGE = "SM" + "0" * 32


async def close_http(http: TwilioHttpClient) -> None:
    """Close a client's aiohttp session, if it ever opened one."""
    if http.session is not None:
        await http.session.close()


async def close_shared() -> None:
    """Close the running loop's shared clients (the app's shutdown)."""
    loop = asyncio.get_running_loop()
    for key in [k for k in _shared if k[0] is loop]:
        await close_http(_shared.pop(key))


def signed_url(request: Request, settings: Settings) -> str:
    """The URL Twilio called, as it knows it (behind a proxy, our public address)."""
    base = settings.public_base_url.rstrip("/") or f"{request.url.scheme}://{request.url.netloc}"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base}{request.url.path}{query}"


async def verified_form(request: Request, settings: Settings) -> FormData:
    """The posted form, once its Twilio signature checks out; otherwise 403."""
    form = await request.form()
    signature = request.headers.get("X-Twilio-Signature")
    token = settings.twilio_auth_token.get_secret_value()
    reason = None
    if not signature:
        reason = "missing signature"
    elif not token:
        reason = "no auth token configured"
    elif not RequestValidator(token).validate(signed_url(request, settings), form, signature):
        reason = "invalid signature"
    if reason is not None:
        log.warning("Twilio webhook %s refused: %s", request.url.path, reason)
        raise Forbidden("Signature Twilio absente ou invalide.")
    return form
