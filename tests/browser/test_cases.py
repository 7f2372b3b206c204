"""The other paths users meet: the duplicate warning at registration, an illegal stage move
refused, a declined referral, and the idle sign-out on a shared computer."""
import re

import pytest

from tests.browser.test_journeys import CAST, register, stage_badge, unique_last_name
from tests.browser.ui import (
    assert_flash,
    case_number,
    flash_text,
    referable,
    sign_in,
    submit,
    tr,
)

pytestmark = pytest.mark.browser

PROVIDER_ORG = "Centre de Formation aux Métiers de Maroua"  # the demo login "provider"


def test_duplicate_warning(new_context, live_server):
    T, cast, live = tr("en"), CAST["fr"], live_server
    page = new_context("en")[0].new_page()
    sign_in(page, live, "caseworker", "en")
    last_name = unique_last_name("dup")
    register(page, live, T, cast, last_name)
    first_case = case_number(page)

    # Same name and birth year: the form comes back with the candidate, nothing registered.
    response_status = {}
    page.on("response", lambda r: response_status.setdefault(r.url, r.status)
            if r.request.method == "POST" else None)
    register(page, live, T, cast, last_name, confirm_duplicates=False)
    assert 409 in response_status.values()
    warning = page.locator("section[aria-labelledby=dup-title]")
    assert warning.get_attribute("role") == "alert"
    assert T("Possible duplicate") in warning.inner_text()
    assert warning.get_by_role("link", name=first_case).count() == 1
    assert "/people/new" in page.url

    # The caseworker checks and confirms: registered as someone else.
    submit(page, "main form", T("Not a duplicate: register"))
    assert_flash(page, T("Registered as %(case)s.").split("%(")[0])
    assert case_number(page) != first_case


def test_illegal_stage_move_refused(new_context, live_server):
    T, live = tr("fr"), live_server
    page = new_context("fr")[0].new_page()
    sign_in(page, live, "caseworker", "fr")
    register(page, live, T, CAST["fr"], unique_last_name("stage"))
    case_url = page.url

    # Offered move, guard not met: refused with what is missing, stage unchanged.
    page.select_option("#stage-target", "profiled")
    with page.expect_navigation() as nav:
        page.locator("form[action$='/stage'] button").click()
    assert nav.value.status == 400
    error = page.locator("form[action$='/stage'] .error").inner_text()
    assert T("Not yet possible. Missing: %(what)s.").split("%(")[0] in error
    assert T("consent to registration and storage") in error
    assert stage_badge(page) == T("Registered")

    # A move the form never offers (a tampered option): refused too, nothing changed.
    offered = page.locator("#stage-target option").evaluate_all("os => os.map(o => o.value)")
    assert "in_service" not in offered
    page.evaluate("""() => { const o = document.createElement('option');
        o.value = 'in_service'; o.textContent = 'in service';
        document.querySelector('#stage-target').append(o); }""")
    page.select_option("#stage-target", "in_service")
    with page.expect_navigation() as nav:
        page.locator("form[action$='/stage'] button").click()
    assert nav.value.status == 400
    assert page.locator("form[action$='/stage'] .error").count() == 1
    page.goto(case_url)
    assert stage_badge(page) == T("Registered")


