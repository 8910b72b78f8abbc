"""A real SMTP server for the tests (aiosmtpd, in its own thread): STARTTLS or implicit TLS with
a certificate from a throwaway authority (trustme), a login, and a way to refuse recipients."""

from __future__ import annotations

import contextlib
import email
import email.policy
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.postgres import free_port

USER = "snp"
PASSWORD = "mot-de-passe-smtp"


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered 550

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.inbox.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.inbox.messages.append(parsed)
        return "250 Message accepted"


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # `handled=False`: the server answers 535 itself (by default a failure is taken as
    # already answered, and the client would wait for a reply until its timeout).
    return AuthResult(success=ok, handled=False)


@dataclass(frozen=True)
class SmtpServer:
    url: str
    inbox: Inbox
    port: int


@contextlib.contextmanager
def smtp_server(tmp_path: Path, *, implicit_tls: bool = False) -> Iterator[SmtpServer]:
    """A server on 127.0.0.1 with STARTTLS required (or implicit TLS) and a login; yields the
    `SNP_SMTP_URL` that reaches it (trusting the test authority with `?ca=`)."""
    authority = trustme.CA()
    certificate = authority.issue_cert("localhost", "127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    ca_file = tmp_path / "smtp-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    inbox = Inbox()
    port = free_port()
    options: dict[str, Any] = {"authenticator": _authenticate, "auth_require_tls": True}
    if implicit_tls:
        options["ssl_context"] = server_context
        options["auth_require_tls"] = False  # aiosmtpd sees only STARTTLS; this is TLS already
    else:
        options["tls_context"] = server_context
        options["require_starttls"] = True
    controller = Controller(
        _Handler(inbox), hostname="127.0.0.1", port=port, server_hostname="localhost", **options
    )
    controller.start()
    scheme = "smtps" if implicit_tls else "smtp"
    try:
        yield SmtpServer(f"{scheme}://{USER}:{PASSWORD}@localhost:{port}?ca={ca_file}", inbox, port)
    finally:
        controller.stop()
