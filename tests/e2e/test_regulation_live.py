"""The console's live link survives a server restart: a discreet "connexion perdue" line while the
server is away, then it reconnects by itself and new requests arrive again without reload.

Runs its own server (stopped and started again on the same port and database), not the shared
one of the other journeys."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_regulation import api, assert_not_reloaded, login, mark_document, new_context
from tests.support.postgres import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, database: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **os.environ,
            "SNP_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "SNP_LOGIN_SLOWDOWN_SECONDS": "0",
            "SNP_MFA_REQUIRED": "false",
            "SNP_LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen[bytes] | None = None
        for args in (("db", "upgrade"), ("demo",)):
            subprocess.run(
                [sys.executable, "-m", "composition.cli", *args],
                env=self.env,
                check=True,
                capture_output=True,
                cwd=ROOT,
            )

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "composition.cli", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the server did not start; see {self.log}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("The web UI is not built: run `make test` (it runs `npm run build`).")
    server = Server(tmp_path / "live.db", tmp_path / "server.log")
    server.start()
    yield server
    server.stop()


def test_console_reconnects_by_itself_after_a_server_restart(
    browser: Browser, own_server: Server
) -> None:
    operator_context = new_context(browser, own_server.base)
    pharmacist_context = new_context(browser, own_server.base)
    try:
        operator = operator_context.new_page()
        login(operator, "operator")
        lost = operator.get_by_text("Connexion perdue, reconnexion…")
        expect(operator.locator('[data-live-status="open"]')).to_have_count(1)
        expect(lost).to_have_count(0)
        mark_document(operator)

        own_server.stop()
        expect(lost).to_be_visible()

        own_server.start()
        expect(lost).to_have_count(0, timeout=20_000)
        assert_not_reloaded(operator)

        pharmacist = pharmacist_context.new_page()
        login(pharmacist, "referrer")
        api(
            pharmacist,
            "POST",
            "/api/regulation/referrals",
            {
                "family_name": "Apres",
                "given_name": "Redemarrage",
                "birth_date": "1970-01-01",
                "phone": "06 12 34 56 78",
                "commune_insee": "35236",
                "origin": "pharmacist",
            },
        )
        expect(
            operator.get_by_test_id("queue-row").filter(has_text="Redemarrage APRES")
        ).to_be_visible(timeout=5_000)
        assert_not_reloaded(operator)
    finally:
        operator_context.close()
        pharmacist_context.close()
