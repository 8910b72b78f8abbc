"""FastAPI dependencies shared by every router: database session, settings, policies.

Every route must carry exactly one policy: `require_roles(...)` (roles + CSRF on writes) or
`public` (login, health, documented open routes). A test walks the app and fails otherwise.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from snp.actor import Actor
from snp.auth import Role, resolve_session
from snp.db import Database
from snp.errors import Forbidden, NotAuthenticated
from snp.settings import Settings

SESSION_COOKIE = "snp_session"
CSRF_COOKIE = "snp_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    async with get_database(request).transaction() as session:
        yield session


# scope="function": commit before the response is sent, so a client's next request sees it.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def _authenticated(request: Request, session: SessionDep, settings: SettingsDep) -> Actor:
    token = request.cookies.get(SESSION_COOKIE)
    resolved = await resolve_session(session, settings, token) if token else None
    if resolved is None:
        raise NotAuthenticated("Connexion requise.")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(sent.encode(), resolved.csrf_token.encode()):
            raise Forbidden("Jeton CSRF manquant ou invalide : rechargez la page.")
    request.state.csrf_token = resolved.csrf_token
    user = resolved.user
    return Actor(user.id, user.email, Role(user.role), client_ip(request))


PolicyDep = Callable[..., Coroutine[Any, Any, Actor | None]]


def require_roles(*roles: Role) -> PolicyDep:
    """Policy: the caller is logged in with one of `roles` (and sent the CSRF token on writes)."""
    allowed = frozenset(roles)

    async def policy(actor: Annotated[Actor, Depends(_authenticated)]) -> Actor:
        if actor.role not in allowed:
            raise Forbidden("Accès réservé : votre rôle ne permet pas cette action.")
        return actor

    policy.snp_policy = ("roles", tuple(sorted(allowed)))  # type: ignore[attr-defined]
    return policy


ANY_ROLE: tuple[Role, ...] = tuple(Role)


async def public() -> None:
    """Policy: open to anyone (login, health checks, the web UI's static files)."""


public.snp_policy = ("public", ())  # type: ignore[attr-defined]
