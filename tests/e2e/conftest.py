"""Browser journeys: a real server (uvicorn, demo territory, built UI) driven by Debian's
chromium through Playwright's Python package."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from composition import demo
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SNP_TEST_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = demo.DEMO_PASSWORD
# role value ("operator", ...) -> (email, password)
DEMO_ACCOUNTS: dict[str, tuple[str, str]] = {
    account.role.value: (account.email, DEMO_PASSWORD) for account in demo.ACCOUNTS
}
# Chromium on a machine without internet: no background traffic, no sandbox (root in CI).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _snp(env: dict[str, str], *commands: list[str]) -> None:
    """`snp <command>` for each command, in turn, in one process (the app's imports take
    seconds: paid once for all of them); fails at the first that fails."""
    script = "import sys\nfrom composition.cli import run\nfor args in sys.argv[1:]:\n"
    script += "    status = run(args.split())\n    if status:\n        sys.exit(status)\n"
    subprocess.run(
        [sys.executable, "-c", script, *(" ".join(command) for command in commands)],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )


@contextlib.contextmanager
def demo_server(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    settings: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[str]:
    """`snp serve` (its own process) on a fresh SQLite database holding the demo territory,
    with these extra `SNP_*` settings; yields its base URL once it answers. Its log is
    `<name>-server.log` in pytest's base temporary directory."""
    dist = ROOT / "frontend" / "dist" / "index.html"
    if not dist.is_file():
        pytest.fail("The web UI is not built: run `make test` (it runs `npm run build`).")
    port = port or free_port()
    database = tmp_path_factory.mktemp(name) / f"{name}.db"
    env = {
        **os.environ,
        "SNP_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "SNP_LOGIN_SLOWDOWN_SECONDS": "0",
        "SNP_COOKIE_SECURE": "false",
        "SNP_MFA_REQUIRED": "false",
        "SNP_LOG_LEVEL": "WARNING",
        **(settings or {}),
    }
    _snp(env, ["db", "upgrade"], ["demo"])
    log_path = tmp_path_factory.getbasetemp() / f"{name}-server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "composition.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"the e2e server did not start; see {log_path}")
                time.sleep(0.2)
        try:
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def module_server(name: str, settings: dict[str, str] | None = None) -> Any:
    """A module's own `live_server` fixture: `demo_server(name, settings)` for that module's
    tests. In the module: `live_server = module_server("e2e-x", {"SNP_...": "..."})`."""

    @pytest.fixture(scope="module")
    def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
        with demo_server(tmp_path_factory, name, settings) as base:
            yield base

    return live_server


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_server(tmp_path_factory, "e2e") as base:
        yield base


# Package scope: Playwright's sync API keeps an event loop running in this thread; it must be
# gone before other packages' tests call asyncio.run (migrations, CLI).
@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium).")
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def contexts(browser: Browser, live_server: str) -> Iterator[list[BrowserContext]]:
    """Extra browser contexts a test opens (closed at the end)."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()
