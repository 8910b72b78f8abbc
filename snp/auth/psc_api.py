"""Pro Santé Connect routes: whether it is offered, the redirection to it, and its return."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from snp.auth import psc
from snp.auth.api import set_session_cookies
from snp.auth.errors import ProSanteConnectRefused
from snp.auth.schemas import ProSanteConnectOut
from snp.deps import SessionDep, SettingsDep, client_ip, get_database, public
from snp.settings import Settings, psc_enabled

router = APIRouter(prefix="/api/auth/psc", tags=["auth"])

STATE_COOKIE = "snp_psc_state"
LOGIN_PAGE = "/connexion"


def _forget_state(response: RedirectResponse, settings: Settings) -> None:
    response.delete_cookie(
        STATE_COOKIE,
        path=router.prefix,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )


def _refused(reason: str, settings: Settings) -> RedirectResponse:
    response = RedirectResponse(f"{LOGIN_PAGE}?{urlencode({'erreur_psc': reason})}", 303)
    _forget_state(response, settings)
    return response


@router.get("", dependencies=[Depends(public)])
async def offered(settings: SettingsDep) -> ProSanteConnectOut:
    """Whether the login page offers « Se connecter avec Pro Santé Connect »."""
    return ProSanteConnectOut(enabled=psc_enabled(settings))


@router.get("/login", dependencies=[Depends(public)], response_class=RedirectResponse)
async def start(session: SessionDep, settings: SettingsDep) -> RedirectResponse:
    """Send the browser to Pro Santé Connect (the state is bound to this browser by a cookie)."""
    try:
        redirection = await psc.begin(session, settings)
    except ProSanteConnectRefused as error:
        return _refused(psc.reason_of(error), settings)
    response = RedirectResponse(redirection.url, 303)
    _set_state_cookie(response, settings, redirection.state)
    return response


def _set_state_cookie(response: RedirectResponse, settings: Settings, state: str) -> None:
    # Lax, not strict: the provider's redirection back is a top-level cross-site navigation.
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=settings.mfa_challenge_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path=router.prefix,
    )


@router.get("/callback", dependencies=[Depends(public)], response_class=RedirectResponse)
async def callback(
    request: Request,
    settings: SettingsDep,
    code: str | None = None,
    state: str | None = None,
) -> RedirectResponse:
    """Pro Santé Connect's return: the session opens for the account with this RPPS, or the
    login page says why not (`?erreur_psc=inconnu|expire|refus|indisponible`)."""
    try:
        opened = await psc.finish(
            get_database(request),
            settings,
            state=state,
            browser_state=request.cookies.get(STATE_COOKIE),
            code=code,
            ip=client_ip(request),
        )
    except ProSanteConnectRefused as error:
        return _refused(psc.reason_of(error), settings)
    response = RedirectResponse("/", 303)
    _forget_state(response, settings)
    set_session_cookies(response, settings, opened.token, opened.csrf_token)
    return response
