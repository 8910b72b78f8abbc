"""SMS replies: STOP/ARRET, START, ANNULER and OUI <code>; everything else gets a short help.

Each inbound SMS is stored once under the provider's id (a webhook delivered twice does nothing
the second time) and every answer goes through the outbox like any other message.

- `STOP`, `ARRET`: the number is opted out; queued non-essential messages to it (reminders,
  broadcast offers) are withdrawn and no new ones are sent. Essential ones still are (see
  `messages`). `START` undoes it.
- `ANNULER`: the sender's next upcoming appointment, among those we told this number about by
  SMS, is cancelled on the patient's behalf through `agenda.cancel` (the slot is freed; the
  agenda's `AppointmentCancelled` tells the effector by SMS and the operators' consoles live,
  and `PatientCancelledBySms` flags it to the operators). The number is the patient's key:
  with several appointments, the soonest goes, and the confirmation names it.
- `OUI <code> [heure]`: an effector's answer to a broadcast (`broadcast.answer`), with the time
  they will see the patient (`OUI 4821 14h30`), if they give one.
- `1` to `5`: a patient's answer to the satisfaction survey (`survey.record_answer`).
- Anything else is shown to the operators as an alert (`inbound_alerts`), urgent when it holds
  red-flag words, and the patient is told to call the 15 in an emergency.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, time

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

import agenda
from notifications.events import PatientCancelledBySms
from notifications.models import Audience, InboundMessage, MessageStatus, OptOut, OutboxMessage
from notifications.schemas import InboundOut
from notifications.service import (
    broadcast,
    inbound_alerts,
    messages,
    outbox,
    sources,
    survey,
)
from notifications.service.outbox import About
from notifications.service.sms_length import to_gsm7
from snp import events
from snp.db import dialect_insert, utcnow
from snp.errors import Conflict, NotFound
from snp.identifiers import parse_phone

log = logging.getLogger(__name__)

STOP_WORDS = frozenset({"STOP", "ARRET", "ARRETER", "STOP SMS", "DESINSCRIPTION"})
START_WORDS = frozenset({"START", "REPRENDRE"})
CANCEL_WORDS = frozenset({"ANNULER", "ANNULATION", "ANNULE"})
_YES = re.compile(
    r"^OUI\s*([0-9]{3,8})?(?:\s+(?:A\s+)?([0-9]{1,2})(?:\s*H\s*([0-9]{2})?|\s+([0-9]{2}))?)?$"
)
_SCORE = re.compile(r"^[1-5]$")
_NOISE = re.compile(r"[^A-Z0-9 ]+")
CANCEL_REASON = "Annulé par le patient (réponse ANNULER par SMS)."


def _normalised(body: str) -> str:
    text = _NOISE.sub(" ", to_gsm7(body).upper().replace("É", "E").replace("È", "E"))
    return " ".join(text.split())


def answer_time(body: str) -> time | None:
    """The time in an `OUI <code> <time>` answer (`14h30`, `14h`, `14:30`, `a 9h`), if valid."""
    yes = _YES.match(_normalised(body))
    if yes is None or yes.group(2) is None:
        return None
    hour, minute = int(yes.group(2)), int(yes.group(3) or yes.group(4) or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_keyword(body: str) -> tuple[str | None, str | None]:
    """(keyword, argument) of an SMS: accents, case, punctuation and extra spaces ignored."""
    text = _normalised(body)
    if _SCORE.match(text):
        return "NOTE", text
    if text in STOP_WORDS:
        return "STOP", None
    if text in START_WORDS:
        return "START", None
    if text in CANCEL_WORDS:
        return "ANNULER", None
    yes = _YES.match(text)
    if yes:
        return "OUI", yes.group(1)
    return None, None


async def handle_inbound(
    session: AsyncSession, *, provider_sid: str, sender: str, body: str
) -> InboundOut:
    """Store and act on one received SMS, in the caller's transaction."""
    now = utcnow()
    try:
        phone = parse_phone(sender)
    except ValueError:
        phone = sender.strip()[:20]
    keyword, argument = parse_keyword(body)
    insert = dialect_insert(session)
    stored = await session.execute(
        insert(InboundMessage)
        .values(
            provider_sid=provider_sid[:64],
            sender=phone,
            body=body[:480],
            keyword=keyword,
            received_at=now,
        )
        .on_conflict_do_nothing(index_elements=["provider_sid"])
    )
    if not stored.rowcount:  # type: ignore[attr-defined]
        return InboundOut(keyword=keyword, outcome="duplicate", duplicate=True)
    reply_key = f"inbound:{provider_sid}:reply"
    if keyword == "STOP":
        outcome = await opt_out(session, phone, "STOP", reply_key)
    elif keyword == "START":
        outcome = await opt_in(session, phone, reply_key)
    elif keyword == "ANNULER":
        outcome = await cancel_next_appointment(session, phone, now, reply_key)
    elif keyword == "OUI":
        outcome = await broadcast.answer(session, phone, argument, now, answer_time(body))
    elif keyword == "NOTE" and await survey.record_answer(
        session, phone, int(argument or 0), now, reply_key
    ):
        outcome = "satisfaction_recorded"
    else:
        inbound = await session.scalar(
            select(InboundMessage).where(InboundMessage.provider_sid == provider_sid[:64])
        )
        assert inbound is not None  # stored just above
        outcome = await inbound_alerts.not_understood(session, inbound, now)
    await session.execute(
        update(InboundMessage)
        .where(InboundMessage.provider_sid == provider_sid[:64])
        .values(outcome=outcome[:64])
    )
    log.info("inbound SMS %s: %s", keyword or "-", outcome)
    return InboundOut(keyword=keyword, outcome=outcome, duplicate=False)


