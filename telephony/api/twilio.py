"""The Twilio Voice webhooks. Twilio calls them without a session: public routes whose every
request must carry a valid `X-Twilio-Signature` (our auth token over the URL Twilio called, as
our `public_base_url` knows it, and the posted form), as the SMS webhooks do. Anything else gets
403 and a log line naming the route and the reason, never the caller.

- `inbound`: the CPTS number rings (configured as the number's voice URL);
- `wait`: played in a loop to a caller in the queue (position, music);
- `queue-result`: the caller left the queue (`QueueResult=hangup`: hung up while waiting);
- `dial-result`: the transfer to the operator ended (not answered: callback task);
- `callback-result`: the patient's side of a « Rappeler » ended (answered, no answer, busy);
- `status`: a call ended (the number's status callback, and the call-backs').
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from snp.deps import SessionDep, SettingsDep, public
from snp.twilio import verified_form
from telephony.api import taking
from telephony.models import CallState, Direction
from telephony.service import calls, dialer, twiml
from telephony.service.calls import Answer
from telephony.service.line import line_for

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/voice/twilio", tags=["voice"], dependencies=[Depends(public)])

XML = "application/xml"
ENDED_STATUSES = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})


def _xml(body: str) -> Response:
    return Response(body, media_type=XML)


def _call_id(request: Request) -> int | None:
    raw = request.query_params.get("call", "")
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def _int(form: FormData, name: str) -> int:
    raw = str(form.get(name) or "")
    return int(raw) if raw.isdigit() and len(raw) < 9 else 0


@router.post("/inbound")
async def inbound(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """A call to the CPTS number: greeting and queue, or out of hours / nobody on duty."""
    form = await verified_form(request, settings)
    sid = str(form.get("CallSid") or "")
    if not sid:
        return _xml(twiml.hang_up())
    arrival = await calls.call_arrived(
        session, sid=sid[:64], from_number=str(form.get("From") or ""), settings=settings
    )
    if arrival.answer == Answer.OUT_OF_HOURS:
        return _xml(twiml.out_of_hours(settings))
    if arrival.answer == Answer.NO_OPERATOR:
        return _xml(twiml.no_operator(settings))
    if arrival.answer == Answer.ENDED:
        return _xml(twiml.hang_up())
    return _xml(twiml.queued(settings, arrival.call_id))


@router.post("/wait")
async def wait(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The caller's position and the music; the longest-waiting call may be offered now."""
    form = await verified_form(request, settings)
    call_id = _call_id(request)
    position = _int(form, "QueuePosition")
    if call_id is not None and not position:
        position = await calls.queue_position(session, call_id)
    if settings.voice_auto_offer:
        await taking.offer_longest_waiting(session, line=line_for(settings))
    return _xml(twiml.waiting(settings, max(1, position)))


@router.post("/queue-result")
async def queue_result(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The caller left the queue: hung up (a callback task), or was put through."""
    form = await verified_form(request, settings)
    row = await calls.by_sid(session, str(form.get("CallSid") or ""))
    if row is not None and str(form.get("QueueResult") or "") in (
        "hangup",
        "error",
        "system-error",
    ):
        await calls.call_finished(session, row=row, settings=settings)
    return _xml(twiml.empty())


@router.post("/dial-result")
async def dial_result(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The transfer to the operator ended: after a conversation, hang up; if the operator's
    phone did not answer, the caller is told they will be called back."""
    form = await verified_form(request, settings)
    row = await calls.by_sid(session, str(form.get("CallSid") or ""))
    if row is None or row.direction != Direction.INBOUND:
        return _xml(twiml.hang_up())
    if str(form.get("DialCallStatus") or "") == "completed":
        await calls.call_finished(
            session, row=row, settings=settings, duration=_int(form, "DialCallDuration")
        )
        return _xml(twiml.hang_up())
    await calls.operator_unreachable(session, row=row, settings=settings)
    return _xml(twiml.operator_unreachable(settings))


@router.post("/callback-result")
async def callback_result(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The patient's side of a « Rappeler » ended: the attempt is logged on the request."""
    form = await verified_form(request, settings)
    call_id = _call_id(request)
    if call_id is not None:
        await dialer.patient_leg_ended(
            session,
            call_id=call_id,
            dial_status=str(form.get("DialCallStatus") or ""),
            duration=_int(form, "DialCallDuration"),
            settings=settings,
        )
    return _xml(twiml.hang_up())


@router.post("/status", status_code=204)
async def call_status(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """A call ended: a caller still in the queue hung up; a conversation is over."""
    form = await verified_form(request, settings)
    if str(form.get("CallStatus") or "") not in ENDED_STATUSES:
        return Response(status_code=204)
    call_id = _call_id(request)
    if call_id is not None:  # a call-back: the operator's phone hung up
        await dialer.operator_leg_ended(session, call_id=call_id, settings=settings)
        return Response(status_code=204)
    row = await calls.by_sid(session, str(form.get("CallSid") or ""))
    if row is not None and row.state != CallState.ENDED:
        await calls.call_finished(session, row=row, settings=settings)
    return Response(status_code=204)
