from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from snp import scheduler
from snp.auth import service
from snp.settings import settings_of

log = logging.getLogger(__name__)


@scheduler.register("auth.purge_expired_sessions", timedelta(minutes=10))
async def purge_expired_sessions(session: AsyncSession) -> None:
    removed = await service.purge_expired(session, settings_of(session))
    if removed:
        log.info("purged %d expired login sessions", removed)
