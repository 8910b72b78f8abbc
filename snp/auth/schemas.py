from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from snp.auth.roles import Role
from snp.kit import Page


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    full_name: str
    role: Role


class AccountOut(UserOut):
    """An account as the coordination administers it."""

    active: bool
    last_login_at: datetime | None
    invitation_expires_at: datetime | None = None


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str


class UserCreate(BaseModel):
    """A new account; its rules (e-mail, password policy, role) are the service's.

    Without a password the account gets a random one: send it a reset link."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    full_name: str = Field(max_length=200)
    role: Role
    password: str | None = Field(default=None, max_length=200)


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, max_length=200)
    role: Role | None = None
    active: bool | None = None


class UserList(Page[AccountOut]):
    pass
