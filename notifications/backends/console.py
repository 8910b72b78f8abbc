"""The default backend: nothing leaves the machine. Messages are marked sent and shown on the
coordinator's demo page (`GET /api/notifications/messages`).

To show (or test in a browser) what happens when an SMS cannot be delivered, the numbers of the
setting `sms_console_undeliverable` fail at once as undeliverable, like Twilio's error 21211
(invalid number): the operators' console then shows the alert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from notifications.backends.base import OutgoingSms, SendError

log = logging.getLogger(__name__)


class ConsoleBackend:
    name = "console"

    def __init__(self, undeliverable: Iterable[str] = ()) -> None:
        self.undeliverable = frozenset(undeliverable)

    async def send(self, sms: OutgoingSms) -> str:
        if sms.to in self.undeliverable:
            raise SendError(
                "21211",
                "undeliverable on purpose (console backend)",
                transient=False,
                undeliverable=True,
            )
        log.info("SMS %d kept on the console (%d characters)", sms.outbox_id, len(sms.body))
        return f"console-{sms.outbox_id}"

    async def find_sent(self, sms: OutgoingSms) -> str | None:
        return None  # sending to the console has no side effect: sending again is harmless

    async def aclose(self) -> None:
        return None
