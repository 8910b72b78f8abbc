"""INT_R03 dispatcher: sends the queued Appointment pushes to the SAS platform.

Guarantees, whatever the platform does (down for hours, slow, failing):
- nothing lost: a row leaves `pending` only when the platform answered 2xx (`sent`) or refused
  it with a 4xx (`rejected`): a refused row is kept with the platform's answer, shown to the
  coordinators (« Lien SAS ») and sent again when they replay it (`replay`), once the cause
  (certificate, URL, data) is fixed; the later rows of that appointment wait behind it;
- nothing sent twice: a row is claimed by a conditional UPDATE before it is sent (several app
  instances never send the same row), and a POST whose outcome is unknown (timeout after the
  request left, dispatcher crash) is retried as the conditional PUT, which the platform applies
  idempotently, so one booking never makes two platform appointments;
- order per appointment: a row is claimed only when every earlier row of the same appointment
  is `sent`.
Failures are retried with exponential backoff (`sas_retry_base_seconds` doubled, capped at
`sas_retry_max_seconds`). Each result is recorded in its own short transaction.
"""

from __future__ import annotations

import json
import logging
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

import httpx
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from sas.fhir import FHIR_JSON, LEGACY_FHIR_JSON
from sas.models import OutboxStatus, SasOutbox
from snp.db import utcnow
from snp.settings import Settings

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
_RETRYABLE_4XX = frozenset({408, 425, 429})
MAX_ANSWER = 4000


def tls_context(settings: Settings) -> ssl.SSLContext:
    """TLS 1.2 minimum, the configured CA bundle (else the system's) and our client
    certificate when configured."""
    context = ssl.create_default_context(
        cafile=str(settings.sas_ca_file) if settings.sas_ca_file else None
    )
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.sas_client_cert_file is not None:
        context.load_cert_chain(
            str(settings.sas_client_cert_file),
            str(settings.sas_client_key_file) if settings.sas_client_key_file else None,
        )
    return context


def http_client(settings: Settings) -> httpx.AsyncClient:
    """httpx client for the platform, presenting our client certificate when configured."""
    verify: ssl.SSLContext | bool = True
    if settings.sas_ca_file is not None or settings.sas_client_cert_file is not None:
        verify = tls_context(settings)
    return httpx.AsyncClient(
        verify=verify,
        timeout=settings.sas_timeout_seconds,
        # The guide's table: `Accept: application/json+fhir`; the standard name beside it.
        headers={"Content-Type": FHIR_JSON, "Accept": f"{LEGACY_FHIR_JSON}, {FHIR_JSON}"},
    )


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    rejected: int = 0


async def claim(
    session: AsyncSession, now: datetime, limit: int
) -> list[tuple[int, str, str, str, bool]]:
    """Rows due now whose appointment has no earlier unsent row, marked `sending` (leased).

    A `sending` row whose lease ran out (its dispatcher died) is due again, as uncertain."""
    earlier = aliased(SasOutbox)
    due = or_(
        and_(SasOutbox.status == OutboxStatus.PENDING, SasOutbox.next_attempt_at <= now),
        and_(SasOutbox.status == OutboxStatus.SENDING, SasOutbox.lease_expires_at <= now),
    )
    blocked = exists().where(
        earlier.identifier == SasOutbox.identifier,
        earlier.id < SasOutbox.id,
        earlier.status.in_(
            [OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.REJECTED.value]
        ),
    )
    candidates = list(
        await session.execute(
            select(SasOutbox.id, SasOutbox.status)
            .where(due, ~blocked)
            .order_by(SasOutbox.id)
            .limit(limit)
        )
    )
    claimed: list[tuple[int, str, str, str, bool]] = []
    for row_id, status in candidates:
        row = (
            await session.execute(
                update(SasOutbox)
                .where(SasOutbox.id == row_id, SasOutbox.status == status, due)
                .values(
                    status=OutboxStatus.SENDING.value,
                    lease_expires_at=now + LEASE,
                    # Taken over from a dead dispatcher: it may have been sent.
                    uncertain=or_(SasOutbox.uncertain, SasOutbox.status == OutboxStatus.SENDING),
                )
                .returning(
                    SasOutbox.id,
                    SasOutbox.identifier,
                    SasOutbox.method,
                    SasOutbox.payload,
                    SasOutbox.uncertain,
                )
                .execution_options(synchronize_session=False)
            )
        ).first()
        if row is not None:
            claimed.append((row.id, row.identifier, row.method, row.payload, row.uncertain))
    return claimed


