"""Who a phone number probably is, for the telephony console: the requests of that number (the
patient's phone) and the structure of a referrer who left it. Counts, identifiers and a
structure name only: no patient identity leaves here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from regulation.models import OPEN_STATUSES, RegulationRequest


@dataclass(frozen=True, slots=True)
class PhoneHistory:
    number: str
    previous_requests: int  # requests whose patient phone is this number
    last_request_at: datetime | None
    open_request_id: int | None  # the newest open one, if any
    referrer_structure: str | None  # a referrer who gave this number as theirs


async def phone_histories(session: AsyncSession, numbers: list[str]) -> dict[str, PhoneHistory]:
    """The history of each number (E.164), in three grouped queries whatever their count."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    req = RegulationRequest
    counts = {
        number: (count, last)
        for number, count, last in (
            await session.execute(
                select(req.phone, func.count(), func.max(req.received_at))
                .where(req.phone.in_(wanted))
                .group_by(req.phone)
            )
        ).all()
    }
    open_ids = {
        number: request_id
        for number, request_id in (
            await session.execute(
                select(req.phone, func.max(req.id))
                .where(req.phone.in_(wanted), req.status.in_(OPEN_STATUSES))
                .group_by(req.phone)
            )
        ).all()
    }
    structures = {
        number: structure
        for number, structure in (
            await session.execute(
                select(req.referrer_phone, func.max(req.referrer_structure))
                .where(req.referrer_phone.in_(wanted), req.referrer_structure.is_not(None))
                .group_by(req.referrer_phone)
            )
        ).all()
    }
    return {
        number: PhoneHistory(
            number=number,
            previous_requests=int(counts.get(number, (0, None))[0]),
            last_request_at=counts.get(number, (0, None))[1],
            open_request_id=open_ids.get(number),
            referrer_structure=structures.get(number),
        )
        for number in wanted
    }
