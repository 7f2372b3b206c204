"""A provider without an account answers a referral on a phone (390 × 844), JavaScript off: the
one-time link shows the packet, fits the screen, takes the acceptance then the outcome; the
referring caseworker then sees the outcome on the referral. With JavaScript on, axe finds no
serious or critical violation on the link's page."""
import pytest

from icrs.exchange import links
from icrs.extensions import db
from icrs.referrals.models import Referral
from icrs.referrals.states import ReferralStatus
from tests.browser.test_phone import PHONE, WIDTH_JS
from tests.browser.ui import DEMO_PASSWORD, axe_violations, html_lang, tr

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def linked(live_server):
    """A fresh link for a demo referral sent to an organisation with no provider login."""
    from icrs.demo.links import _candidates

    with live_server.app.app_context():
        referral = _candidates()[0]
        caseworker = referral.person.caseworker
        _link, token, _code = links.create_link(caseworker, referral)
        db.session.commit()
        facts = referral.id, referral.reference, caseworker.username, token
        db.session.remove()
    return facts


def _phone(browser, lang, script=False):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                                  java_script_enabled=script,
                                  locale={"fr": "fr-FR", "en": "en-GB"}[lang],
                                  extra_http_headers={"Accept-Language": lang})
    context.set_default_timeout(10_000)
    return context


def _status(live_server, referral_id):
    with live_server.app.app_context():
        status = db.session.get(Referral, referral_id).status
        db.session.remove()
    return status


def test_the_link_page_passes_axe(browser, live_server, linked):
    context = _phone(browser, "en", script=True)
    try:
        page = context.new_page()
        page.goto(live_server(f"/p/{linked[3]}"))
        problems = axe_violations(page)
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


def test_provider_answers_through_the_link_on_a_phone(browser, live_server, linked):
    referral_id, reference, caseworker, token = linked
    T = tr("fr")
    context = _phone(browser, "fr")
    try:
        page = context.new_page()
        response = page.goto(live_server(f"/p/{token}"))
        assert response.status == 200 and html_lang(page) == "fr"
        assert response.headers["cache-control"].startswith("no-store")
        assert reference in page.inner_text("h1")
        assert page.evaluate(WIDTH_JS) <= PHONE["width"], "the link's page scrolls sideways"
        page.get_by_role("button", name=T("Accept"), exact=True).click()
        page.wait_for_load_state()
        assert _status(live_server, referral_id) == ReferralStatus.ACCEPTED

        done = page.locator("details:has(input[name=action][value=complete])")
        done.locator("summary").click()
        done.locator("select[name=outcome]").select_option(index=1)
        done.locator("button").click()
        page.wait_for_load_state()
        assert _status(live_server, referral_id) == ReferralStatus.COMPLETED
        assert page.evaluate(WIDTH_JS) <= PHONE["width"]
    finally:
        context.close()

    context = _phone(browser, "fr")
    try:
        page = context.new_page()
        page.goto(live_server("/login"))
        page.fill("#username", caseworker)
        page.fill("#password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.locator("main form button").click()
        page.goto(live_server(f"/referrals/{referral_id}"))
        assert ReferralStatus.COMPLETED.value not in page.inner_text("main")
        assert T("Completed") in page.inner_text("main")
        assert page.evaluate(WIDTH_JS) <= PHONE["width"]
    finally:
        context.close()
