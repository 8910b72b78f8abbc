"""Who may call regulation's routes (policies read like the route's signature)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from snp.actor import Actor
from snp.auth import Role
from snp.deps import require_roles

# Operators, medical regulators and the coordination handle requests and see the queue.
Staff = Annotated[Actor, Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR))]
# Phone intake: operators (and the coordination standing in).
Intake = Annotated[Actor, Depends(require_roles(Role.OPERATOR, Role.COORDINATOR))]
Referrer = Annotated[Actor, Depends(require_roles(Role.REFERRER))]
ProtocolReader = Annotated[
    Actor,
    Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR, Role.REFERRER)),
]
# Whoever takes a call or refers a patient may record that they sent them to the 15.
Redirector = Annotated[
    Actor, Depends(require_roles(Role.OPERATOR, Role.COORDINATOR, Role.REFERRER))
]
RedirectReader = Annotated[
    Actor, Depends(require_roles(Role.OPERATOR, Role.COORDINATOR, Role.REGULATOR))
]
Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]
Supervisor = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.REGULATOR))]
# Protocol governance: the coordination and the physicians (regulators) review, upload and
# publish; only a physician approves (and never the version's author: checked in the service).
ProtocolEditor = Annotated[Actor, Depends(require_roles(Role.COORDINATOR, Role.REGULATOR))]
Physician = Annotated[Actor, Depends(require_roles(Role.REGULATOR))]
# The booked effector's handover (their own appointments only, checked in the service).
Effector = Annotated[Actor, Depends(require_roles(Role.EFFECTOR))]


def regulation_router() -> APIRouter:
    return APIRouter(prefix="/api/regulation", tags=["regulation"])
