"""Fixtures for the browser tests: the app on a free local port, headless Debian Chromium,
and pages on which every request to a non-local host is aborted and recorded."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CORDON_CHROMIUM", "/usr/bin/chromium")
LOCAL = {"localhost", "127.0.0.1", "[::1]", "::1"}
ARTIFACTS = ROOT / "artifacts"

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    """The server's working store (``$CORDON_STORE``): tests may put layers in it first."""
    return tmp_path_factory.mktemp("store") / "s.gpkg"


@pytest.fixture(scope="session")
def server(store_path):
    """``streamlit run app.py`` on a free port; yields the base URL."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)")
    # Build the geocoder's index cache first (once per machine; slow the very first time), so
    # the report test measures the page, not the one-off index build.
    subprocess.run([sys.executable, "-c", "import geo; geo.lookup('Aleppo')"], cwd=ROOT,
                   check=False, timeout=600, capture_output=True)
    port = _free_port()
    app = os.environ.get("CORDON_APP", str(ROOT / "app.py"))
    streamlit = Path(sys.executable).parent / "streamlit"
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "e2e-server.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [str(streamlit), "run", app, "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "CORDON_STORE": str(store_path)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited early; see {ARTIFACTS / 'e2e-server.log'}")
    else:
        proc.terminate()
        pytest.fail("streamlit did not answer within 60 s")
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Watched:
    """A page plus what it tried to fetch from outside and any dialogs it opened."""

    def __init__(self, page):
        self.page = page
        self.external: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True)
    w = Watched(context.new_page())

    def route(r):
        host = urlsplit(r.request.url).hostname or ""
        if r.request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in LOCAL:
            w.external.append(r.request.url)
            return r.abort()
        return r.continue_()

    context.route("**/*", route)

    def on_dialog(d):
        w.dialogs.append(d.message)
        d.dismiss()

    w.page.on("dialog", on_dialog)
    yield w
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Save a screenshot of the page when a browser test fails (under artifacts/)."""
    outcome = yield
    report = outcome.get_result()
    w = item.funcargs.get("watched") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and w is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            w.page.screenshot(path=str(ARTIFACTS / f"e2e-fail-{item.name}.png"), full_page=True)
        except Exception:  # noqa: BLE001 - the screenshot is only a help
            pass
