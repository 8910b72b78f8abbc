"""Slots: the effector's calendar (list, open, move, remove) and the free-slot search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response, status

from agenda.errors import MissingValue
from agenda.schemas import FreeSlotPage, Kind, SlotIn, SlotOut, SlotPatch, Visibility
from agenda.service import search, slot_rules, slots
from snp.actor import Actor
from snp.auth import Role
from snp.deps import SessionDep, require_roles
from snp.kit import PageParams, page_params

router = APIRouter(prefix="/api/agenda", tags=["agenda"])

# Who may call; ownership (an effector acts on their own agenda only) is checked in the service.
SlotReader = Annotated[
    Actor,
    Depends(require_roles(Role.EFFECTOR, Role.COORDINATOR, Role.OPERATOR, Role.REGULATOR)),
]
SlotManager = Annotated[Actor, Depends(require_roles(Role.EFFECTOR, Role.COORDINATOR))]
FreeSlotSearcher = Annotated[
    Actor,
    Depends(require_roles(Role.OPERATOR, Role.REGULATOR, Role.COORDINATOR, Role.SAS_REGULATOR)),
]


@router.get("/slots")
async def list_slots(
    session: SessionDep,
    actor: SlotReader,
    start: Annotated[datetime, Query(description="Début de la période, avec fuseau horaire.")],
    end: Annotated[datetime, Query(description="Fin de la période (93 jours au plus).")],
    effector_id: Annotated[
        int | None, Query(description="Par défaut, pour un effecteur : le sien.")
    ] = None,
) -> list[SlotOut]:
    """An effector's slots overlapping the period, booked ones with their patient."""
    if effector_id is None:
        own = await slot_rules.effector_of_user(session, actor.user_id)
        if own is None:
            raise MissingValue("Choisissez un effecteur.", loc=["query", "effector_id"])
        effector_id = own.id
    return await slots.list_slots(session, actor, effector_id=effector_id, start=start, end=end)


@router.post("/slots", status_code=status.HTTP_201_CREATED)
async def create_slot(session: SessionDep, actor: SlotManager, body: SlotIn) -> SlotOut:
    """Open a slot; 422 naming the conflicting slot when it overlaps another of the effector."""
    return await slots.create_slot(session, actor, body)


@router.patch("/slots/{slot_id}")
async def update_slot(
    session: SessionDep, actor: SlotManager, slot_id: int, body: SlotPatch
) -> SlotOut:
    """Change or move a slot. Moving a booked slot sends its patient back to be rebooked."""
    return await slots.update_slot(session, actor, slot_id, body)


@router.delete("/slots/{slot_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_slot(
    session: SessionDep,
    actor: SlotManager,
    slot_id: int,
    reason: Annotated[str | None, Query(max_length=150)] = None,
) -> Response:
    """Remove a slot. A booked patient is not dropped: the appointment goes to `to_rebook`."""
    await slots.delete_slot(session, actor, slot_id, reason)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/slots/free")
async def search_free_slots(
    session: SessionDep,
    actor: FreeSlotSearcher,
    page: Annotated[PageParams, Depends(page_params(default=100, maximum=500, max_offset=5000))],
    start: Annotated[datetime, Query(description="Début de la période, avec fuseau horaire.")],
    end: Annotated[datetime, Query(description="Fin de la période, avec fuseau horaire.")],
    kinds: Annotated[list[Kind] | None, Query(description="Au moins un de ces types.")] = None,
    visibility: Annotated[
        list[Visibility] | None, Query(description="Au moins une de ces visibilités.")
    ] = None,
    effector_id: Annotated[list[int] | None, Query(description="Effecteurs (répétable).")] = None,
    specialty: Annotated[str | None, Query(max_length=16, description="Ex. SM54.")] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    max_km: Annotated[float | None, Query(gt=0, le=1000)] = None,
    shared_with_sas_only: bool = False,
    order: Literal["start", "distance"] | None = None,
) -> FreeSlotPage:
    """Bookable slots, with effector and site (and `distance_km` from `lat`/`lon`).

    Sorted by start, or by distance when `lat`/`lon` are given. SAS regulators see only the
    slots shared with the SAS."""
    if (lat is None) != (lon is None):
        raise MissingValue(
            "Donnez la latitude et la longitude.", loc=["query", "lon" if lon is None else "lat"]
        )
    found = await search.search_free_slots(
        session,
        start=start,
        end=end,
        kinds=kinds,
        visibility=visibility,
        effector_ids=effector_id,
        specialty=specialty,
        near=(lat, lon) if lat is not None and lon is not None else None,
        max_km=max_km,
        shared_with_sas_only=shared_with_sas_only or actor.has(Role.SAS_REGULATOR),
        limit=page.limit + 1,
        offset=page.offset,
        order=order,
    )
    return FreeSlotPage(
        items=found[: page.limit],
        limit=page.limit,
        offset=page.offset,
        has_more=len(found) > page.limit,
    )
