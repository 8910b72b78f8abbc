"""First-start routes (public, and closed for good once the platform is set up)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, Field

from snp import first_run
from snp.deps import SessionDep, client_ip, public

router = APIRouter(prefix="/api/setup", tags=["setup"])


class SetupStatusOut(BaseModel):
    open: bool


class SetupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=40)
    cpts_name: str = Field(max_length=200)
    finess: str = Field(max_length=20)
    phone: str = Field(max_length=30)
    address: str | None = Field(default=None, max_length=300)
    territory_name: str = Field(max_length=200)
    department: str = Field(max_length=3)
    coordinator_email: str = Field(max_length=254)
    coordinator_name: str = Field(max_length=200)
    coordinator_password: str = Field(max_length=200)


class SetupOut(BaseModel):
    coordinator_email: str


@router.get("", dependencies=[Depends(public)])
async def setup_status(session: SessionDep) -> SetupStatusOut:
    """Whether the first-start setup is waiting (no CPTS and no account yet)."""
    return SetupStatusOut(open=await first_run.is_open(session))


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[Depends(public)])
async def complete_setup(body: SetupIn, request: Request, session: SessionDep) -> SetupOut:
    """Set the platform up with the code from the server's log: the CPTS identity, its
    territory and the first coordinator account. Works once."""
    account = await first_run.complete(
        session, first_run.SetupInput(**body.model_dump()), client_ip(request)
    )
    return SetupOut(coordinator_email=account.email)
