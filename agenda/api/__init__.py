"""The agenda's HTTP routes: one module per topic, combined into one router here."""

from fastapi import APIRouter

from agenda.api import (
    account_links,
    annuaire,
    booking,
    caldav,
    directory,
    ics,
    outcomes,
    overrides,
    sites,
    slots,
    templates,
)

router = APIRouter()
router.include_router(directory.router)
router.include_router(sites.router)
router.include_router(annuaire.router)
router.include_router(slots.router)
router.include_router(booking.router)
router.include_router(outcomes.router)
router.include_router(templates.router)
router.include_router(overrides.router)
router.include_router(ics.router)
router.include_router(account_links.router)
router.include_router(caldav.router)
