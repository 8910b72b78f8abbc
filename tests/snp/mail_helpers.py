"""Reading the links the platform e-mailed, from the mail outbox (the SMTP side has its own
tests in `test_mail.py`)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.mail import MailMessage

LINK = re.compile(r"https?://\S+|/(?:invitation|mot-de-passe/nouveau)\?token=\S+")


async def mails_to(session: AsyncSession, address: str) -> list[MailMessage]:
    query = (
        select(MailMessage)
        .where(MailMessage.recipient == address)
        .order_by(MailMessage.id)
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(query))


def link_in(text: str) -> tuple[str, str]:
    """(path, token) of the one link in a message."""
    [url] = LINK.findall(text)
    parsed = urlparse(url)
    return parsed.path, parse_qs(parsed.query)["token"][0]