def test_declined_referral(new_context, live_server):
    T, live = tr("fr"), live_server
    person_id, service_id = referable(live, "caseworker", org=PROVIDER_ORG)
    cw = new_context("fr")[0].new_page()
    sign_in(cw, live, "caseworker", "fr")
    cw.goto(live(f"/referrals/new/{person_id}?service_id={service_id}"))
    cw.fill("#reason", "Wants to learn a trade.")
    submit(cw, "form[action*='/referrals/new/']", T("Save"))
    assert_flash(cw, T("Referral sent."))
    reference = cw.locator("main h1").inner_text().split()[1]
    referral_url = cw.url

    pv = new_context("fr")[0].new_page()
    sign_in(pv, live, "provider", "fr")
    pv.goto(live("/referrals/inbox?status=sent"))
    pv.get_by_role("link", name=reference, exact=True).click()
    pv.wait_for_load_state()
    pv.locator("details:has(form[action$='/decline']) summary").click()
    with pv.expect_navigation() as nav:  # no reason given: refused at the field
        pv.locator("form[action$='/decline'] button").click()
    assert nav.value.status == 400
    assert pv.locator("#dec-reason").get_attribute("aria-invalid") == "true"
    pv.select_option("#dec-reason", "no_capacity")
    pv.fill("#dec-note", "Next intake in three months.")
    submit(pv, "form[action$='/decline']")
    assert_flash(pv, T("Referral declined."))
    assert T("Declined") in pv.locator(".page-head").inner_text()
    assert pv.locator("form[action$='/accept']").count() == 0  # nothing more to answer

    cw.goto(referral_url)
    facts = cw.locator("main dl.facts").first.inner_text()
    assert T("Declined") in cw.locator(".page-head").inner_text()
    assert T("No capacity") in facts


def test_idle_logout(new_context, browser, live_server):
    """Before the idle timeout a dialog warns and one key keeps the session (WCAG 2.2.1); left
    alone, the page reloads itself and lands on the sign-in page. Without JavaScript, a meta
    refresh does the same sign-out."""
    T, live, config = tr("en"), live_server, live_server.app.config
    page = new_context("en")[0].new_page()
    sign_in(page, live, "caseworker.sw", "en")
    page.goto(live("/people/"))
    usual = config["ICRS_IDLE_TIMEOUT_MINUTES"]
    dialog = page.locator("dialog#idle-warning")
    assert int(dialog.get_attribute("data-idle-seconds")) == usual * 60
    assert not dialog.is_visible()
    assert page.locator("meta[http-equiv=refresh]").count() == 0  # scripting on: the dialog

    config["ICRS_IDLE_TIMEOUT_MINUTES"] = 0.05  # 3 s: warned after 1.5, reloaded after 8
    try:
        page.goto(live("/people/"))
        page.locator("main a").first.focus()
        dialog.wait_for(state="visible", timeout=10_000)  # no click, no key
        assert dialog.get_attribute("role") == "alertdialog"
        assert T("Are you still there?") in dialog.inner_text()
        focused = page.evaluate("""() => { const el = document.activeElement;
            return {text: el.innerText.trim(), inDialog: !!el.closest('dialog'),
                    outline: getComputedStyle(el).outlineStyle !== 'none'}; }""")
        assert focused == {"text": T("Stay signed in"), "inDialog": True, "outline": True}
        with page.expect_response(lambda r: r.url.endswith("/session/keepalive")) as answer:
            page.keyboard.press("Enter")
        assert answer.value.status == 204
        dialog.wait_for(state="hidden")
        assert "/people/" in page.url
        assert page.evaluate("() => document.activeElement.closest('main') !== null")  # back
        dialog.wait_for(state="visible", timeout=10_000)  # warned again; this time left alone
        page.wait_for_url(re.compile(r"/login"), timeout=20_000)
    finally:
        config["ICRS_IDLE_TIMEOUT_MINUTES"] = usual
    page.wait_for_load_state()
    assert T("You were signed out after a period of inactivity.") in flash_text(page)
    assert page.locator("form[action$='/logout']").count() == 0
    assert page.locator("#idle-warning").count() == 0  # signed out: no timer
    page.goto(live("/people/"))
    assert "/login" in page.url

    # Scripting off: no dialog can show, the page refreshes itself after the timeout.
    context = browser.new_context(java_script_enabled=False, locale="en-GB",
                                  extra_http_headers={"Accept-Language": "en"})
    try:
        plain = context.new_page()
        sign_in(plain, live, "caseworker.sw", "en")
        plain.goto(live("/people/"))
        assert plain.get_attribute("meta[http-equiv=refresh]", "content") == str(usual * 60 + 5)
    finally:
        context.close()
