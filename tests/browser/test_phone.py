"""The main pages of every role on a phone (390 × 844): with JavaScript off, no sideways scroll,
the navigation folded into a <details> menu that opens by itself and holds the sign-out button,
touch targets of at least 44 px; with it on (axe-core needs it), no serious or critical axe
violation, the menu open."""
import pytest

from tests.browser.conftest import RequestLog
from tests.browser.ui import DEMO_PASSWORD, axe_violations, html_lang, tr

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CASE = ("/people/", "main table a[href^='/people/']")

# role (demo login), page name, target: a path or (list path, selector of the first link[, suffix])
PAGES = [
    ("caseworker", "people", "/people/"),
    ("caseworker", "case", CASE),
    ("caseworker", "profile", CASE + ("/profile",)),
    ("caseworker", "referrals", "/referrals/"),
    ("caseworker", "follow-ups", "/people/follow-ups"),
    ("provider", "inbox", "/referrals/inbox"),
    ("provider", "received", ("/referrals/inbox", "main a[href*='/referrals/received/']")),
    ("supervisor", "dashboard", "/dashboard/"),
    ("supervisor", "approvals", "/approvals/"),
    ("admin", "users", "/admin/users"),
    ("admin", "audit", "/audit/"),
    ("suivi.national", "monitoring-dashboard", "/dashboard/"),
]

WIDTH_JS = "document.documentElement.scrollWidth"
# Controls a finger must hit: the header's links, buttons and menu, and the page's buttons and
# form fields (links inside running text and table cells are not counted).
SMALL_TARGETS_JS = """() => [...document.querySelectorAll(
      'header a, header button, header summary, main button, main .button, main select, '
    + 'main textarea, main input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .filter(el => !el.closest('details:not([open]) > :not(summary)'))
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.height < 44 - 0.5)
    .map(([el, r]) => el.outerHTML.slice(0, 100) + ' h=' + Math.round(r.height))"""


class PhoneRoles:
    """One signed-in phone context per (role, language, JavaScript on or off)."""

    def __init__(self, browser, live):
        self.browser, self.live, self.open = browser, live, {}

    def page(self, role, lang, script=False):
        if (role, lang, script) not in self.open:
            context = self.browser.new_context(
                viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=script,
                locale={"fr": "fr-FR", "en": "en-GB"}[lang],
                extra_http_headers={"Accept-Language": lang})
            context.set_default_timeout(10_000)
            log = RequestLog(self.live.origin)
            context.on("request", log)
            page = context.new_page()
            page.goto(self.live("/login"))
            page.fill("#username", role)
            page.fill("#password", DEMO_PASSWORD)
            with page.expect_navigation():
                page.locator("main form button").click()
            assert page.locator("form[action$='/logout']").count() == 1, page.url
            self.open[(role, lang, script)] = (page, log)
        return self.open[(role, lang, script)][0]

    def close(self):
        for page, log in self.open.values():
            page.context.close()
            assert log.foreign() == [], f"requests left the app: {log.foreign()}"


@pytest.fixture(scope="module")
def phones(browser, live_server):
    roles = PhoneRoles(browser, live_server)
    yield roles
    roles.close()


def resolve(page, live, target):
    if isinstance(target, str):
        return live(target)
    page.goto(live(target[0]))
    href = page.locator(target[1]).first.get_attribute("href")
    assert href, f"no link {target[1]} on {target[0]}"
    return live(href + (target[2] if len(target) > 2 else ""))


@pytest.mark.parametrize("role,name,target", PAGES, ids=[p[1] for p in PAGES])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_phone_page(phones, live_server, lang, role, name, target):
    T = tr(lang)
    page = phones.page(role, lang)
    response = page.goto(resolve(page, live_server, target))
    assert response.status == 200, (page.url, response.status)
    assert html_lang(page) == lang
    assert page.evaluate(WIDTH_JS) <= PHONE["width"], f"{name} scrolls sideways"

    menu = page.locator("header details.menu")
    assert menu.count() == 1
    sign_out = menu.locator("form[action$='/logout'] button")
    assert menu.get_attribute("open") is None and not sign_out.is_visible()
    menu.locator("summary").click()  # the browser's own <details>: no script runs here
    assert menu.get_attribute("open") is not None
    assert sign_out.is_visible() and sign_out.inner_text().strip() == T("Sign out")
    assert page.evaluate(WIDTH_JS) <= PHONE["width"], f"{name} with the menu open"
    assert page.evaluate(SMALL_TARGETS_JS) == []

    page = phones.page(role, lang, script=True)  # axe-core runs as a script
    page.goto(resolve(page, live_server, target))
    page.locator("header details.menu summary").click()
    problems = axe_violations(page)
    assert problems == [], "\n".join(problems)


def test_desktop_bar_shows_without_the_menu(browser, live_server):
    """Above the breakpoint the summary is hidden and the navigation is a bar, even closed."""
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  java_script_enabled=False, locale="en-GB",
                                  extra_http_headers={"Accept-Language": "en"})
    try:
        page = context.new_page()
        page.goto(live_server("/login"))
        page.fill("#username", "caseworker")
        page.fill("#password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("main form button").click()
        menu = page.locator("header details.menu")
        assert menu.get_attribute("open") is None
        assert not menu.locator("summary").is_visible()
        assert menu.locator("nav a").first.is_visible()
        assert menu.locator("form[action$='/logout'] button").is_visible()
        assert page.evaluate(WIDTH_JS) <= 1280
    finally:
        context.close()
