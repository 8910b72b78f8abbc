"""The default backend: nothing leaves the machine. Messages are marked sent and shown on the
coordinator's demo page (`GET /api/notifications/messages`)."""

from __future__ import annotations

import logging

from notifications.backends.base import OutgoingSms

log = logging.getLogger(__name__)


class ConsoleBackend:
    name = "console"

    async def send(self, sms: OutgoingSms) -> str:
        log.info("SMS %d kept on the console (%d characters)", sms.outbox_id, len(sms.body))
        return f"console-{sms.outbox_id}"

    async def find_sent(self, sms: OutgoingSms) -> str | None:
        return None  # sending to the console has no side effect: sending again is harmless

    async def aclose(self) -> None:
        return None
