from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict

from snp import audit
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, require_roles
from snp.kit import Page, PageDep

router = APIRouter(prefix="/api/audit", tags=["audit"])


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_email: str
    actor_role: str | None
    action: str
    entity: str
    entity_id: str
    ip: str | None
    detail: str | None


class AuditPage(Page[AuditEntryOut]):
    pass


@router.get("")
async def list_audit(
    session: SessionDep,
    actor: Annotated[Actor, Depends(require_roles(Role.COORDINATOR))],
    page: PageDep,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
) -> AuditPage:
    rows, total = await audit.list_entries(session, entity=entity, entity_id=entity_id, page=page)
    return AuditPage(items=[AuditEntryOut.model_validate(r) for r in rows], total=total)
