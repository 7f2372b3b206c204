"""Keyboard only: sign in, skip to the content, create a referral from the case page with Tab,
Shift+Tab, Enter, Space and the arrow keys; every focused control shows a focus outline."""
import pytest

from tests.browser.test_cases import PROVIDER_ORG
from tests.browser.ui import DEMO_PASSWORD, assert_flash, referable, tr

pytestmark = pytest.mark.browser

ACTIVE_INFO = """() => { const el = document.activeElement; const st = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href') || '',
            cls: el.className || '', name: el.getAttribute('name') || '',
            text: (el.innerText || el.value || '').trim().slice(0, 60),
            // A date input's own calendar button (inside the browser's shadow tree) has
            // Chromium's focus ring, not ours: the input itself then does not match :focus.
            outline: (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0)
                     || (el.type === 'date' && !el.matches(':focus')),
            inMain: !!el.closest('main')}; }"""


class Keys:
    def __init__(self, page):
        self.page, self.without_outline = page, []

    def active(self):
        return self.page.evaluate(ACTIVE_INFO)

    def press(self, key):
        self.page.keyboard.press(key)
        info = self.active()
        if info["tag"] != "body" and not info["outline"]:
            self.without_outline.append(info)
        return info

    def tab_to(self, match, back=False, limit=120):
        """Tab (or Shift+Tab) until match(active element info) is true."""
        for _ in range(limit):
            info = self.press("Shift+Tab" if back else "Tab")
            if match(info):
                return info
        raise AssertionError(f"never reached by {'Shift+Tab' if back else 'Tab'}")

    def enter_and_wait(self, key="Enter"):
        with self.page.expect_navigation():
            self.page.keyboard.press(key)


def test_referral_by_keyboard(new_context, live_server):
    T, live = tr("fr"), live_server
    person_id, service_id = referable(live, "caseworker", exclude_org=PROVIDER_ORG)
    page = new_context("fr")[0].new_page()
    keys = Keys(page)

    page.goto(live("/login"))
    first = keys.press("Tab")
    assert "skip" in first["cls"], first  # the skip link comes first
    keys.tab_to(lambda i: i["id"] == "username")
    page.keyboard.type("caseworker")
    keys.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    keys.enter_and_wait()
    assert page.locator("form[action$='/logout']").count() == 1

    page.goto(live(f"/people/{person_id}"))
    assert "skip" in keys.press("Tab")["cls"]
    page.keyboard.press("Enter")  # skip to the content: the next Tab lands inside <main>
    assert keys.press("Tab")["inMain"]
    keys.tab_to(lambda i: "/referrals/new/" in i["href"])
    keys.enter_and_wait()

    keys.tab_to(lambda i: f"service_id={service_id}" in i["href"])  # "Choose" in the table
    keys.enter_and_wait()
    assert page.input_value("#service_id") == service_id

    keys.tab_to(lambda i: i["id"] == "priority")
    before = page.input_value("#priority")
    keys.press("ArrowUp")  # normal -> urgent, without opening the list
    assert page.input_value("#priority") != before
    priority = page.input_value("#priority")
    keys.tab_to(lambda i: i["id"] == "reason")
    page.keyboard.type("Referred with the keyboard only.")
    keys.tab_to(lambda i: i["id"] == "needs")
    page.keyboard.type("Evening classes.")
    back = keys.press("Shift+Tab")
    assert back["id"] == "reason", back  # Shift+Tab goes back one field
    keys.tab_to(lambda i: i["id"] == "needs")

    box = keys.tab_to(lambda i: i["name"] == "share")
    checked = page.evaluate("() => document.activeElement.checked")
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.checked") is (not checked), box

    keys.tab_to(lambda i: i["tag"] == "button" and i["inMain"])
    keys.enter_and_wait()
    assert_flash(page, T("Referral sent."))
    assert page.locator(".page-head .badge").nth(1).inner_text().strip() == \
        {"urgent": T("Urgent"), "emergency": T("Emergency")}.get(priority, priority)
    assert keys.without_outline == [], "\n".join(map(str, keys.without_outline))
