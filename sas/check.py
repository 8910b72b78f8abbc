"""`snp sas check`: can we reach the SAS platform? TLS, certificates and HTTP status, in plain
French, for whoever installs or troubleshoots the link (wrong URL, certificate not yet
accepted by the platform, CA bundle missing, platform down)."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from sas.client import tls_context
from snp.settings import Settings

HTTP_MEANINGS = {
    400: "la plateforme juge la requête mal formée",
    401: "la plateforme ne reconnaît pas notre certificat client (authentification refusée)",
    403: "la plateforme refuse notre certificat client (non autorisé) : faites-le enregistrer "
    "auprès de l'ANS",
    404: "adresse inconnue de la plateforme : vérifiez SNP_SAS_PLATFORM_URL",
    405: "opération non acceptée à cette adresse : vérifiez SNP_SAS_PLATFORM_URL",
}


@dataclass
class CheckReport:
    ok: bool = True
    lines: list[str] = field(default_factory=list)

    def good(self, text: str) -> None:
        self.lines.append(f"OK      {text}")

    def bad(self, text: str) -> None:
        self.ok = False
        self.lines.append(f"ÉCHEC   {text}")

    def note(self, text: str) -> None:
        self.lines.append(f"INFO    {text}")


def _name(parts: Any) -> str:
    """`((('commonName', 'x'),), (('organizationalUnitName', 'y'),))` -> `CN=x, OU=y`."""
    short = {
        "commonName": "CN",
        "organizationalUnitName": "OU",
        "organizationName": "O",
        "countryName": "C",
        "localityName": "L",
        "stateOrProvinceName": "ST",
    }
    out = []
    for rdn in parts or ():
        for key, value in rdn:
            out.append(f"{short.get(key, key)}={value}")
    return ", ".join(out) or "(vide)"


def _expiry(text: object) -> str:
    if not isinstance(text, str) or not text:
        return "?"
    moment = datetime.fromtimestamp(ssl.cert_time_to_seconds(text), UTC)
    return moment.strftime("%d/%m/%Y")


def _describe_own_certificate(settings: Settings, report: CheckReport) -> None:
    if settings.sas_client_cert_file is None:
        report.bad(
            "Aucun certificat client configuré (SNP_SAS_CLIENT_CERT_FILE) : la plateforme SAS "
            "exige un certificat IGC-Santé."
        )
        return
    try:
        decoded = ssl._ssl._test_decode_cert(str(settings.sas_client_cert_file))  # type: ignore[attr-defined]
    except (OSError, ssl.SSLError) as exc:
        report.bad(f"Certificat client illisible ({settings.sas_client_cert_file}) : {exc}.")
        return
    report.note(
        f"Notre certificat client : sujet « {_name(decoded.get('subject'))} », émis par "
        f"« {_name(decoded.get('issuer'))} », valable jusqu'au {_expiry(decoded.get('notAfter'))}."
    )


def check_platform(
    settings: Settings, url: str | None = None, timeout: float = 10.0
) -> CheckReport:
    """Connect to the platform URL (setting or `url`) and say what works and what does not."""
    report = CheckReport()
    target = (url or settings.sas_platform_url).rstrip("/")
    if not target:
        report.bad("Aucune adresse de plateforme SAS configurée (SNP_SAS_PLATFORM_URL).")
        return report
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        report.bad(f"Adresse invalide : « {target} » (attendu https://…).")
        return report
    report.note(f"Plateforme : {target}")
    context: ssl.SSLContext | None = None
    if parts.scheme == "https":
        _describe_own_certificate(settings, report)
        try:
            context = tls_context(settings)
        except (OSError, ssl.SSLError) as exc:
            report.bad(f"Certificat client ou CA inutilisable : {exc}.")
            return report
        if not _check_tls(parts.hostname, parts.port or 443, context, timeout, report):
            return report
    else:
        report.bad("Adresse sans TLS (http://) : la plateforme SAS exige HTTPS avec TLS mutuel.")
    _check_http(target, context, timeout, report)
    return report


def _check_tls(
    host: str, port: int, context: ssl.SSLContext, timeout: float, report: CheckReport
) -> bool:
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            peer = tls.getpeercert() or {}
            report.good(
                f"TLS : connexion établie ({tls.version()}) ; certificat du serveur : sujet "
                f"« {_name(peer.get('subject'))} », émis par « {_name(peer.get('issuer'))} », "
                f"valable jusqu'au {_expiry(peer.get('notAfter'))}."
            )
            return True
    except ssl.SSLCertVerificationError as exc:
        report.bad(
            f"TLS : le certificat du serveur n'est pas reconnu ({exc.verify_message}) : "
            "vérifiez SNP_SAS_CA_FILE (chaîne IGC-Santé) et l'adresse."
        )
    except ssl.SSLError as exc:
        report.bad(f"TLS : la négociation a échoué ({exc.reason or exc}).")
    except socket.gaierror:
        report.bad(f"Réseau : nom d'hôte inconnu « {host} ».")
    except TimeoutError:
        report.bad(f"Réseau : pas de réponse de {host}:{port} en {timeout:g} s.")
    except ConnectionRefusedError:
        report.bad(f"Réseau : connexion refusée par {host}:{port}.")
    except OSError as exc:
        report.bad(f"Réseau : {host}:{port} injoignable ({exc.strerror or exc}).")
    return False


def _check_http(
    target: str, context: ssl.SSLContext | None, timeout: float, report: CheckReport
) -> None:
    url = f"{target}/metadata"
    try:
        with httpx.Client(verify=context or True, timeout=timeout) as http:
            response = http.get(url, headers={"Accept": "application/json+fhir"})
    except httpx.HTTPError as exc:
        report.bad(f"HTTP : pas de réponse de {url} ({type(exc).__name__}).")
        return
    code = response.status_code
    if response.is_success:
        report.good(f"HTTP {code} : la plateforme répond ({url}).")
    elif code in HTTP_MEANINGS:
        report.bad(f"HTTP {code} : {HTTP_MEANINGS[code]}.")
    elif code >= 500:
        report.bad(
            f"HTTP {code} : la plateforme est en erreur ou indisponible ; réessayez plus tard."
        )
    else:
        report.bad(f"HTTP {code} : réponse inattendue de la plateforme.")
