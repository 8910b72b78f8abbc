"""Login with Pro Santé Connect (PSC), the national OpenID Connect provider of health
professionals: authorization code flow with PKCE (S256), `state` and `nonce`.

Off unless `SNP_PSC_ISSUER`, `SNP_PSC_CLIENT_ID` and `SNP_PSC_CLIENT_SECRET` are set; the
endpoints come from the issuer's discovery document. `begin` stores the state (as a login
challenge: hashed, single use, minutes long) with its nonce and PKCE verifier and returns the
provider's authorization URL; `finish` takes the state back, exchanges the code, checks the ID
token (signature against the provider's JWKS, issuer, audience, expiry, nonce), reads the
userinfo and opens a session for the active account whose RPPS matches. PSC gives the national
id as `SubjectNameID` (and `preferred_username`): "8" followed by the 11-digit RPPS. No match:
a refusal, never an account creation. A PSC login is a strong login: no TOTP step follows.

OAuth and JOSE pieces come from Authlib (PKCE, URLs) and joserfc (its JOSE library); HTTP calls
use httpx directly.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from snp.auth import challenges, service
from snp.auth.errors import LoginStepExpired, ProSanteConnectRefused
from snp.auth.models import User
from snp.db import Database
from snp.settings import Settings, psc_enabled

CALLBACK_PATH = "/api/auth/psc/callback"
ID_TOKEN_ALGORITHMS = ["RS256", "PS256", "ES256"]
# National ids of PSC: "8" + RPPS (11 digits) for RPPS professionals.
RPPS_PREFIX = "8"

# Refusal reasons, passed back to the login page which says them in French.
UNKNOWN_RPPS = "inconnu"
EXPIRED = "expire"
REFUSED = "refus"
UNAVAILABLE = "indisponible"

_MESSAGES = {
    UNKNOWN_RPPS: "Aucun compte actif ne porte ce numéro RPPS.",
    EXPIRED: "Connexion Pro Santé Connect expirée ou déjà utilisée.",
    REFUSED: "Réponse de Pro Santé Connect invalide.",
    UNAVAILABLE: "Pro Santé Connect ne répond pas.",
}


def refusal(reason: str) -> ProSanteConnectRefused:
    error = ProSanteConnectRefused(_MESSAGES[reason], ("query", "code"))
    error.reason = reason
    return error


def reason_of(error: ProSanteConnectRefused) -> str:
    return error.reason


def redirect_uri(settings: Settings) -> str:
    return settings.public_base_url.rstrip("/") + CALLBACK_PATH


async def _get_json(client: httpx.AsyncClient, url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = await client.get(url, **kwargs)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError):
        raise refusal(UNAVAILABLE) from None
    if not isinstance(data, dict):
        raise refusal(REFUSED)
    return data


async def discover(client: httpx.AsyncClient, settings: Settings) -> dict[str, Any]:
    issuer = settings.psc_issuer.rstrip("/")
    metadata = await _get_json(client, f"{issuer}/.well-known/openid-configuration")
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")
    if metadata.get("issuer", "").rstrip("/") != issuer or not all(metadata.get(k) for k in needed):
        raise refusal(UNAVAILABLE)
    return metadata


def _client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=settings.psc_timeout_seconds, follow_redirects=False)


@dataclass(frozen=True, slots=True)
class Redirection:
    url: str
    state: str


async def begin(session: AsyncSession, settings: Settings) -> Redirection:
    """The authorization URL to send the browser to, and the state it must come back with."""
    if not psc_enabled(settings):
        raise refusal(UNAVAILABLE)
    async with _client(settings) as client:
        metadata = await discover(client, settings)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    state = await challenges.open_challenge(
        session, settings, challenges.PSC, nonce=nonce, code_verifier=verifier
    )
    url = add_params_to_uri(
        metadata["authorization_endpoint"],
        [
            ("response_type", "code"),
            ("client_id", settings.psc_client_id),
            ("redirect_uri", redirect_uri(settings)),
            ("scope", settings.psc_scopes),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", create_s256_code_challenge(verifier)),
            ("code_challenge_method", "S256"),
            ("acr_values", "eidas1"),
        ],
    )
    return Redirection(url=url, state=state)


def _verified_id_token(
    id_token: str, jwks: dict[str, Any], settings: Settings, nonce: str
) -> dict[str, Any]:
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=ID_TOKEN_ALGORITHMS)  # type: ignore[arg-type]
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": settings.psc_issuer.rstrip("/")},
            aud={"essential": True, "value": settings.psc_client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError, KeyError):
        raise refusal(REFUSED) from None
    return dict(token.claims)


def rpps_of(userinfo: dict[str, Any]) -> str | None:
    """The RPPS in PSC's national id ("8" + 11 digits), or None."""
    for claim in ("SubjectNameID", "preferred_username"):
        value = str(userinfo.get(claim) or "")
        if value.startswith(RPPS_PREFIX) and len(value) == 12 and value.isdigit():
            return value[1:]
    return None


async def finish(
    database: Database,
    settings: Settings,
    *,
    state: str | None,
    browser_state: str | None,
    code: str | None,
    ip: str | None,
) -> service.NewSession:
    """The provider sent the browser back: check everything, then open the RPPS's session."""
    if not psc_enabled(settings):
        raise refusal(UNAVAILABLE)
    if not state or not browser_state or not secrets.compare_digest(state, browser_state):
        raise refusal(EXPIRED)  # not started in this browser (login CSRF) or cookie gone
    async with database.transaction() as session:
        try:
            challenge = await challenges.take(session, state, {challenges.PSC})
        except LoginStepExpired:
            raise refusal(EXPIRED) from None
        nonce, verifier = challenge.nonce or "", challenge.code_verifier or ""
    if not code:
        raise refusal(REFUSED)
    async with _client(settings) as client:
        metadata = await discover(client, settings)
        try:
            response = await client.post(
                metadata["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri(settings),
                    "code_verifier": verifier,
                },
                auth=(settings.psc_client_id, settings.psc_client_secret.get_secret_value()),
            )
            tokens = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            raise refusal(UNAVAILABLE) from None
        if (
            not isinstance(tokens, dict)
            or not tokens.get("id_token")
            or not tokens.get("access_token")
        ):
            raise refusal(REFUSED)
        jwks = await _get_json(client, metadata["jwks_uri"])
        claims = _verified_id_token(str(tokens["id_token"]), jwks, settings, nonce)
        userinfo = await _get_json(
            client,
            metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        )
    if userinfo.get("sub") != claims.get("sub"):
        raise refusal(REFUSED)
    rpps = rpps_of(userinfo)
    async with database.transaction() as session:
        user = None
        if rpps is not None:
            user = await session.scalar(select(User).where(User.rpps == rpps))
        if user is None or not user.active:
            raise refusal(UNKNOWN_RPPS)
        return await service.open_session(session, settings, user, ip, "psc")
