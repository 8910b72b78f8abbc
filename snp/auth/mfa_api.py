"""Second factor routes: enrolment at first login, the code step, the user's own status and
recovery codes, and the coordinator's reset."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from snp.actor import Actor
from snp.auth import mfa
from snp.auth.api import (
    LOGIN_STEP_COOKIE,
    clear_login_step_cookie,
    set_login_step_cookie,
    set_session_cookies,
)
from snp.auth.roles import Role
from snp.auth.schemas import (
    CodeIn,
    EnrolledOut,
    EnrolmentOut,
    LoginOut,
    MfaStatusOut,
    RecoveryCodesOut,
    SessionOut,
    UserOut,
)
from snp.deps import (
    ANY_ROLE,
    SessionDep,
    SettingsDep,
    client_ip,
    get_database,
    public,
    require_roles,
)

router = APIRouter(prefix="/api/auth/mfa", tags=["auth"])
users_router = APIRouter(prefix="/api/users", tags=["users"])

Authenticated = Annotated[Actor, Depends(require_roles(*ANY_ROLE))]
Coordinator = Annotated[Actor, Depends(require_roles(Role.COORDINATOR))]


@router.post("/enrolment", dependencies=[Depends(public)])
async def start_enrolment(
    request: Request, session: SessionDep, settings: SettingsDep
) -> EnrolmentOut:
    """After a correct password, the secret to add to an authenticator application: as a QR
    code and as text (the same one until the step expires)."""
    enrolment = await mfa.start_enrolment(session, settings, request.cookies.get(LOGIN_STEP_COOKIE))
    return EnrolmentOut(
        secret=enrolment.secret, otpauth_uri=enrolment.uri, qr_code=enrolment.qr_svg_data_uri
    )


@router.post("/enrolment/confirm", dependencies=[Depends(public)])
async def confirm_enrolment(
    body: CodeIn, request: Request, response: Response, settings: SettingsDep
) -> EnrolledOut:
    """The first code of the application confirms the enrolment and opens the session; the 10
    recovery codes are in this answer only."""
    # No request-wide transaction: the attempt is counted and committed before the check.
    enrolled = await mfa.confirm_enrolment(
        get_database(request),
        settings,
        request.cookies.get(LOGIN_STEP_COOKIE),
        body.code,
        client_ip(request),
    )
    opened = enrolled.opened
    clear_login_step_cookie(response, settings)
    set_session_cookies(response, settings, opened.token, opened.csrf_token)
    return EnrolledOut(
        user=UserOut.model_validate(opened.user),
        csrf_token=opened.csrf_token,
        recovery_codes=enrolled.recovery_codes,
    )


@router.post("/verify", dependencies=[Depends(public)])
async def verify(
    body: CodeIn, request: Request, response: Response, settings: SettingsDep
) -> SessionOut:
    """The second step of a login: the application's current code or an unused recovery code."""
    opened = await mfa.verify(
        get_database(request),
        settings,
        request.cookies.get(LOGIN_STEP_COOKIE),
        body.code,
        client_ip(request),
    )
    clear_login_step_cookie(response, settings)
    set_session_cookies(response, settings, opened.token, opened.csrf_token)
    return SessionOut(user=UserOut.model_validate(opened.user), csrf_token=opened.csrf_token)


@router.get("")
async def my_status(
    session: SessionDep, settings: SettingsDep, actor: Authenticated
) -> MfaStatusOut:
    """Whether the caller has a second factor, must have one, and how many recovery codes are
    left."""
    found = await mfa.status(session, settings, actor.user_id or 0)
    return MfaStatusOut(
        enrolled=found.enrolled,
        required=found.required,
        recovery_codes_left=found.recovery_codes_left,
    )


@router.post("/self-enrolment")
async def begin_self_enrolment(
    response: Response, session: SessionDep, settings: SettingsDep, actor: Authenticated
) -> LoginOut:
    """Set a second factor up of one's own accord (roles for which it is optional): then the
    same enrolment steps as at first login (`/enrolment`, `/enrolment/confirm`)."""
    token = await mfa.begin_self_enrolment(session, settings, actor)
    set_login_step_cookie(response, settings, token)
    return LoginOut(second_factor="enrolment")


@router.post("/recovery-codes", status_code=status.HTTP_201_CREATED)
async def renew_recovery_codes(session: SessionDep, actor: Authenticated) -> RecoveryCodesOut:
    """10 new recovery codes (shown once); the previous ones stop working."""
    return RecoveryCodesOut(recovery_codes=await mfa.regenerate_recovery_codes(session, actor))


@users_router.delete("/{user_id}/mfa", status_code=status.HTTP_204_NO_CONTENT)
async def reset_mfa(user_id: int, session: SessionDep, actor: Coordinator) -> None:
    """Remove a user's second factor (lost phone): their sessions close and they set a new one
    up at their next login (audited)."""
    await mfa.reset(session, actor, user_id)
