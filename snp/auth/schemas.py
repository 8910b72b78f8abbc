from __future__ import annotations

from datetime import datetime
from typing import Literal

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
    rpps: str | None = None
    mfa_enrolled: bool = False


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str


class LoginOut(BaseModel):
    """A login's answer: the session (`user`, `csrf_token`), or the second step it still needs
    (`second_factor`: "totp" = give a code, "enrolment" = set a second factor up first)."""

    user: UserOut | None = None
    csrf_token: str | None = None
    second_factor: Literal["totp", "enrolment"] | None = None


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=1, max_length=40, description="Code à 6 chiffres ou code de secours."
    )


class EnrolmentOut(BaseModel):
    secret: str
    otpauth_uri: str
    qr_code: str = Field(description="The QR code of `otpauth_uri`, an SVG `data:` URI.")


class EnrolledOut(SessionOut):
    recovery_codes: list[str]


class MfaStatusOut(BaseModel):
    enrolled: bool
    required: bool
    recovery_codes_left: int


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str]


class ProSanteConnectOut(BaseModel):
    enabled: bool


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
    rpps: str | None = Field(
        default=None, max_length=20, description="Numéro RPPS (11 chiffres) ; vide pour l'ôter."
    )


class UserList(Page[AccountOut]):
    pass
