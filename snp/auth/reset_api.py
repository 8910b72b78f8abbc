"""Password reset routes: a coordinator issues a link; its owner sets a new password."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, Field

from snp.actor import Actor
from snp.auth import forgotten, reset
from snp.auth.roles import Role
from snp.deps import SessionDep, SettingsDep, client_ip, public, require_roles

router = APIRouter(prefix="/api/password-reset", tags=["password_reset"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


class ResetLinkOut(BaseModel):
    user_id: int
    email: str
    url: str
    expires_at: datetime


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=200)


class NewPasswordIn(TokenIn):
    password: str = Field(min_length=1, max_length=200)


class TokenCheckOut(BaseModel):
    email: str


class ForgottenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=1, max_length=254)


class ForgottenOut(BaseModel):
    message: str


@router.post("/users/{user_id}", status_code=status.HTTP_201_CREATED)
async def issue_reset_link(
    user_id: int, session: SessionDep, settings: SettingsDep, actor: Coordinator
) -> ResetLinkOut:
    """A one-time link (shown once) for the user to choose a new password."""
    link = await reset.issue_link(session, actor, settings, user_id=user_id)
    return ResetLinkOut(
        user_id=link.user_id, email=link.email, url=link.url, expires_at=link.expires_at
    )


@router.post("/check", dependencies=[Depends(public)])
async def check_reset_token(body: TokenIn, session: SessionDep) -> TokenCheckOut:
    """Whether a link is still valid (the page says so before asking for a password)."""
    user = await reset.check_token(session, body.token)
    return TokenCheckOut(email=user.email)


@router.post("/use", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(public)])
async def use_reset_token(body: NewPasswordIn, request: Request, session: SessionDep) -> None:
    """Set the new password; the link then stops working and open sessions are closed."""
    await reset.use_link(session, body.token, body.password, client_ip(request))


@router.post("/request", status_code=status.HTTP_202_ACCEPTED, dependencies=[Depends(public)])
async def request_reset_link(
    body: ForgottenIn, request: Request, session: SessionDep, settings: SettingsDep
) -> ForgottenOut:
    """« Mot de passe oublié »: the same answer whether or not an account has this e-mail; when
    an active one has it, a one-time link is e-mailed. 429 beyond the hourly limits."""
    message = await forgotten.request_link(session, settings, body.email, client_ip(request))
    return ForgottenOut(message=message)
