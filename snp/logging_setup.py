"""Logging that never carries patient data: no query strings, no phone numbers, no names.

Routes never log request bodies; as a second line of defence, every record passes through a
filter that removes query strings and path tokens (calendar feeds) from access-log lines and
masks anything shaped like a phone
number or an e-mail address.
"""

from __future__ import annotations

import logging
import re

# International (+33612345678, 0033...) or French national (06 12 34 56 78, 06.12.34.56.78);
# not timestamps such as 2026-11-23 10:57:55.
_PHONE = re.compile(
    r"(?<![\d:])(?:\+|00)\d{8,14}(?!\d)|(?<![\d:.-])0[1-9](?:[ .-]?\d{2}){4}(?![\d:])"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_QUERY = re.compile(r"(\s/[^\s?\"]*)\?[^\s\"]*")
# Secrets carried in a path: the calendar feed's token (`/ics/feed/<token>.ics`).
_PATH_TOKEN = re.compile(r"(/ics/feed/)[^/\s\"?.]+")


def redact(text: str) -> str:
    text = _QUERY.sub(r"\1?…", text)
    text = _PATH_TOKEN.sub(r"\1…", text)
    text = _EMAIL.sub("<e-mail>", text)
    return _PHONE.sub("<numéro>", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_CHATTY = (
    "sqlalchemy",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "aiosqlite",
    "asyncpg",
    "httpx",
    "httpcore",
    "twilio",
    "twilio.http_client",
    "multipart",
    "python_multipart",
)


def configure(level: str = "INFO") -> None:
    root = logging.getLogger()
    if not any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Each job tick would otherwise log twice every few seconds.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # At DEBUG these libraries log result rows, statements with their values, request bodies:
    # patient data. They stay at WARNING whatever the level asked.
    for name in _CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
