"""`SNP_GEOCODER=ban`: approximate sites refined by the Base Adresse Nationale's batch CSV API,
here a local fake of `/search/csv/` started by the test (a real HTTP server, real multipart)."""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import AsyncIterator, Iterator
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agenda.models import Site
from agenda.service import annuaire_jobs
from composition.app import create_app
from snp.auth.roles import Role
from snp.db import Database
from tests.agenda.annuaire_sample import REDON, load_territory, sample_text
from tests.conftest import empty_database, test_settings
from tests.factories import logged_in_as

PORT_POSITION = ("47.6502", "-2.0861")


class FakeBan(BaseHTTPRequestHandler):
    """Answers `/search/csv/` as the BAN does: the rows sent, with position and score."""

    requests: ClassVar[list[dict[str, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + self.headers["Content-Type"].encode() + b"\r\n\r\n" + body
        )
        fields: dict[str, str] = {}
        data = b""
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            if name == "data":
                data = payload
            else:
                fields[str(name)] = payload.decode()
        FakeBan.requests.append({"path": self.path, **fields})
        out = io.StringIO()
        reader = csv.DictReader(io.StringIO(data.decode()))
        names = [*(reader.fieldnames or []), "latitude", "longitude", "result_score", "result_type"]
        writer = csv.DictWriter(out, names)
        writer.writeheader()
        for row in reader:
            found = "Du Port" in row["adresse"] and row["citycode"] == "35236"
            lat, lon = PORT_POSITION if found else ("47.0", "-2.0")
            score = "0.93" if found else "0.31"
            writer.writerow({**row, "latitude": lat, "longitude": lon, "result_score": score})
        answer = out.getvalue().encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/csv; charset=utf-8")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def fake_ban() -> Iterator[str]:
    FakeBan.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/search/csv/"
    server.shutdown()


@pytest.fixture
async def ban_app(db_url: str, tmp_path: Path, fake_ban: str) -> AsyncIterator[FastAPI]:
    settings = test_settings(
        db_url, directory_import_dir=tmp_path, geocoder="ban", geocoder_url=fake_ban
    )
    application = create_app(settings, start_scheduler=False)
    database: Database = application.state.db
    await empty_database(database)
    yield application
    await annuaire_jobs.wait_for_jobs()
    await database.dispose()


@pytest.fixture
async def ban_client(ban_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=ban_app, client=("203.0.113.7", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def ban_session(ban_app: FastAPI) -> AsyncIterator[AsyncSession]:
    database: Database = ban_app.state.db
    async with database.sessionmaker() as s:
        yield s


async def sites(session: AsyncSession) -> dict[str, tuple[float, float, bool]]:
    session.expire_all()
    rows = await session.scalars(select(Site))
    return {s.name: (s.latitude, s.longitude, s.position_approximate) for s in rows}


async def test_an_applied_import_is_geocoded_and_only_good_scores_replace_the_centre(
    ban_client: httpx.AsyncClient, ban_session: AsyncSession
) -> None:
    await load_territory(ban_session)
    await logged_in_as(ban_client, ban_session, Role.COORDINATOR)
    files = {"file": ("annuaire.txt", sample_text().encode(), "text/plain")}
    job_id = (await ban_client.post("/api/agenda/annuaire/imports", files=files)).json()["id"]
    await annuaire_jobs.wait_for_jobs()
    await ban_client.post(f"/api/agenda/annuaire/imports/{job_id}/apply")
    await annuaire_jobs.wait_for_jobs()
    job = (await ban_client.get(f"/api/agenda/annuaire/imports/{job_id}")).json()
    assert job["status"] == "done"
    assert job["report"]["geocoded"] == 1

    assert FakeBan.requests[0] == {
        "path": "/search/csv/",
        "columns": "adresse",
        "postcode": "postcode",
        "citycode": "citycode",
    }
    positions = await sites(ban_session)
    assert positions["CABINET MEDICAL DU PORT"] == (47.6502, -2.0861, False)
    # A poor score leaves the commune's centre, still said to be approximate.
    assert positions["MAISON DE SANTE DE REDON"] == (*REDON, True)


async def test_the_coordinator_can_run_the_geocoder_again_and_an_unreachable_one_is_said(
    ban_client: httpx.AsyncClient, ban_session: AsyncSession, ban_app: FastAPI
) -> None:
    await logged_in_as(ban_client, ban_session, Role.COORDINATOR)
    response = await ban_client.post("/api/agenda/annuaire/geocode")
    assert response.json() == {"refined": 0}
    ban_app.state.settings.geocoder_url = "http://127.0.0.1:9/search/csv/"
    await load_territory(ban_session)
    files = {"file": ("annuaire.txt", sample_text().encode(), "text/plain")}
    job_id = (await ban_client.post("/api/agenda/annuaire/imports", files=files)).json()["id"]
    await annuaire_jobs.wait_for_jobs()
    await ban_client.post(f"/api/agenda/annuaire/imports/{job_id}/apply")
    await annuaire_jobs.wait_for_jobs()
    job = (await ban_client.get(f"/api/agenda/annuaire/imports/{job_id}")).json()
    assert job["status"] == "done"
    assert job["report"]["geocoding_failed"] == 1
    refused = await ban_client.post("/api/agenda/annuaire/geocode")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("Géocodeur injoignable")
