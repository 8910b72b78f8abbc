"""Who may call `/fhir`: only the SAS platform, identified by its client certificate.

Mutual TLS is terminated by the reverse proxy (deploy/nginx-sas.conf), which verifies the
certificate against the IGC-Santé CA bundle and forwards its subject DN in `X-SSL-Client-S-DN`
(always overwriting what a client may have sent). The app accepts the request only when that
subject's CN and OU match an entry of `SNP_SAS_CLIENT_SUBJECTS`. Both DN notations are read:
RFC 4514 (`CN=a,OU=b,O=c`, nginx's `$ssl_client_s_dn`) and the legacy one (`/C=FR/O=x/OU=y/CN=z`,
`$ssl_client_s_dn_legacy`); attribute order, case of the attribute names and spacing do not
matter. `SNP_SAS_REQUIRE_CLIENT_CERT=false` lifts the check (local development only; the app
logs a warning at start).

The header is believed only when the request comes from the proxy: its address is one of
`SNP_TRUSTED_PROXIES` (default loopback only), or it carries the shared secret
`SNP_SAS_PROXY_SECRET` in `X-SNP-Proxy-Secret`. Anything else calling `/fhir` — someone who
reaches the app's port directly and sends the header themself — gets a 403.
"""

from __future__ import annotations

import ipaddress
import logging
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from sas.fhir import AccessDenied
from snp.actor import Actor
from snp.deps import SettingsDep, client_ip
from snp.settings import Settings

log = logging.getLogger(__name__)

SUBJECT_HEADER = "X-SSL-Client-S-DN"
SECRET_HEADER = "X-SNP-Proxy-Secret"  # noqa: S105 (a header name)
SAS_ACTOR_NAME = "plateforme-sas"


@dataclass(frozen=True, slots=True)
class Subject:
    cn: str
    ou: str


def _split(text: str, separators: str) -> list[str]:
    """Split on unescaped separators (a backslash escapes the next character)."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def parse_dn(dn: str) -> dict[str, list[str]]:
    """Attribute values by upper-case type, from an RFC 4514 or legacy slash-separated DN."""
    text = dn.strip()
    parts = _split(text[1:], "/") if text.startswith("/") else _split(text, ",+;")
    attributes: dict[str, list[str]] = {}
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            continue
        attributes.setdefault(name.strip().upper(), []).append(value.strip().strip('"').strip())
    return attributes


def parse_allowed(setting: str) -> list[Subject]:
    """`CN=<cn>,OU=<ou>;CN=...` -> subjects; an entry without both CN and OU is ignored."""
    allowed: list[Subject] = []
    for entry in setting.split(";"):
        attributes = parse_dn(entry)
        cn, ou = attributes.get("CN"), attributes.get("OU")
        if cn and ou:
            allowed.append(Subject(cn[0], ou[0]))
    return allowed


def subject_allowed(dn: str, allowed: list[Subject]) -> bool:
    attributes = parse_dn(dn)
    cns = {v.casefold() for v in attributes.get("CN", [])}
    ous = {v.casefold() for v in attributes.get("OU", [])}
    return any(s.cn.casefold() in cns and s.ou.casefold() in ous for s in allowed)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse_networks(setting: str) -> tuple[Network, ...]:
    """`127.0.0.1,::1,10.0.0.0/8` -> networks; an entry that is not an address is ignored."""
    networks: list[Network] = []
    for entry in setting.split(","):
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def from_trusted_proxy(request: Request, settings: Settings) -> bool:
    """The request came through the TLS proxy (trusted address or shared secret)."""
    secret = settings.sas_proxy_secret
    sent = request.headers.get(SECRET_HEADER, "")
    if secret and sent and secrets.compare_digest(sent.encode(), secret.encode()):
        return True
    host = client_ip(request)
    if host is None:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in parse_networks(settings.trusted_proxies))


def check_request(request: Request, settings: Settings) -> Actor:
    actor = Actor(None, SAS_ACTOR_NAME, None, client_ip(request))
    if not settings.sas_require_client_cert:
        return actor
    if not from_trusted_proxy(request, settings):
        log.warning("SAS access refused: request not coming through a trusted TLS proxy")
        raise AccessDenied(
            "Accès refusé : les appels FHIR doivent passer par le proxy TLS de la plateforme."
        )
    dn = request.headers.get(SUBJECT_HEADER, "").strip()
    if not dn:
        raise AccessDenied("Certificat client requis : accès réservé à la plateforme SAS.")
    if not subject_allowed(dn, parse_allowed(settings.sas_client_subjects)):
        log.warning("SAS access refused to a client certificate subject not allowed")
        raise AccessDenied("Certificat client non autorisé : accès réservé à la plateforme SAS.")
    return actor


async def sas_client(request: Request, settings: SettingsDep) -> Actor:
    """Policy: the caller is the SAS platform (checked client-certificate subject)."""
    return check_request(request, settings)


sas_client.snp_policy = ("sas_client", ())  # type: ignore[attr-defined]

SasClient = Annotated[Actor, Depends(sas_client)]


def warn_if_open(settings: Settings) -> None:
    """Called at start: say loudly when the FHIR routes are open to anyone."""
    if not settings.sas_require_client_cert:
        log.warning(
            "SNP_SAS_REQUIRE_CLIENT_CERT=false: the SAS FHIR routes (/fhir) accept ANY caller "
            "without a client certificate. Local development only, never in production."
        )
    elif not parse_networks(settings.trusted_proxies) and not settings.sas_proxy_secret:
        log.warning(
            "Neither SNP_TRUSTED_PROXIES nor SNP_SAS_PROXY_SECRET is set: every call to the SAS "
            "FHIR routes (/fhir) will be refused."
        )
    elif not parse_allowed(settings.sas_client_subjects):
        log.warning(
            "SNP_SAS_CLIENT_SUBJECTS is empty: every call to the SAS FHIR routes (/fhir) will be "
            "refused until the SAS platform's certificate subject (CN, OU) is configured."
        )
