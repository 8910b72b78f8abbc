"""The agenda's HTTP routes: one module per topic, combined into one router here."""

from fastapi import APIRouter

from agenda.api import directory

router = APIRouter()
router.include_router(directory.router)
