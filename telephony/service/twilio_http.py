"""The `twilio` SDK's asynchronous HTTP client aimed at the setting `twilio_base_url` (tests point
it at a local fake server), with a timeout and without request logs (URLs and parameters carry
phone numbers). The same idea as the SMS backend's client, kept here so that telephony does not
reach into the notifications package."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response

TWILIO_API = "https://api.twilio.com"


class VoiceHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(pool_connections=False, timeout=timeout)
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
        return None

    def log_response(self, status_code: int, response: Any) -> None:
        return None
