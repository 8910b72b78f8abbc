"""The interface every SMS backend implements, and how a failed send is described."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutgoingSms:
    outbox_id: int
    to: str
    body: str
    created_at: datetime


class SendError(Exception):
    """A send that did not succeed.

    `transient`: may work later (5xx, 429, timeout, network). Otherwise permanent:
    `undeliverable` when the recipient cannot receive it (bad or non-mobile number, opted out),
    else a provider or configuration error (`failed`)."""

    def __init__(
        self,
        code: str,
        detail: str,
        *,
        transient: bool,
        undeliverable: bool = False,
        in_doubt: bool = False,
    ) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.transient = transient
        self.undeliverable = undeliverable
        self.in_doubt = in_doubt


class Backend(Protocol):
    name: str

    async def send(self, sms: OutgoingSms) -> str:
        """Hand `sms` to the provider; returns its id. Raises `SendError`."""
        ...

    async def find_sent(self, sms: OutgoingSms) -> str | None:
        """The provider's id of `sms` if an earlier attempt did reach it. Raises `SendError`."""
        ...

    async def aclose(self) -> None: ...
