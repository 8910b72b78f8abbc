"""How an e-mail leaves: printed (`console://`, the default) or over SMTP (`smtp://` with
STARTTLS, `smtps://` with implicit TLS). Blocking (`smtplib`): the sender runs it in a thread.

Errors are sorted for the outbox: `PermanentMailError` (the server refused the recipient or
the sender: retrying changes nothing) or `TemporaryMailError` (connection, timeout, TLS, a 4xx).
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from snp.settings import Settings


class MailError(Exception):
    pass


class TemporaryMailError(MailError):
    pass


class PermanentMailError(MailError):
    pass


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    scheme: str  # "console", "smtp" or "smtps"
    host: str = ""
    port: int = 0
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None


def parse_url(url: str) -> SmtpTarget:
    """`SNP_SMTP_URL` read once; a wrong value is a configuration error (ValueError, in French)."""
    text = url.strip()
    if not text or text == "console://":
        return SmtpTarget("console")
    parts = urlsplit(text)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(
            "SNP_SMTP_URL attendu : console://, smtp://utilisateur:motdepasse@hote:587 "
            "ou smtps://utilisateur:motdepasse@hote:465"
        )
    query = parse_qs(parts.query)
    return SmtpTarget(
        parts.scheme,
        parts.hostname,
        parts.port or (465 if parts.scheme == "smtps" else 587),
        unquote(parts.username) if parts.username else None,
        unquote(parts.password) if parts.password else None,
        query.get("ca", [None])[0],
    )


def build_message(
    settings: Settings, *, to: str, subject: str, text: str, html: str | None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="snp")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def _tls_context(target: SmtpTarget) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if target.ca_file:
        context.load_verify_locations(cafile=target.ca_file)
    return context


def send(settings: Settings, message: EmailMessage) -> None:
    """Deliver one message (blocking); raises `TemporaryMailError` or `PermanentMailError`."""
    target = parse_url(settings.smtp_url.get_secret_value())
    if target.scheme == "console":
        # Account mail only (invitations, reset links): no patient data reaches the output.
        sys.stdout.write(f"--- e-mail (SNP_SMTP_URL=console://) ---\n{message}\n--- fin ---\n")
        sys.stdout.flush()
        return
    timeout = settings.mail_timeout_seconds
    try:
        client: smtplib.SMTP
        if target.scheme == "smtps":
            client = smtplib.SMTP_SSL(
                target.host, target.port, timeout=timeout, context=_tls_context(target)
            )
        else:
            client = smtplib.SMTP(target.host, target.port, timeout=timeout)
        with client:
            if target.scheme == "smtp":
                client.starttls(context=_tls_context(target))
            if target.username:
                client.login(target.username, target.password or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(500 <= code < 600 for code in codes):
            raise PermanentMailError(f"destinataire refusé ({codes})") from None
        raise TemporaryMailError(f"destinataire refusé pour l'instant ({codes})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise _by_code(exc.smtp_code, "expéditeur refusé") from None
    except smtplib.SMTPResponseException as exc:
        raise _by_code(exc.smtp_code, "réponse SMTP") from None
    except smtplib.SMTPNotSupportedError:
        raise TemporaryMailError("le serveur SMTP ne propose pas STARTTLS ou AUTH") from None
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryMailError(type(exc).__name__) from None


def _by_code(code: int, what: str) -> MailError:
    if 500 <= code < 600 and code not in (530, 535, 554):
        return PermanentMailError(f"{what} {code}")
    return TemporaryMailError(f"{what} {code}")
