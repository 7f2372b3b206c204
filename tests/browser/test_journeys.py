"""The whole path of a case as its users meet it, once in French and once in English: the
caseworker registers, records consent, completes the profile and plan, refers; the provider
accepts, starts and completes; the caseworker acknowledges; the supervisor's dashboard moves."""
import itertools
import re

import pytest

from tests.browser.ui import (
    assert_flash,
    case_number,
    fill_required,
    sign_in,
    submit,
    tr,
)

pytestmark = pytest.mark.browser

# Each language has its own site, provider, service and supervisor.
CAST = {
    "fr": {"caseworker": "caseworker", "provider": "provider", "supervisor": "supervisor",
           "service": "Formation en couture et stylisme", "category": "vocational_training",
           "pathway": "vocational_training", "languages": ("fr", "ff"), "age": "24",
           "first": "Abakar", "phone": "+237 690 11 22 {n:02d}"},
    "en": {"caseworker": "caseworker.nw", "provider": "provider2", "supervisor": "supervisor.nw",
           # (MHPSS asks consent with each referral: tests/referrals/test_sensitive.py)
           "service": "Community dialogue and reconciliation sessions",
           "category": "community_reconciliation",
           "pathway": "other", "languages": ("en", "wes"), "age": "31",
           "first": "Kingsley", "phone": "+237 677 33 44 {n:02d}"},
}
_serial = itertools.count(1)


def unique_last_name(lang):
    letters = "abcdefghij"
    n = next(_serial)
    return f"Journey{lang.upper()}" + "".join(letters[int(d)] for d in f"{n:03d}")


def register(page, live, T, cast, last_name, sex="male", category="adult_man",
             confirm_duplicates=True):
    page.goto(live("/people/"))
    page.locator("main a.button.primary[href$='/people/new']").click()
    page.wait_for_load_state()
    page.fill("#first_name", cast["first"])
    page.fill("#last_name", last_name)
    page.select_option("#sex", sex)
    page.fill("#estimated_age", cast["age"])
    page.select_option("#category", category)
    for code in cast["languages"]:
        page.check(f"input[name=languages][value={code}]")
    page.fill("#phone", cast["phone"].format(n=next(_serial) % 100))
    submit(page, "main form", T("Check and register"))
    confirm = page.locator("button[name=confirm]")
    if confirm_duplicates and confirm.count():  # a demo person with a similar name: checked
        with page.expect_navigation():
            confirm.click()


def record_consent(page, T, purpose, category=""):
    details = page.locator("details:has(form[action$='/consent'])")
    if details.get_attribute("open") is None:
        details.locator("xpath=./summary").click()  # its own, not a consent text's
    page.select_option("#consent-purpose", purpose)
    page.select_option("#consent-service_category", category)
    page.select_option("#consent-method", "signed")
    submit(page, "form[action$='/consent']")
    assert_flash(page, T("Consent recorded."))


def complete_profile(page, T):
    page.locator("main a[href$='/profile']").first.click()
    page.wait_for_load_state()
    links = page.locator("main table a[href*='/profile/']")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == 10, hrefs  # the caseworker sees every section, sensitive ones included
    for href in hrefs:
        page.goto(page.url.split("/people/")[0] + href)
        fill_required(page)
        with page.expect_navigation():
            page.locator("input[name=save_complete]").click()
        assert_flash(page, T("Section saved: %(title)s.").split("%(")[0])
    submit(page, "form[action$='/profile/submit']")
    assert_flash(page, T("Profile submitted as version %(n)s.", n=1))


def find_by_name(page, live, name, case):
    """The people search by exact name finds the case; the name stays out of the address."""
    page.goto(live("/people/"))
    page.select_option("#kind", "name")
    page.fill("#q", name)
    submit(page, "main form[role=search]")
    assert case in page.locator("main table").inner_text()
    assert name.split()[-1] not in page.url and "q=" not in page.url


def stage_badge(page):
    return page.locator(".page-head .badge").first.inner_text().strip()


def dashboard_totals(page, live, key):
    """{row label: total} of one dashboard table, read off the page."""
    page.goto(live("/dashboard/"))
    return page.evaluate("""key => {
        const out = {};
        document.querySelectorAll(`section[aria-labelledby="h-${key}"] table tbody tr`)
            .forEach(tr => {
                const cells = tr.querySelectorAll('td');
                out[tr.querySelector('th').textContent.trim()] =
                    cells.length ? cells[cells.length - 1].textContent.trim() : '';
            });
        return out;
    }""", key)


