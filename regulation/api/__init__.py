"""Regulation's HTTP routes under `/api/regulation`: one module per topic, one router here."""

from fastapi import APIRouter

from regulation.api import booking, matching, protocols, redirects, referrals, requests, safety

router = APIRouter()
router.include_router(requests.router)
router.include_router(referrals.router)
router.include_router(protocols.router)
router.include_router(matching.router)
router.include_router(booking.router)
router.include_router(safety.router)
router.include_router(redirects.router)
