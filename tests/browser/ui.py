"""Small helpers the browser tests share: the catalogues, signing in, reading flashes, filling
the profile, and the axe-core run."""
import os
import re

from babel.support import Translations

DEMO_PASSWORD = "browser-demo-pass"
TRANSLATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "icrs", "translations")
_catalogues = {}


def tr(lang):
    """gettext for `lang` from the compiled catalogue the app serves: tr("fr")("Save")."""
    if lang not in _catalogues:
        _catalogues[lang] = Translations.load(TRANSLATIONS, [lang], domain="messages")

    def _(msgid, **kw):
        text = _catalogues[lang].gettext(msgid)
        return text % kw if kw else text

    return _


def html_lang(page):
    return page.get_attribute("html", "lang")


def sign_in(page, live, username, lang):
    """Sign in through the form, then make sure the pages are in `lang`."""
    page.goto(live("/login"))
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form button").click()
    page.wait_for_load_state()
    assert page.locator("form[action$='/logout']").count() == 1, flash_text(page)
    use_language(page, lang)


def use_language(page, lang):
    if html_lang(page) != lang:
        page.locator(f"header button[name=locale][value={lang}]").click()
        page.wait_for_load_state()
    assert html_lang(page) == lang


def sign_out(page):
    page.locator("form[action$='/logout'] button").click()
    page.wait_for_load_state()


def flash_text(page):
    flashes = page.locator(".flashes")
    return flashes.inner_text() if flashes.count() else ""


def assert_flash(page, expected):
    text = flash_text(page)
    assert expected in text, f"expected flash {expected!r}, got {text!r} on {page.url}"


def submit(page, form_selector, button_text=None):
    """Click the form's (named) button and wait for the page that answers."""
    form = page.locator(form_selector)
    button = form.get_by_role("button", name=button_text) if button_text \
        else form.locator("button").last
    with page.expect_navigation():
        button.click()


def case_number(page):
    return re.match(r"\S+", page.locator("main h1").inner_text()).group(0)


# Values for the required questions of each profile section (others are left empty).
PROFILE_NUMBERS = {"household_size": "4", "dependants_count": "2", "year_joined": "2016"}


def fill_required(page):
    """Answer every required question of the section form on screen."""
    fields = page.locator("main form .field:has(.req)")
    for i in range(fields.count()):
        field = fields.nth(i)
        if field.locator("select").count():
            select = field.locator("select")
            value = select.locator("option").nth(1).get_attribute("value")
            select.select_option(value)
        elif field.locator("input[type=checkbox]").count():
            field.locator("input[type=checkbox]").first.check()
        else:
            box = field.locator("input, textarea").first
            name = box.get_attribute("name")
            box.fill(PROFILE_NUMBERS.get(name, "3"))


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (shipped inside axe-playwright-python, no download) on the page: every
    violation of those impacts, none excepted."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        if v["impact"] in impacts:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"]][:5]
            found.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return found


def referable(live, username, org=None, exclude_org=None):
    """(person id, service id): an open case of `username` and a
    service it is eligible for with consent to share, optionally of (or not of) one
    organisation. Read from the database: the setup, not the thing tested."""
    import sqlalchemy as sa

    from icrs.auth.models import User
    from icrs.extensions import db
    from icrs.people.models import Person
    from icrs.people.states import ACTIVE
    from icrs.referrals.matching import suggest

    with live.app.test_request_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        people = db.session.scalars(sa.select(Person).where(
            Person.caseworker_id == user.id, Person.stage.in_(ACTIVE))
            .order_by(Person.case_number)).all()
        for person in people:
            for s in suggest(person, limit=60):
                name = s.service.organisation.name
                if s.eligible and s.consent and (org is None or name == org) \
                        and (exclude_org is None or name != exclude_org):
                    return str(person.id), str(s.service.id)
    raise AssertionError(f"no case of {username} can be referred (org={org!r}): demo data?")
