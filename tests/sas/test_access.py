"""Only the SAS platform's client certificate (subject forwarded by the TLS proxy) may call
`/fhir`; the check can be lifted for local development only."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI

from composition.app import create_app
from sas.access import parse_allowed, parse_dn, subject_allowed
from tests.conftest import test_settings
from tests.sas.fake_platform import SAS_SUBJECTS_SETTING

ALLOWED = parse_allowed(SAS_SUBJECTS_SETTING)


@pytest.mark.parametrize(
    "dn",
    [
        "CN=plateforme.sas.sante.fr,OU=SAS,O=ANS,C=FR",
        "C=FR,O=ANS,OU=SAS,CN=plateforme.sas.sante.fr",  # another order
        "cn = plateforme.sas.sante.fr , ou = SAS",  # spacing and case of the names
        "/C=FR/O=ANS/OU=SAS/CN=plateforme.sas.sante.fr",  # nginx legacy notation
        "CN=plateforme.sas.sante.fr,OU=Autre,OU=SAS,O=ANS",  # one of several OUs
    ],
)
def test_accepted_subjects(dn: str) -> None:
    assert subject_allowed(dn, ALLOWED)


@pytest.mark.parametrize(
    "dn",
    [
        "CN=intrus.example.fr,OU=SAS,O=ANS,C=FR",  # wrong CN
        "CN=plateforme.sas.sante.fr,OU=Autre,O=ANS,C=FR",  # wrong OU
        "CN=plateforme.sas.sante.fr,O=ANS",  # no OU
        "OU=SAS,O=ANS",  # no CN
        "CN=plateforme.sas.sante.fr\\,OU=SAS",  # an escaped comma is part of the CN
        "",
    ],
)
def test_refused_subjects(dn: str) -> None:
    assert not subject_allowed(dn, ALLOWED)


def test_setting_entries_and_dn_parsing() -> None:
    allowed = parse_allowed(" CN=a , OU=b ; OU=d,CN=c ; CN=only-cn")
    assert [(s.cn, s.ou) for s in allowed] == [("a", "b"), ("c", "d")]
    assert parse_dn("/C=FR/O=A\\/B/CN=x") == {"C": ["FR"], "O": ["A/B"], "CN": ["x"]}


async def _metadata(client: httpx.AsyncClient, dn: str | None) -> httpx.Response:
    headers = {"X-SSL-Client-S-DN": dn} if dn is not None else {}
    return await client.get("/fhir/metadata", headers=headers)


async def test_the_platform_is_let_in(client: httpx.AsyncClient) -> None:
    response = await _metadata(client, "/C=FR/O=ANS/OU=SAS/CN=plateforme.sas.sante.fr")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "dn",
    [None, "", "CN=intrus,OU=SAS", "CN=plateforme.sas.sante.fr,OU=Autre"],
)
async def test_others_get_403_operation_outcome(client: httpx.AsyncClient, dn: str | None) -> None:
    for response in (
        await _metadata(client, dn),
        await client.get("/fhir/Slot", headers={"X-SSL-Client-S-DN": dn or ""}),
        await client.post("/fhir/Practitioner", headers={"X-SSL-Client-S-DN": dn or ""}),
    ):
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/fhir+json")
        body = response.json()
        assert body["resourceType"] == "OperationOutcome"
        assert body["issue"][0]["code"] == "security"


async def test_check_lifted_by_setting_with_a_loud_warning(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sas.access"):
        app: FastAPI = create_app(
            test_settings(db_url, sas_require_client_cert=False), start_scheduler=False
        )
    assert any("SNP_SAS_REQUIRE_CLIENT_CERT=false" in r.getMessage() for r in caplog.records)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await _metadata(client, None)).status_code == 200
    await app.state.db.dispose()


async def test_required_by_default(db_url: str) -> None:
    app = create_app(test_settings(db_url), start_scheduler=False)
    assert app.state.settings.sas_require_client_cert is True
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        # No subject configured: even a plausible certificate is refused.
        response = await _metadata(client, "CN=plateforme.sas.sante.fr,OU=SAS")
        assert response.status_code == 403
    await app.state.db.dispose()


def _client_from(app: FastAPI, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_a_spoofed_subject_from_outside_the_proxies_is_refused(app: FastAPI) -> None:
    """Issue 20: someone reaching the app's port directly and sending the header themself."""
    async with _client_from(app, "198.51.100.9") as outsider:
        response = await _metadata(outsider, "CN=plateforme.sas.sante.fr,OU=SAS,O=ANS,C=FR")
    assert response.status_code == 403
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "proxy" in response.json()["issue"][0]["diagnostics"]


async def test_trusted_proxies_are_addresses_or_networks(db_url: str) -> None:
    settings = test_settings(
        db_url, sas_client_subjects=SAS_SUBJECTS_SETTING, trusted_proxies="10.0.0.0/8, ::1"
    )
    application = create_app(settings, start_scheduler=False)
    subject = "CN=plateforme.sas.sante.fr,OU=SAS"
    async with _client_from(application, "10.1.2.3") as proxy:
        assert (await _metadata(proxy, subject)).status_code == 200
    async with _client_from(application, "127.0.0.1") as loopback:  # no longer listed
        assert (await _metadata(loopback, subject)).status_code == 403
    await application.state.db.dispose()


async def test_a_shared_secret_lets_the_proxy_in_from_any_address(db_url: str) -> None:
    settings = test_settings(
        db_url,
        sas_client_subjects=SAS_SUBJECTS_SETTING,
        trusted_proxies="",
        sas_proxy_secret="s3cret-entre-proxy-et-app",
    )
    application = create_app(settings, start_scheduler=False)
    subject = {"X-SSL-Client-S-DN": "CN=plateforme.sas.sante.fr,OU=SAS"}
    async with _client_from(application, "172.28.0.10") as proxy:
        good = {**subject, "X-SNP-Proxy-Secret": "s3cret-entre-proxy-et-app"}
        assert (await proxy.get("/fhir/metadata", headers=good)).status_code == 200
        bad = {**subject, "X-SNP-Proxy-Secret": "devine"}
        assert (await proxy.get("/fhir/metadata", headers=bad)).status_code == 403
        assert (await proxy.get("/fhir/metadata", headers=subject)).status_code == 403
    await application.state.db.dispose()
