"""Every main page, in French and in English, in a real browser with an empty cache: page weight
(HTML + assets < 150 KB, < 10 requests, nothing from another host), axe-core (no serious or
critical violation), every form field labelled, static assets revalidated cheaply on reload,
and a screenshot in docs/screenshots/ (with pages.md, the table of what was measured)."""
import os

import pytest

from tests.browser.conftest import VIEWPORT, RequestLog
from tests.browser.ui import axe_violations, html_lang, sign_in, use_language

pytestmark = pytest.mark.browser

MAX_BYTES = 150 * 1024
MAX_REQUESTS = 10

# name, role (None: signed out), target: a path, (list path, selector of the first link to
# follow[, suffix]) or a function of the live server giving the path
PAGES = [
    ("login", None, "/login"),
    ("people", "caseworker", "/people/"),
    ("register", "caseworker", "/people/new"),
    ("case", "caseworker", ("/people/", "main table a[href^='/people/']")),
    ("profile", "caseworker", ("/people/", "main table a[href^='/people/']", "/profile")),
    ("profile-section", "caseworker",
     ("/people/", "main table a[href^='/people/']", "/profile/household")),
    ("directory", "caseworker", "/directory/"),
    ("service", "caseworker", lambda live: first_service_path(live)),
    ("referrals", "caseworker", "/referrals/"),
    ("referral", "caseworker", ("/referrals/", "main table a[href^='/referrals/']")),
    ("inbox", "provider", "/referrals/inbox"),
    ("received", "provider", ("/referrals/inbox", "main a[href*='/referrals/received/']")),
    ("dashboard", "supervisor", "/dashboard/"),
    ("admin-users", "admin", "/admin/users"),
]

UNLABELLED_JS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby') && !el.title)
    .map(el => el.outerHTML.slice(0, 120))"""


class RoleBrowser:
    """One signed-in browser context per (role, language), reused by the pages of that role."""

    def __init__(self, browser, live):
        self.browser, self.live, self.open = browser, live, {}

    def page(self, role, lang):
        key = (role, lang)
        if key not in self.open:
            context = self.browser.new_context(viewport=VIEWPORT, locale=lang,
                                               extra_http_headers={"Accept-Language": lang})
            context.set_default_timeout(10_000)
            log = RequestLog(self.live.origin)
            context.on("request", log)
            page = context.new_page()
            if role:
                sign_in(page, self.live, role, lang)
            self.open[key] = (page, log)
        return self.open[key][0]

    def close(self):
        for page, log in self.open.values():
            page.context.close()
            assert log.foreign() == [], f"requests left the app: {log.foreign()}"


@pytest.fixture(scope="module")
def roles(browser, live_server):
    rb = RoleBrowser(browser, live_server)
    yield rb
    rb.close()


@pytest.fixture(scope="module")
def report(browser, screenshot_dir):
    rows = []
    yield rows
    lines = ["# Main pages, as measured by tests/browser/test_pages.py", "",
             f"Chromium {browser.version}, headless, viewport {VIEWPORT['width']}×"
             f"{VIEWPORT['height']}, empty cache, app on loopback. Limits: < 150 KB and "
             "< 10 requests per first load, no other host; axe-core: no serious or critical "
             "violation, none excepted. Screenshots: `<page>-<lang>.png`.",
             "",
             "| page | lang | status | requests | KB transferred | HTML KB "
             "| axe serious+critical | axe moderate/minor | static assets on reload |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in sorted(rows)]
    with open(os.path.join(screenshot_dir, "pages.md"), "w") as out:
        out.write("\n".join(lines) + "\n")


def first_service_path(live):
    """Straight from the database, so the service page is measured even if the list fails."""
    import sqlalchemy as sa

    from icrs.directory.models import Service
    from icrs.extensions import db

    with live.app.app_context():
        service_id = db.session.scalar(sa.select(Service.id).order_by(Service.name).limit(1))
    return f"/directory/services/{service_id}"


def resolve(page, live, target):
    if callable(target):
        return live(target(live))
    if isinstance(target, str):
        return live(target)
    page.goto(live(target[0]))
    href = page.locator(target[1]).first.get_attribute("href")
    assert href, f"no link {target[1]} on {target[0]}"
    return live(href + (target[2] if len(target) > 2 else ""))


def first_load(page, url):
    """Load `url` with an empty cache; return the response and [(url, status, bytes)]."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.clearBrowserCache")
    finished = []

    def handler(request):
        finished.append(request)

    page.on("requestfinished", handler)
    response = page.goto(url)
    page.wait_for_load_state("load")
    page.remove_listener("requestfinished", handler)
    cdp.detach()
    loads = []
    for request in finished:
        sizes = request.sizes()
        r = request.response() if hasattr(request, "response") else None
        loads.append((request.url, r.status if r else None,
                      sizes["responseBodySize"] + sizes["responseHeadersSize"],
                      r.all_headers() if r else {}))
    return response, loads


def reload_statics(page, statics):
    """Reload; each static asset must come from the cache or as a 304 (no body again)."""
    seen = {}

    def on_response(response):
        if response.url in statics:
            seen[response.url] = (response.status, response.request.sizes()["responseBodySize"])

    page.on("response", on_response)
    page.reload()
    page.wait_for_load_state("load")
    page.remove_listener("response", on_response)
    return seen


@pytest.mark.parametrize("name,role,target", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_main_page(roles, live_server, report, screenshot_dir, lang, name, role, target):
    page = roles.page(role, lang)
    url = resolve(page, live_server, target)
    if role and html_lang(page) != lang:
        use_language(page, lang)
    response, loads = first_load(page, url)
    assert response.status == 200, (url, response.status)
    assert html_lang(page) == lang

    total = sum(size for _, _, size, _ in loads)
    html_bytes = next((size for u, _, size, _ in loads if u == response.url), 0)
    statics = {u: h for u, _, _, h in loads if "/static/" in u}
    for u, headers in statics.items():
        assert headers.get("etag") or headers.get("last-modified"), f"{u} cannot be revalidated"
    problems = axe_violations(page)
    minor = axe_violations(page, impacts=("moderate", "minor"))
    unlabelled = page.evaluate(UNLABELLED_JS)
    page.screenshot(path=os.path.join(screenshot_dir, f"{name}-{lang}.png"))
    reloaded = reload_statics(page, set(statics))
    report.append((name, lang, response.status, len(loads), round(total / 1024, 1),
                   round(html_bytes / 1024, 1), len(problems),
                   ", ".join(sorted({m.split(" ")[0] for m in minor})) or "—",
                   ", ".join(f"{u.rsplit('/', 1)[-1]}: {s}" for u, (s, _) in reloaded.items())
                   or "cache"))

    assert len(loads) < MAX_REQUESTS, [u for u, *_ in loads]
    assert total < MAX_BYTES, f"{name}: {total} bytes"
    assert problems == [], "\n".join(problems)
    assert unlabelled == [], unlabelled
    for u, (status, body) in reloaded.items():
        # from the cache, Chromium counts no body bytes (0, or below 0 once the cached
        # response's headers are subtracted from a transfer of nothing)
        assert status == 304 or body <= 0, f"{u} downloaded again on reload ({status}, {body} B)"