def as_int(value):
    return int(re.sub(r"\D", "", value or "0") or 0)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_case_journey(new_context, live_server, lang):
    T, cast, live = tr(lang), CAST[lang], live_server
    supervisor = new_context(lang)[0].new_page()
    sign_in(supervisor, live, cast["supervisor"], lang)
    stages_before = dashboard_totals(supervisor, live, "stages")
    status_before = dashboard_totals(supervisor, live, "referral_status")
    assert stages_before, "the dashboard shows no stage table"

    # Caseworker: register, consent, profile, counselling and plan, refer.
    cw = new_context(lang)[0].new_page()
    sign_in(cw, live, cast["caseworker"], lang)
    last_name = unique_last_name(lang)
    register(cw, live, T, cast, last_name)
    assert_flash(cw, T("Registered as %(case)s.").split("%(")[0])
    case, case_url = case_number(cw), cw.url
    find_by_name(cw, live, f"{cast['first']} {last_name}", case)
    cw.goto(case_url)
    assert stage_badge(cw) == T("Registered")
    record_consent(cw, T, "registration")
    record_consent(cw, T, "storage")
    record_consent(cw, T, "sharing", cast["category"])
    complete_profile(cw, T)
    cw.goto(case_url)
    assert stage_badge(cw) == T("Profiled")  # consent + complete profile: reached by itself
    cw.locator("details:has(form[action$='/counselling']) summary").click()
    cw.fill("#counsel-notes", "Wants a trade; family supportive.")
    submit(cw, "form[action$='/counselling']")
    assert_flash(cw, T("Counselling session saved."))
    cw.goto(f"{case_url}/plan/edit")  # the plan's draft, then the person's agreement
    cw.select_option("#pathway", cast["pathway"])
    cw.fill("#goals-0-text", "Finish a training within six months.")
    submit(cw, "form[action$='/plan/edit']")
    assert_flash(cw, T("Draft saved. Record the person's agreement when it is ready."))
    cw.select_option("#method", "signed")
    submit(cw, "form[action$='/plan/agreement']")
    assert_flash(cw, T("Plan agreed: it is in force."))
    cw.goto(case_url)
    assert stage_badge(cw) == T("Planned")  # the agreed plan moves the case

    cw.locator("main a[href*='/referrals/new/']").click()
    cw.wait_for_load_state()
    option = cw.locator("#service_id option", has_text=cast["service"]).first
    cw.select_option("#service_id", option.get_attribute("value"))
    cw.fill("#reason", "Referred after counselling; agreed with the person.")
    submit(cw, "form[action*='/referrals/new/']", T("Save"))
    assert_flash(cw, T("Referral sent."))
    reference = cw.locator("main h1").inner_text().split()[1]
    referral_url = cw.url
    cw.goto(case_url)
    assert stage_badge(cw) == T("Referred")

    # Provider: accept, start, complete.
    pv = new_context(lang)[0].new_page()
    sign_in(pv, live, cast["provider"], lang)
    pv.goto(live("/referrals/inbox"))
    pv.get_by_role("link", name=reference, exact=True).click()
    pv.wait_for_load_state()
    assert case in pv.locator("main").inner_text()  # the packet carries the case number
    submit(pv, "form[action$='/accept']")
    assert_flash(pv, T("Referral accepted."))
    submit(pv, "form[action$='/progress']")  # "start" is the first, checked choice
    assert_flash(pv, T("Status updated."))
    pv.locator("details:has(form[action$='/outcome']) summary").click()
    pv.select_option("#out-target", "completed")
    pv.select_option("#out-outcome", "served")
    pv.fill("#out-note", "Attended every session.")
    submit(pv, "form[action$='/outcome']")
    assert_flash(pv, T("Outcome recorded. The caseworker is told."))

    # Caseworker: the case moved to "in service"; acknowledge the outcome.
    cw.goto(case_url)
    assert stage_badge(cw) == T("In service")
    assert T("To acknowledge") in cw.locator("section[aria-labelledby=ref-h]").inner_text()
    cw.goto(referral_url)
    assert "Attended every session." in cw.locator("main").inner_text()
    cw.fill("#ack-next_step", "Follow-up visit in a month.")
    submit(cw, "form[action$='/acknowledge']")
    assert_flash(cw, T("Outcome acknowledged."))

    # Supervisor: one more person in service, one more completed referral.
    stages_after = dashboard_totals(supervisor, live, "stages")
    status_after = dashboard_totals(supervisor, live, "referral_status")
    in_service = T("In service")
    assert as_int(stages_after.get(in_service)) == as_int(stages_before.get(in_service)) + 1, \
        (stages_before, stages_after)
    completed = T("Completed")
    assert as_int(status_after.get(completed)) == as_int(status_before.get(completed)) + 1, \
        (status_before, status_after)
