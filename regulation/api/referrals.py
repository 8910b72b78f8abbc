"""Referrers (pharmacies, nurses, emergency departments): send a patient, follow their own."""

from __future__ import annotations

from fastapi import status

from regulation.api.deps import Referrer, regulation_router
from regulation.schemas import ReferralCreate, ReferralOut, ReferralPage
from regulation.service import intake
from snp.deps import SessionDep, SettingsDep
from snp.kit import PageDep

router = regulation_router()


@router.post("/referrals", status_code=status.HTTP_201_CREATED)
async def create_referral(
    body: ReferralCreate, session: SessionDep, settings: SettingsDep, actor: Referrer
) -> ReferralOut:
    """Refer a patient. A red flag answered "yes" comes back with `call_15` and its message."""
    return await intake.create_referral(session, actor, body, settings=settings)


@router.get("/referrals/mine")
async def list_my_referrals(
    session: SessionDep,
    actor: Referrer,
    page: PageDep,
) -> ReferralPage:
    """Your own referrals only, newest first, with their status and outcome."""
    return await intake.list_my_referrals(session, actor, page=page)


@router.get("/referrals/{request_id}")
async def get_my_referral(request_id: int, session: SessionDep, actor: Referrer) -> ReferralOut:
    return await intake.get_my_referral(session, actor, request_id)
