"""Invitation routes: the coordination invites, resends, revokes; the invited person accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from snp.actor import Actor
from snp.auth import invitations, service
from snp.auth.api import clear_login_step_cookie, set_login_step_cookie, set_session_cookies
from snp.auth.roles import Role
from snp.auth.schemas import LoginOut, UserOut
from snp.deps import SessionDep, SettingsDep, client_ip, public, require_roles

router = APIRouter(prefix="/api/invitations", tags=["invitations"])

Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


class InvitationIn(BaseModel):
    """A new account and its invitation; the rules (e-mail, role) are the service's."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=254)
    full_name: str = Field(max_length=200)
    role: Role


class InvitationOut(BaseModel):
    user_id: int
    email: str
    expires_at: datetime
    emailed: bool


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=10, max_length=200)


class InvitationCheckOut(BaseModel):
    email: str
    full_name: str
    role: Role
    needs_email: bool


class AcceptIn(TokenIn):
    password: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)


def _out(found: invitations.Invitation) -> InvitationOut:
    return InvitationOut(
        user_id=found.user_id, email=found.email, expires_at=found.expires_at, emailed=found.emailed
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def invite(
    body: InvitationIn, session: SessionDep, settings: SettingsDep, actor: Coordinator
) -> InvitationOut:
    """Create the account and e-mail its owner a one-time link to choose the password."""
    found = await invitations.invite(
        session, actor, settings, email=body.email, full_name=body.full_name, role=body.role
    )
    return _out(found)


@router.post("/users/{user_id}/resend")
async def resend(
    user_id: int, session: SessionDep, settings: SettingsDep, actor: Coordinator
) -> InvitationOut:
    """A new link for an account never used (the previous ones stop working)."""
    return _out(await invitations.resend(session, actor, settings, user_id, by_email_only=True))


@router.post("/users/{user_id}/revoke", status_code=status.HTTP_204_NO_CONTENT)
async def revoke(user_id: int, session: SessionDep, actor: Coordinator) -> None:
    """The links stop working and the never-used account is deactivated."""
    await invitations.revoke(session, actor, user_id)


@router.post("/check", dependencies=[Depends(public)])
async def check(body: TokenIn, session: SessionDep) -> InvitationCheckOut:
    """Whether an invitation link still works, and for whom."""
    found = await invitations.check(session, body.token)
    return InvitationCheckOut(
        email=found.email,
        full_name=found.full_name,
        role=Role(found.role),
        needs_email=found.needs_email,
    )


@router.post("/accept", dependencies=[Depends(public)])
async def accept(
    body: AcceptIn, request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> LoginOut:
    """Choose the password (and the e-mail, when the invitation came by SMS): the link is spent
    and the user goes on as after a login with that password (the second factor's enrolment
    first, when the role needs one; else the session opens)."""
    opened = await invitations.accept(
        session, settings, body.token, body.password, client_ip(request), body.email
    )
    if isinstance(opened, service.PendingLogin):
        set_login_step_cookie(response, settings, opened.token)
        return LoginOut(second_factor="totp" if opened.step == "totp" else "enrolment")
    clear_login_step_cookie(response, settings)
    set_session_cookies(response, settings, opened.token, opened.csrf_token)
    return LoginOut(user=UserOut.model_validate(opened.user), csrf_token=opened.csrf_token)
