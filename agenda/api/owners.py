"""The parameters shared by the routes of an agenda's owner: who may call them (the effector
themself, or the coordination on an effector's behalf; ownership is checked in the services)
and which effector's agenda a coordinator means."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from snp.actor import Actor
from snp.auth import Role
from snp.deps import require_roles

AgendaOwner = Annotated[Actor, Depends(require_roles(Role.EFFECTOR, Role.COORDINATOR))]
EffectorFilter = Annotated[
    int | None,
    Query(description="Effecteur (par défaut le vôtre ; obligatoire pour la coordination)."),
]
