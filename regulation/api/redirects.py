"""Calls redirected to the 15 (SAMU), recorded with only what is known of the patient."""

from __future__ import annotations

from fastapi import status

from regulation.api.deps import Redirector, RedirectReader, regulation_router
from regulation.schemas_redirect import Redirect15Create, Redirect15Out
from regulation.service import redirect_15
from snp.deps import SessionDep

router = regulation_router()


@router.post("/redirects-15", status_code=status.HTTP_201_CREATED)
async def record_redirect_15(
    body: Redirect15Create, session: SessionDep, actor: Redirector
) -> Redirect15Out:
    """Record a call sent to the 15 on a red flag: no identity field is required (at least a
    first name, a name or a number), the red flag is; closed at once."""
    return await redirect_15.record_redirect_15(session, actor, body)


@router.get("/redirects-15/{redirect_id}")
async def get_redirect_15(
    redirect_id: int, session: SessionDep, actor: RedirectReader
) -> Redirect15Out:
    return await redirect_15.get_redirect_15(session, actor, redirect_id)
