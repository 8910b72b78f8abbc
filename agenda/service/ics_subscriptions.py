"""Subscribed ICS calendars: each effector may give the URL of the calendar they keep their SNP
availability in; the scheduler fetches the due ones with httpx (timeouts, size limit) and imports
them like an upload. A calendar that cannot be fetched or read keeps its slots as they were and
its French reason in `Effector.ics_last_error`; it never stops the others.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from agenda.errors import IcsRejected
from agenda.models import Effector
from agenda.service.directory import pick_site
from agenda.service.ics import IcsOptions, import_ics
from snp.db import utcnow
from snp.errors import DomainError

log = logging.getLogger(__name__)

_FETCH_CONCURRENCY = 5


@dataclass(frozen=True, slots=True)
class RefreshReport:
    refreshed: int
    failed: int


async def ensure_public_host(host: str, port: int) -> None:
    """Refuse calendars on loopback, private, link-local or reserved addresses: an effector's
    URL must not make the server probe the internal network (checked again on every redirect).
    """
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        raise IcsRejected("Calendrier injoignable : nom de serveur inconnu.") from None
    for *_, address in infos:
        if not ipaddress.ip_address(address[0]).is_global:
            raise IcsRejected(
                "Adresse de calendrier refusée : elle désigne un réseau interne ou local."
            )


class PublicHostsOnly(httpx.AsyncHTTPTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        await ensure_public_host(request.url.host, port)
        return await super().handle_async_request(request)


def new_http_client(options: IcsOptions) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport() if options.allow_private_hosts else PublicHostsOnly()
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(options.fetch_timeout_seconds),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": "snp-cpts/1 (calendrier SNP)", "Accept": "text/calendar, */*"},
    )


async def fetch_calendar(client: httpx.AsyncClient, url: str, max_bytes: int) -> bytes:
    """Download a calendar, refusing slow, failing or oversized answers (French errors)."""
    try:
        async with client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise IcsRejected(
                    f"Le serveur du calendrier a répondu par une erreur HTTP "
                    f"{response.status_code}."
                )
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise IcsRejected(f"Calendrier trop volumineux (au plus {max_bytes} octets).")
            return bytes(body)
    except httpx.TimeoutException:
        raise IcsRejected("Le serveur du calendrier n'a pas répondu à temps.") from None
    except httpx.HTTPError:
        raise IcsRejected("Calendrier injoignable : vérifiez son adresse.") from None


async def _download(
    client: httpx.AsyncClient, url: str, max_bytes: int, gate: asyncio.Semaphore
) -> bytes | str:
    """The calendar, or the French reason it could not be had (a job never fails for one)."""
    async with gate:
        try:
            return await fetch_calendar(client, url, max_bytes)
        except DomainError as exc:
            return exc.msg
        except Exception:
            log.exception("unexpected error fetching a subscribed calendar")
            return "Erreur inattendue lors du téléchargement du calendrier."


async def refresh_subscriptions(
    session: AsyncSession,
    *,
    options: IcsOptions,
    now: datetime | None = None,
    client: httpx.AsyncClient | None = None,
    limit: int = 200,
) -> RefreshReport:
    """Fetch the subscribed calendars that are due and import them.

    Downloads run first (concurrently, nothing written yet); then each calendar is imported.
    A calendar that cannot be fetched or read leaves its slots as they were and its French
    reason in `ics_last_error`; the others go on.
    """
    now = now or utcnow()
    due_before = now - timedelta(minutes=options.refresh_minutes)
    effectors = list(
        await session.scalars(
            select(Effector)
            .options(selectinload(Effector.sites))
            .where(
                Effector.ics_subscription_url.is_not(None),
                Effector.active,
                or_(
                    Effector.ics_last_fetched_at.is_(None),
                    Effector.ics_last_fetched_at <= due_before,
                ),
            )
            .order_by(
                Effector.ics_last_fetched_at.is_not(None), Effector.ics_last_fetched_at, Effector.id
            )
            .limit(limit)
        )
    )
    if not effectors:
        return RefreshReport(0, 0)
    http = client or new_http_client(options)
    gate = asyncio.Semaphore(_FETCH_CONCURRENCY)
    try:
        downloads = await asyncio.gather(
            *(
                _download(http, str(e.ics_subscription_url), options.max_bytes, gate)
                for e in effectors
            )
        )
    finally:
        if client is None:
            await http.aclose()
    refreshed = failed = 0
    for effector, download in zip(effectors, downloads, strict=True):
        effector.ics_last_fetched_at = now
        try:
            if isinstance(download, str):
                raise IcsRejected(download)
            site = pick_site(effector, site_id=effector.ics_subscription_site_id)
            await import_ics(session, effector, site, download, options=options, now=now)
        except DomainError as exc:
            effector.ics_last_error = exc.msg[:500]
            failed += 1
            continue
        effector.ics_last_error = None
        refreshed += 1
    await session.flush()
    return RefreshReport(refreshed, failed)
