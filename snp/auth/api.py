"""Login, logout, current user, and account administration by the coordinator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from snp.actor import Actor
from snp.auth import invitations, service
from snp.auth.models import User
from snp.auth.roles import Role
from snp.auth.schemas import (
    AccountOut,
    LoginIn,
    LoginOut,
    SessionOut,
    UserCreate,
    UserList,
    UserOut,
    UserPatch,
)
from snp.deps import (
    ANY_ROLE,
    CSRF_COOKIE,
    SESSION_COOKIE,
    SessionDep,
    SettingsDep,
    client_ip,
    get_database,
    public,
    require_roles,
)
from snp.errors import NotFound
from snp.kit import PageDep
from snp.settings import Settings

router = APIRouter(prefix="/api/auth", tags=["auth"])
users_router = APIRouter(prefix="/api/users", tags=["users"])

Authenticated = Annotated[Actor, Depends(require_roles(*ANY_ROLE))]
Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


LOGIN_STEP_COOKIE = "snp_login_step"
LOGIN_STEP_PATH = "/api/auth"


def set_login_step_cookie(response: Response, settings: Settings, token: str) -> None:
    """The token of a login between two steps: HttpOnly, strict, minutes long."""
    response.set_cookie(
        LOGIN_STEP_COOKIE,
        token,
        max_age=settings.mfa_challenge_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path=LOGIN_STEP_PATH,
    )


def clear_login_step_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        LOGIN_STEP_COOKIE,
        path=LOGIN_STEP_PATH,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
    )


def set_session_cookies(response: Response, settings: Settings, token: str, csrf: str) -> None:
    max_age = settings.session_max_hours * 3600
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        csrf,
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


@router.post("/login", dependencies=[Depends(public)])
async def login(
    body: LoginIn, request: Request, response: Response, settings: SettingsDep
) -> LoginOut:
    """Check the password. Then either the session opens (`user`, `csrf_token`), or, for an
    account with a second factor (or one that must set it up), `second_factor` names the next
    step, bound to this browser by a short-lived cookie; no session exists before it."""
    # No request-wide transaction: the service commits the throttle's count before hashing.
    opened = await service.login(
        get_database(request),
        settings,
        email=body.email,
        password=body.password,
        ip=client_ip(request),
    )
    if isinstance(opened, service.PendingLogin):
        set_login_step_cookie(response, settings, opened.token)
        return LoginOut(second_factor="totp" if opened.step == "totp" else "enrolment")
    clear_login_step_cookie(response, settings)
    set_session_cookies(response, settings, opened.token, opened.csrf_token)
    return LoginOut(user=UserOut.model_validate(opened.user), csrf_token=opened.csrf_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request, response: Response, session: SessionDep, actor: Authenticated
) -> None:
    await service.logout(session, actor, request.cookies.get(SESSION_COOKIE, ""))
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.get("/me")
async def me(request: Request, session: SessionDep, actor: Authenticated) -> SessionOut:
    user = await service.get_user_by_email(session, actor.email)
    if user is None:
        raise NotFound("Compte introuvable.")
    return SessionOut(user=UserOut.model_validate(user), csrf_token=request.state.csrf_token)


@users_router.get("")
async def list_users(
    session: SessionDep,
    actor: Coordinator,
    page: PageDep,
    role: Annotated[Role | None, Query(description="Seulement ce rôle.")] = None,
    active: Annotated[bool | None, Query(description="Comptes actifs ou désactivés.")] = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Texte de l'e-mail ou du nom.")
    ] = None,
) -> UserList:
    users, total = await service.list_users(session, page, role=role, active=active, search=search)
    pending = await invitations.pending_user_ids(session, [u.id for u in users])
    items = [
        AccountOut.model_validate(u).model_copy(update={"invitation_expires_at": pending.get(u.id)})
        for u in users
    ]
    return UserList(items=items, total=total)


@users_router.post("", status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, session: SessionDep, actor: Coordinator) -> AccountOut:
    """Create an account (audited). An effector account whose e-mail is a directory entry's
    is linked to that effector."""
    user = await service.create_user(
        session,
        actor,
        email=body.email,
        full_name=body.full_name,
        role=body.role,
        password=body.password or service.random_password(),
    )
    return AccountOut.model_validate(user)


@users_router.patch("/{user_id}")
async def update_user(
    user_id: int, body: UserPatch, session: SessionDep, actor: Coordinator
) -> AccountOut:
    """Change an account's name or role, deactivate or reactivate it (audited); deactivating
    closes its sessions. Nobody deactivates their own account or changes their own role."""
    await service.update_account_by_id(
        session,
        actor,
        user_id,
        full_name=body.full_name,
        role=body.role,
        active=body.active,
        rpps=body.rpps,
    )
    user = await session.get(User, user_id)
    return AccountOut.model_validate(user)
