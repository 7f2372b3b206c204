"""Real-browser fixtures: the app served on loopback by werkzeug in a background thread (CSRF on,
a throwaway instance dir with SQLite, the demo dataset), and Debian's Chromium driven by
Playwright. Every request a page makes is recorded; one to any other host fails the test.

Skips (with the reason) when Playwright, axe-playwright-python or /usr/bin/chromium is missing,
unless ICRS_REQUIRE_BROWSER=1 (set by .ci/run): then that is a failure, never a silent skip.
"""
import logging
import os
import shutil
import tempfile
import threading
from urllib.parse import urlsplit

import pytest

from tests.browser.ui import DEMO_PASSWORD

CHROMIUM = os.environ.get("ICRS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
# The demo has 300 people (~40 s to encrypt and index); the same loader with fewer is enough
# for lists, the dashboard and realistic page weights.
DEMO_PEOPLE = int(os.environ.get("ICRS_BROWSER_DEMO_PEOPLE", "60"))
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "screenshots")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: real-browser test (Playwright + Chromium)")


def _why_no_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        return "axe-playwright-python is not installed (pip install -e '.[dev]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    return None


class LiveServer:
    def __init__(self, app, url):
        self.app = app
        self.url = url
        self.origin = url.rstrip("/")

    def __call__(self, path=""):
        return self.origin + path


@pytest.fixture(scope="session")
def live_server():
    reason = _why_no_browser()
    if reason and os.environ.get("ICRS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ICRS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    if reason:
        pytest.skip(reason)
    from werkzeug.serving import make_server

    from icrs import create_app
    from icrs.config import TestingConfig
    from icrs.extensions import db

    tmpdir = tempfile.mkdtemp(prefix="icrs-browser-")

    class LiveConfig(TestingConfig):
        TESTING = False  # behave as served: error pages, not propagated exceptions
        WTF_CSRF_ENABLED = True
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmpdir}/live.sqlite"
        ICRS_DEMO_PASSWORD = DEMO_PASSWORD
        ICRS_BLIND_INDEX_KEY = "22" * 32
        ICRS_AUDIT_KEY = "33" * 32
        ICRS_TRUSTED_HOSTS = "127.0.0.1"  # the live server's host (its port is chosen later)

    app = create_app(LiveConfig)
    app.instance_path = tmpdir
    with app.app_context():
        from icrs.demo import load_demo, people
        db.create_all()
        count, people.COUNT = people.COUNT, DEMO_PEOPLE
        try:
            load_demo(DEMO_PASSWORD)
        finally:
            people.COUNT = count
        db.session.commit()
        db.session.remove()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="icrs-live", daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.server_port}/")
    server.shutdown()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(tmpdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class RequestLog:
    """Every request the context made, and those that left the app's origin."""

    def __init__(self, origin):
        self.origin = origin
        self.requests = []

    def __call__(self, request):
        self.requests.append(request)

    def foreign(self):
        out = []
        for r in self.requests:
            parts = urlsplit(r.url)
            if parts.scheme in ("data", "about", "blob"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != self.origin:
                out.append(r.url)
        return out


@pytest.fixture
def new_context(browser, live_server):
    """new_context(lang) -> (context, request_log); closed and checked after the test."""
    made = []

    def _make(lang="fr"):
        context = browser.new_context(
            viewport=VIEWPORT, locale={"fr": "fr-FR", "en": "en-GB"}[lang],
            extra_http_headers={"Accept-Language": lang})
        context.set_default_timeout(10_000)
        log = RequestLog(live_server.origin)
        context.on("request", log)
        made.append((context, log))
        return context, log

    yield _make
    for context, log in made:
        context.close()
        assert log.foreign() == [], f"requests left the app: {log.foreign()}"


@pytest.fixture
def page(new_context):
    context, _ = new_context("fr")
    return context.new_page()


@pytest.fixture(scope="session")
def screenshot_dir():
    os.makedirs(SCREENSHOTS, exist_ok=True)
    return SCREENSHOTS
