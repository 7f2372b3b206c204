"""No internal code on a French page: each role signs in, opens every GET page it may reach with
the demo data (the links the pages give, then every remaining route of app.url_map with its URL
parameters filled from demo objects), and the visible text (tags, scripts and attribute values
stripped) holds no snake_case code (`vocational_training`) and no dotted action code
(`people.viewed`)."""
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.exceptions import HTTPException

from icrs.auth.access import is_public_endpoint
from tests.core.test_route_matrix import ACCESS, _domain_tables

SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
DOTTED = re.compile(r"\b[a-z]+\.[a-z_]+\b")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+")
LOGINS = ("caseworker", "provider", "supervisor", "admin")
# The pages the issue names, which each role allowed to open them must have seen.
MUST_SEE = {"people.detail", "referrals.detail", "profiling.overview", "audit.index",
            "audit.person_history", "dashboard.index", "auth.account", "referrals.received"}
PER_ENDPOINT, LIMIT = 3, 160


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, no attribute values, no script or style content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.links, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template") or (tag == "code" and "data-code" in dict(attrs)):
            self._hidden += 1  # `<code data-code>`: a stable code shown as data on purpose
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self):
        return " ".join(self.parts)


def codes_in(text, allowed=frozenset()):
    text = EMAIL_OR_URL.sub(" ", text)
    found = set(SNAKE.findall(text)) | set(DOTTED.findall(text))
    return sorted(found - allowed)


def test_codes_in_finds_both_kinds():
    assert codes_in("Étape : vocational_training, people.viewed") == [
        "people.viewed", "vocational_training"]
    assert codes_in("Formation professionnelle, Dossier consulté, a@b.example") == []


def test_only_codes_marked_as_data_are_left_out():
    page = VisibleText()
    page.feed("<p><code data-code>armed_group</code> <code>exit_reason</code> ok</p>")
    assert codes_in(page.text) == ["exit_reason"]


@pytest.fixture
def demo(app, db, monkeypatch):
    """The demo dataset with a handful of people, every login in French."""
    import icrs.demo.people
    from icrs.auth.models import User
    from icrs.demo import load_demo

    monkeypatch.setattr(icrs.demo.people, "COUNT", 12)
    load_demo(app.config["ICRS_DEMO_PASSWORD"])
    db.session.execute(sa.update(User).values(locale="fr"))
    db.session.commit()
    return app.config["ICRS_DEMO_PASSWORD"]


def _allowed(role):
    table = dict(ACCESS, **_domain_tables())
    return {e for e, roles in table.items() if role in roles and not is_public_endpoint(e)}


def _candidates(db):
    """URL parameter values taken from the demo objects, by parameter name."""
    from icrs.auth.models import User
    from icrs.directory.models import Organisation, Service
    from icrs.people.models import Person
    from icrs.profiling.sections import SECTIONS
    from icrs.referrals.models import Referral

    def ids(model, n=40):
        return db.session.scalars(sa.select(model.id).order_by(model.id).limit(n)).all()

    return {"person_id": ids(Person), "referral_id": ids(Referral, 200),
            "service_id": ids(Service, 5), "organisation_id": ids(Organisation, 5),
            "user_id": ids(User, 3), "number": [1, 2], "code": [s.code for s in SECTIONS],
            "kind": ["follow_ups", "referrals"]}


class Walk:
    def __init__(self, app, client, role):
        self.app, self.client, self.role = app, client, role
        self.adapter = app.url_map.bind("localhost")
        self.allowed, self.seen, self.visits, self.problems = _allowed(role), set(), {}, []

    def endpoint(self, url):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return None
        try:
            endpoint, _args = self.adapter.match(parts.path, method="GET")
        except HTTPException:
            return None
        return endpoint if endpoint in self.allowed else None

    def open(self, url, allowed_words):
        """GET one page; True when it was an HTML page that answered 200."""
        endpoint = self.endpoint(url)
        if endpoint is None or url in self.seen:
            return False
        self.seen.add(url)
        response = self.client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            return False
        self.visits[endpoint] = self.visits.get(endpoint, 0) + 1
        page = VisibleText()
        page.feed(response.get_data(as_text=True))
        for code in codes_in(page.text, allowed_words):
            self.problems.append(f"{self.role} {url}: {code}")
        self.queue.extend(page.links)
        return True

    def crawl(self, seeds, allowed_words):
        self.queue = list(seeds)
        while self.queue and len(self.seen) < LIMIT:
            url = self.queue.pop(0)
            endpoint = self.endpoint(url)
            if endpoint and self.visits.get(endpoint, 0) < PER_ENDPOINT:
                self.open(url, allowed_words)

    def fill_the_rest(self, candidates, allowed_words):
        """Every allowed GET route not reached by links, with parameters from demo objects."""
        for rule in self.app.url_map.iter_rules():
            if (rule.endpoint not in self.allowed or "GET" not in (rule.methods or ())
                    or not rule.arguments or self.visits.get(rule.endpoint)):
                continue
            if any(arg not in candidates for arg in rule.arguments):
                continue
            for values in _combinations(rule.arguments, candidates):
                url = url_for(rule.endpoint, **values)
                if self.open(url, allowed_words):
                    self.crawl([], allowed_words)
                    break


def _combinations(arguments, candidates, limit=60):
    """Parameter dicts, first values first, at most `limit`."""
    combos = [{}]
    for arg in sorted(arguments):
        combos = [dict(c, **{arg: v}) for c in combos for v in candidates[arg]][:limit]
    return combos


def _sign_in(client, username, password):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"demo login {username} failed"


def test_no_internal_code_on_french_pages(app, db, demo):
    from icrs.demo.accounts import USERS

    usernames = frozenset(u[0] for u in USERS)
    problems, unseen = [], []
    for role in LOGINS:
        client = app.test_client()
        _sign_in(client, role, demo)
        walk = Walk(app, client, role)
        with app.test_request_context():
            seeds = [url_for(r.endpoint) for r in app.url_map.iter_rules()
                     if r.endpoint in walk.allowed and "GET" in (r.methods or ())
                     and not r.arguments]
            walk.crawl(seeds, usernames)
            walk.fill_the_rest(_candidates(db), usernames)
        problems += walk.problems
        unseen += [f"{role}: {e}" for e in sorted(MUST_SEE & walk.allowed - set(walk.visits))]
    assert not unseen, f"pages the walk never reached: {unseen}"
    first = {}
    for line in sorted(problems):
        first.setdefault(line.rsplit(": ", 1)[1], line)
    assert not first, "internal codes on French pages:\n" + "\n".join(sorted(first.values()))