async def opt_out(session: AsyncSession, phone: str, keyword: str, reply_key: str) -> str:
    insert = dialect_insert(session)
    await session.execute(
        insert(OptOut)
        .values(phone=phone, keyword=keyword, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["phone"])
    )
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient == phone,
            OutboxMessage.essential.is_(False),
            OutboxMessage.status == MessageStatus.QUEUED.value,
        )
        .values(status=MessageStatus.SUPPRESSED.value, last_error="opted_out")
        .execution_options(synchronize_session=False)
    )
    await outbox.enqueue(
        session, key=reply_key, to=phone, template="reponse_stop", audience=Audience.PATIENT
    )
    return "opted_out"


async def opt_in(session: AsyncSession, phone: str, reply_key: str) -> str:
    await session.execute(delete(OptOut).where(OptOut.phone == phone))
    await outbox.enqueue(
        session, key=reply_key, to=phone, template="reponse_start", audience=Audience.PATIENT
    )
    return "opted_in"


async def cancel_next_appointment(
    session: AsyncSession, phone: str, now: datetime, reply_key: str
) -> str:
    for appointment_id, request_id, effector_id in await outbox.upcoming_appointments_of(
        session, phone, now
    ):
        try:
            cancelled = await agenda.cancel(
                session, appointment_id, by="patient", reason=CANCEL_REASON
            )
        except (Conflict, NotFound):
            continue  # already cancelled or gone: the next one, if any
        # The agenda's event already told the patient when their contact is known; this makes
        # sure the number that asked gets the confirmation (same key: never twice).
        effector = await sources.effector_contact(session, cancelled.effector_id)
        await messages.tell_patient(
            session,
            event_name="AppointmentCancelled",
            appointment_id=appointment_id,
            phone=phone,
            template="patient_annulation_confirmee",
            start_at=cancelled.start_at,
            effector=effector,
            about=About(
                appointment_id=appointment_id,
                appointment_start_at=cancelled.start_at,
                request_id=request_id,
                effector_id=effector_id,
            ),
        )
        await events.emit(
            session,
            PatientCancelledBySms(
                appointment_id=appointment_id,
                request_id=cancelled.request_id,
                effector_id=cancelled.effector_id,
            ),
        )
        return "cancelled"
    await outbox.enqueue(
        session, key=reply_key, to=phone, template="reponse_aucun_rdv", audience=Audience.PATIENT
    )
    return "no_appointment"
