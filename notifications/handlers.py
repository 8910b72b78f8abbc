"""Event handlers: the other packages' events become SMS rows in the same transaction.

Imported once by the composition root (`composition/app.py`), which registers them with
`snp.events`.

- agenda `SlotBooked`, `AppointmentCancelled`, `AppointmentNeedsRebooking`, `AppointmentMoved`:
  effector and patient (`messages`); `AppointmentOutcomeRecorded` (fulfilled): the
  satisfaction survey (`survey`).
- regulation `RequestEscalated`: the step's SMS broadcast (`escalation`); `RequestClosed` and
  `RequestRedirected15`: the referrer's outcome SMS (`referrals`); `RequestsPseudonymised`:
  retention blanks their SMS (`retention`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agenda import (
    AppointmentCancelled,
    AppointmentMoved,
    AppointmentNeedsRebooking,
    AppointmentOutcomeRecorded,
    EffectorInvitedBySms,
    SlotBooked,
)
from notifications.models import Audience
from notifications.service import escalation, messages, referrals, retention, survey
from notifications.service.outbox import About, enqueue
from regulation import (
    RequestClosed,
    RequestEscalated,
    RequestRedirected15,
    RequestsPseudonymised,
)
from snp import events
from snp.settings import settings_of


@events.on(SlotBooked)
async def notify_booking(session: AsyncSession, event: SlotBooked) -> None:
    """Effector told at once (or after quiet hours), patient confirmation and reminder."""
    await messages.on_slot_booked(session, event)


@events.on(AppointmentCancelled)
async def notify_cancellation(session: AsyncSession, event: AppointmentCancelled) -> None:
    await messages.on_appointment_cancelled(session, event)


@events.on(AppointmentNeedsRebooking)
async def notify_rebooking(session: AsyncSession, event: AppointmentNeedsRebooking) -> None:
    await messages.on_needs_rebooking(session, event)


@events.on(AppointmentMoved)
async def notify_move(session: AsyncSession, event: AppointmentMoved) -> None:
    """Patient: the new time and place; GP: both slots (unless they moved it themselves)."""
    await messages.on_appointment_moved(session, event)


@events.on(AppointmentOutcomeRecorded)
async def ask_satisfaction(session: AsyncSession, event: AppointmentOutcomeRecorded) -> None:
    await survey.ask(session, event, settings_of(session))


@events.on(RequestEscalated)
async def broadcast_escalation(session: AsyncSession, event: RequestEscalated) -> None:
    """A started escalation step: its SMS broadcast, in the same transaction."""
    await escalation.on_request_escalated(session, event)


@events.on(RequestClosed)
async def tell_referrer_closed(session: AsyncSession, event: RequestClosed) -> None:
    if event.automatic:  # an abandoned request closed by the platform: nothing to tell
        return
    await referrals.tell_referrer(session, event.request_id, str(event.outcome))


@events.on(RequestRedirected15)
async def tell_referrer_redirected(session: AsyncSession, event: RequestRedirected15) -> None:
    await referrals.tell_referrer(session, event.request_id, "redirected_15")


@events.on(RequestsPseudonymised)
async def forget_pseudonymised(session: AsyncSession, event: RequestsPseudonymised) -> None:
    """Retention: the SMS about pseudonymised requests lose their text and patient numbers."""
    await retention.pseudonymise_messages(session, event.request_ids, event.appointment_ids)


@events.on(EffectorInvitedBySms)
async def text_invitation(session: AsyncSession, event: EffectorInvitedBySms) -> None:
    """The activation link of a GP invited without an e-mail, by SMS (once per link)."""
    await enqueue(
        session,
        key=f"invitation:{event.user_id}:{event.url[-16:]}",
        to=event.mobile,
        template="effecteur_invitation",
        audience=Audience.EFFECTOR,
        values={"lien": event.url, "jours": str(event.valid_days)},
        about=About(effector_id=event.effector_id),
    )
