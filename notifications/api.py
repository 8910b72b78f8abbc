"""Notifications API: the coordinator's demo page, undelivered-SMS alerts, broadcasts, and the
two Twilio webhooks.

The webhooks have no session (Twilio calls them): they are public routes whose every request
must carry a valid `X-Twilio-Signature`, computed by Twilio with our auth token over the URL it
called (our `public_base_url` + path + query) and the posted form. Anything else gets 403 and a
log line naming the route and the reason, never the sender.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from notifications.models import MessageStatus
from notifications.schemas import (
    AlertOut,
    AlertPage,
    AudienceName,
    BroadcastIn,
    BroadcastOut,
    BroadcastPage,
    ConsoleInboundIn,
    InboundAlertOut,
    InboundOut,
    MessageOut,
    MessagePage,
    MessageState,
)
from notifications.service import broadcast, inbound, inbound_alerts, outbox, request_messages
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, SettingsDep, public, require_roles
from snp.errors import Conflict
from snp.kit import PageDep
from snp.twilio import verified_form

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/notifications", tags=["notifications"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
Staff = Annotated[Actor, Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR))]

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

# Twilio's MessageStatus values -> ours (others, e.g. queued/accepted, change nothing).
TWILIO_STATUSES = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.UNDELIVERABLE,
    "failed": MessageStatus.FAILED,
}


@router.get("/messages")
async def list_messages(
    session: SessionDep,
    actor: Coordinator,
    page: PageDep,
    status_filter: Annotated[MessageState | None, Query(alias="status")] = None,
    audience: AudienceName | None = None,
) -> MessagePage:
    """The SMS outbox, newest first: what was (or would be) sent, for the demo page."""
    return await outbox.list_messages(
        session, actor, status=status_filter, audience=audience, page=page
    )


@router.get("/requests/{request_id}/messages")
async def list_request_messages(
    session: SessionDep, actor: Staff, request_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> list[MessageOut]:
    """The SMS sent about a request and whether each was delivered (the request's page)."""
    return await request_messages.request_messages(session, actor, request_id)


@router.get("/alerts")
async def list_alerts(
    session: SessionDep, actor: Staff, include_acknowledged: bool = False
) -> AlertPage:
    """Essential SMS that will not arrive (bad number, provider down...): phone the person;
    and patients' SMS not understood (`inbound`, urgent ones first): read them, call back."""
    return await inbound_alerts.all_alerts(
        session, actor, include_acknowledged=include_acknowledged
    )


@router.post("/alerts/{message_id}/acknowledge")
async def acknowledge_alert(session: SessionDep, actor: Staff, message_id: int) -> AlertOut:
    """Mark an alert handled (the person was reached another way)."""
    return await outbox.acknowledge_alert(session, actor, message_id)


@router.post("/inbound-alerts/{inbound_id}/acknowledge")
async def acknowledge_inbound_alert(
    session: SessionDep, actor: Staff, inbound_id: int
) -> InboundAlertOut:
    """Mark a patient's SMS not understood as handled (read, patient called back)."""
    return await inbound_alerts.acknowledge(session, actor, inbound_id)


@router.post("/broadcasts", status_code=status.HTTP_201_CREATED)
async def start_broadcast(session: SessionDep, actor: Staff, body: BroadcastIn) -> BroadcastOut:
    """Offer a patient to several effectors by SMS; the first `OUI <code>` gets them."""
    return await broadcast.start_broadcast(
        session,
        actor,
        request_id=body.request_id,
        place=body.place,
        effector_ids=body.effector_ids,
        expires_in=timedelta(minutes=body.expires_minutes),
    )


@router.get("/broadcasts")
async def list_broadcasts(
    session: SessionDep,
    actor: Staff,
    request_id: int | None = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> BroadcastPage:
    """Broadcasts, newest first: those of a request (escalation steps), or those started since
    `since` (the operators' console follows them live with the `broadcast.*` events)."""
    items = await broadcast.list_broadcasts(
        session, request_id=request_id, since=since, limit=limit
    )
    return BroadcastPage(items=items)


@router.get("/broadcasts/{broadcast_id}")
async def get_broadcast(session: SessionDep, actor: Staff, broadcast_id: int) -> BroadcastOut:
    return await broadcast.get_broadcast(session, broadcast_id)


@router.post("/console/inbound")
async def simulate_inbound(
    session: SessionDep, settings: SettingsDep, actor: Coordinator, body: ConsoleInboundIn
) -> InboundOut:
    """Demo only (console backend): act on a reply as if a phone had sent it."""
    if settings.sms_backend != "console":
        raise Conflict("Simulation réservée au mode console (SNP_SMS_BACKEND=console).")
    return await inbound.handle_inbound(
        session, provider_sid=f"console-{uuid.uuid4().hex}", sender=body.sender, body=body.body
    )


@router.post(
    "/twilio/status", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(public)]
)
async def twilio_status(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Twilio delivery report (signed): sent, delivered, undelivered, failed."""
    form = await verified_form(request, settings)
    sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
    mapped = TWILIO_STATUSES.get(str(form.get("MessageStatus") or "").lower())
    message_id = request.query_params.get("m")
    if sid and mapped is not None:
        await outbox.record_delivery_status(
            session,
            provider_sid=sid,
            status=mapped,
            error_code=str(form.get("ErrorCode") or "") or None,
            message_id=int(message_id) if message_id and message_id.isdigit() else None,
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/twilio/inbound", dependencies=[Depends(public)])
async def twilio_inbound(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """An SMS sent to our number (signed): STOP, START, ANNULER, OUI <code>. Answers go through
    the outbox, so the TwiML response is empty."""
    form = await verified_form(request, settings)
    sid = str(form.get("MessageSid") or form.get("SmsSid") or "")
    sender = str(form.get("From") or "")
    if sid and sender:
        await inbound.handle_inbound(
            session, provider_sid=sid, sender=sender, body=str(form.get("Body") or "")
        )
    return Response(EMPTY_TWIML, media_type="application/xml")