async def _send(
    http: httpx.AsyncClient,
    settings: Settings,
    identifier: str,
    method: str,
    payload: str,
    uncertain: bool,
) -> tuple[str, str | None, bool, str | None]:
    """(outcome, error, uncertain-after, answer) where outcome is sent, retry or rejected and
    answer the platform's refusal (status and body, truncated)."""
    base = settings.sas_platform_url.rstrip("/")
    if method == "POST" and not uncertain:
        request = http.build_request("POST", f"{base}/Appointment", content=payload.encode())
    else:
        system = json.loads(payload)["identifier"][0]["system"]  # as the POST carried it
        token = f"{system}|{identifier}"
        url = f"{base}/Appointment?identifier={quote(token, safe='')}"
        request = http.build_request("PUT", url, content=payload.encode())
    try:
        response = await http.send(request)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        return "retry", f"connexion impossible ({type(exc).__name__})", uncertain, None
    except httpx.HTTPError as exc:  # the request may have reached the platform
        return "retry", f"sans réponse ({type(exc).__name__})", True, None
    if response.is_success:
        return "sent", None, uncertain, None
    error = f"HTTP {response.status_code}"
    if 400 <= response.status_code < 500 and response.status_code not in _RETRYABLE_4XX:
        answer = f"HTTP {response.status_code} {response.reason_phrase}\n{response.text}"
        return "rejected", error, uncertain, answer[:MAX_ANSWER]
    return "retry", error, uncertain or response.status_code != 503, None


def backoff(settings: Settings, attempts: int) -> timedelta:
    seconds = settings.sas_retry_base_seconds * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.sas_retry_max_seconds))


async def dispatch_once(
    sessions: async_sessionmaker[AsyncSession],
    http: httpx.AsyncClient,
    settings: Settings,
    *,
    batch: int = 20,
    now: datetime | None = None,
) -> DispatchReport:
    """Claim the due rows and send them; each result recorded in its own transaction."""
    report = DispatchReport()
    if not settings.sas_platform_url:
        return report
    async with sessions() as session, session.begin():
        claimed = await claim(session, now or utcnow(), batch)
    report.claimed = len(claimed)
    for row_id, identifier, method, payload, uncertain in claimed:
        outcome, error, uncertain_after, answer = await _send(
            http, settings, identifier, method, payload, uncertain
        )
        finished = utcnow()
        async with sessions() as session, session.begin():
            row = await session.get(SasOutbox, row_id)
            assert row is not None
            row.attempts += 1
            row.uncertain = uncertain_after
            row.lease_expires_at = None
            row.last_error = error
            if outcome == "sent":
                row.status = OutboxStatus.SENT.value
                row.sent_at = finished
                row.last_response = None
                report.sent += 1
            elif outcome == "rejected":
                row.status = OutboxStatus.REJECTED.value
                row.last_response = answer
                row.rejected_at = finished
                report.rejected += 1
                log.error("SAS platform refused appointment push %s: %s", row_id, error)
            else:
                row.status = OutboxStatus.PENDING.value
                row.next_attempt_at = finished + backoff(settings, row.attempts)
                report.retried += 1
    return report


async def dispatch_until_idle(
    sessions: async_sessionmaker[AsyncSession],
    http: httpx.AsyncClient,
    settings: Settings,
    *,
    max_rounds: int = 50,
) -> DispatchReport:
    """Dispatch rounds until nothing is due (a row sent may unblock the next of its appointment)."""
    total = DispatchReport()
    for _ in range(max_rounds):
        report = await dispatch_once(sessions, http, settings)
        total.claimed += report.claimed
        total.sent += report.sent
        total.retried += report.retried
        total.rejected += report.rejected
        if report.claimed == 0 or report.sent == 0:
            break
    return total
