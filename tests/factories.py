"""Data builders and helpers for tests: plain async functions, no magic."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from snp.actor import Actor
from snp.auth import service as auth_service
from snp.auth.models import User
from snp.auth.roles import Role

PASSWORD = "correct horse battery"


async def create_user(
    session: AsyncSession,
    role: Role = Role.OPERATOR,
    email: str | None = None,
    password: str = PASSWORD,
) -> User:
    user = await auth_service.create_user(
        session,
        Actor.system("tests"),
        email=email or f"{role.value}@example.fr",
        full_name=f"Test {role.value}",
        role=role,
        password=password,
    )
    await session.commit()
    return user


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """Log the client in; later writes carry the CSRF token like the web UI does."""
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    token = str(response.json()["csrf_token"])
    client.headers["X-CSRF-Token"] = token
    return token


async def logged_in_as(client: httpx.AsyncClient, session: AsyncSession, role: Role) -> User:
    user = await create_user(session, role)
    await login(client, user.email)
    return user
