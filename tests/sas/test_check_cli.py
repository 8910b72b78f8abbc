"""`snp sas check`: a real TLS server requiring a client certificate (certificates made with
the openssl command), and what the command says in plain French in each case."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from composition.cli import app as snp_cli
from snp.settings import get_settings
from tests.support.postgres import free_port


@dataclass
class Pki:
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    d = tmp_path_factory.mktemp("pki")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/C=FR/O=Test/CN=AC de test", "-keyout", str(d / "ca.key"),
             "-out", str(d / "ca.pem"))  # fmt: skip
    for name, subject, extension in (
        ("server", "/C=FR/O=ANS/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1"),
        ("client", "/C=FR/O=CPTS/OU=SNP/CN=snp.example.fr", "extendedKeyUsage=clientAuth"),
    ):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", subject,
                 "-keyout", str(d / f"{name}.key"), "-out", str(d / f"{name}.csr"))  # fmt: skip
        (d / f"{name}.ext").write_text(extension + "\n")
        _openssl("x509", "-req", "-in", str(d / f"{name}.csr"), "-CA", str(d / "ca.pem"),
                 "-CAkey", str(d / "ca.key"), "-CAcreateserial", "-days", "2",
                 "-extfile", str(d / f"{name}.ext"), "-out", str(d / f"{name}.pem"))  # fmt: skip
    return Pki(d / "ca.pem", d / "server.pem", d / "server.key", d / "client.pem", d / "client.key")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        code = 200 if self.path.startswith("/ok/") else 403
        self.send_response(code)
        self.send_header("Content-Type", "application/fhir+json")
        self.end_headers()
        self.wfile.write(b'{"resourceType":"CapabilityStatement"}')

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def platform(pki: Pki) -> Iterator[str]:
    """A TLS server that requires a client certificate signed by the test CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(pki.server_cert), str(pki.server_key))
    context.load_verify_locations(str(pki.ca))
    context.verify_mode = ssl.CERT_REQUIRED
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(5)


def run(url: str, env: dict[str, str]) -> tuple[int, str]:
    """`snp sas check --url …` with these settings in the environment."""
    unset: dict[str, str | None] = {
        "SNP_SAS_CA_FILE": None,
        "SNP_SAS_CLIENT_CERT_FILE": None,
        "SNP_SAS_CLIENT_KEY_FILE": None,
    }
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(snp_cli, ["sas", "check", "--url", url], env={**unset, **env})
    finally:
        get_settings.cache_clear()
    return result.exit_code, result.output


def configured(pki: Pki) -> dict[str, str]:
    return {
        "SNP_SAS_CA_FILE": str(pki.ca),
        "SNP_SAS_CLIENT_CERT_FILE": str(pki.client_cert),
        "SNP_SAS_CLIENT_KEY_FILE": str(pki.client_key),
    }


def test_a_working_link_reports_tls_subjects_and_http_200(pki: Pki, platform: str) -> None:
    code, output = run(f"{platform}/ok/fhir", configured(pki))
    assert code == 0, output
    assert "TLS : connexion établie (TLSv1." in output
    assert "CN=127.0.0.1" in output  # the platform's certificate
    assert "OU=SNP, CN=snp.example.fr" in output  # ours
    assert "HTTP 200 : la plateforme répond" in output
    assert "La liaison avec la plateforme SAS fonctionne." in output


def test_a_refused_client_certificate_is_said_plainly(pki: Pki, platform: str) -> None:
    code, output = run(f"{platform}/refuse/fhir", configured(pki))
    assert code == 1
    assert "HTTP 403 : la plateforme refuse notre certificat client" in output


def test_an_unknown_server_certificate_is_said_plainly(pki: Pki, platform: str) -> None:
    env = configured(pki)
    del env["SNP_SAS_CA_FILE"]  # the system's CAs do not know the test CA
    code, output = run(f"{platform}/ok/fhir", env)
    assert code == 1
    assert "le certificat du serveur n'est pas reconnu" in output
    assert "SNP_SAS_CA_FILE" in output


def test_no_client_certificate_and_nothing_listening(pki: Pki) -> None:
    env = {"SNP_SAS_CA_FILE": str(pki.ca)}
    code, output = run(f"https://127.0.0.1:{free_port()}/fhir", env)
    assert code == 1
    assert "Aucun certificat client configuré" in output
    assert "connexion refusée" in output
