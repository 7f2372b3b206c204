"""Hypothesis posts hostile data to every POST route, as a role allowed to use it: never a 500,
and a refusal (4xx) writes nothing.

Routes come from `app.url_map`, roles from the route-matrix ACCESS tables (tests/*/access.py),
field names and option values from the forms found by crawling the pages that role can open.
"""
import os
import uuid
import warnings

import pytest
import sqlalchemy as sa
from flask import url_for
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from icrs.auth.access import is_public_endpoint
from tests.core.test_route_matrix import ACCESS, _domain_tables
from tests.security import formmap

EXAMPLES = int(os.environ.get("ICRS_FUZZ_EXAMPLES", "15"))
ROLE_ORDER = ("caseworker", "provider", "admin", "supervisor", "monitoring")
LOGINS = {"caseworker": "caseworker", "provider": "provider", "admin": "admin",
          "supervisor": "supervisor", "monitoring": "suivi.national"}
SKIP = {"auth.logout", "static"}
# Refusals that are themselves worth recording (a failed sign-in is audited).
# A refused sign-in and a refused provider short code are audited (attempts are evidence).
MAY_WRITE_ON_REFUSAL = {"auth.login": {"audit_entry", "audit_head"},
                        "links.code_entry": {"audit_entry", "audit_head"}}
# Routes that end or move the case run last, so the others still find it open and assigned.
LAST = ("stage", "withdraw", "reassign", "revoke", "erase", "disable", "reset")
# Open findings, reported to their owners: a failure here is a warning until the entry is removed.
# Empty: every POST route must survive hostile data. Add an entry only with the bug it stands for.
KNOWN: dict[str, str] = {}
FALLBACK_FIELDS = ("name", "text", "note", "reason", "status", "version", "q", "code", "value")

NASTY = ["", " ", "\x00", "a\x00b", "\x1b[2J", "\r\n\r\nX-Injected: 1", "\u202egnp.exe",
         "\u200f\u200e\u2066", "😀" * 50, "' OR '1'='1' --", "\"; DROP TABLE person; --",
         "<script>alert(1)</script>", "{{7*7}}", "%s%s%n", "../../../etc/passwd", "9" * 400,
         "-1", "0", "-0", "1e309", "NaN", "inf", "2024-02-30", "0000-00-00", "99999-12-31",
         "00000000-0000-0000-0000-000000000000", "true", "null", "[]", "{}", "%00", "\ufeff",
         "ǅ" * 300, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\U0010fffd"]
MISSING = object()

hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=20),  # control characters
    st.builds(lambda c, n: c * n, st.sampled_from(["A", "é", "\u202e", "\x00", "😀", "9"]),
              st.integers(300, 12_000)),
    st.integers(-2**70, 2**70).map(str),
)


def _value(options):
    plausible = st.sampled_from(options) if options else hostile
    one = st.one_of(plausible, hostile)
    return st.one_of(st.just(MISSING), one, one, st.lists(one, min_size=2, max_size=3))


def form_data(fields):
    """A MultiDict of hostile values: fields missing, duplicated, of the wrong kind, or extra."""
    names = sorted(fields) or list(FALLBACK_FIELDS)
    per_field = st.fixed_dictionaries({n: _value(fields.get(n, [])) for n in names})
    extra = st.lists(st.tuples(st.sampled_from(["x", "id", "role", "__proto__", "a" * 300]),
                               hostile), max_size=2)
    return st.builds(_to_multidict, per_field, extra)


def _to_multidict(values, extra):
    pairs = []
    for name, value in values.items():
        if value is MISSING:
            continue
        pairs.extend((name, v) for v in (value if isinstance(value, list) else [value]))
    return MultiDict(pairs + extra)


@pytest.fixture
def world(app, db, make, monkeypatch):
    """The demo dataset, with a handful of people, and a user the admin forms may change."""
    import icrs.demo.people
    from icrs.demo import load_demo

    monkeypatch.setattr(icrs.demo.people, "COUNT", 6)
    load_demo(app.config["ICRS_DEMO_PASSWORD"])
    target = make.user("caseworker", username="fuzz.target")
    db.session.commit()
    return {"user_id": target.id}


def _table():
    return dict(ACCESS, **_domain_tables())


def _post_rules(app):
    table = _table()
    rules = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint in SKIP:
            continue
        if is_public_endpoint(rule.endpoint):
            rules.append((None, rule))
        elif table.get(rule.endpoint):
            role = min(table[rule.endpoint], key=ROLE_ORDER.index)
            rules.append((role, rule))
    order = {None: -1, **{r: i for i, r in enumerate(ROLE_ORDER)}}
    return sorted(rules, key=lambda rr: (order[rr[0]], any(w in rr[1].endpoint for w in LAST),
                                         rr[1].endpoint))


def _counts(db):
    tables = [t.name for t in db.metadata.sorted_tables]
    stmt = sa.select(*[sa.select(sa.func.count()).select_from(sa.table(t)).scalar_subquery()
                       .label(t) for t in tables])
    with db.engine.connect() as conn:
        return dict(zip(tables, conn.execute(stmt).one(), strict=True))


# A refusal that shows the case, profile or referral page again records that view (and only it).
VIEW_ACTIONS = {"people.viewed", "profiling.viewed", "profiling.section_viewed",
                "referrals.viewed"}


def _only_views_since(db, count):
    """True when the audit entries after the first `count` are all page views."""
    with db.engine.connect() as conn:
        actions = conn.execute(sa.text("SELECT action FROM audit_entry WHERE seq > :n"),
                               {"n": count}).scalars().all()  # seq runs 1, 2, … without gaps
    return set(actions) <= VIEW_ACTIONS


def _login(app, role, password):
    client = app.test_client()
    if role is not None:
        response = client.post("/login", data={"username": LOGINS[role], "password": password})
        assert response.status_code == 302, f"demo login {role} failed"
    return client


def _discover(app, client, role, errors):
    table = _table()
    allowed = {e for e, roles in table.items() if role in roles}
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        seeds = [url_for(r.endpoint) for r in app.url_map.iter_rules()
                 if r.endpoint in allowed and "GET" in (r.methods or ()) and not r.arguments]
    return formmap.crawl(client, adapter, seeds, allowed, errors)


def _target(app, client, rule, forms, overrides):
    """A concrete URL for the rule: one the pages link to, else built from known ids; its
    fields from the forms found, else from the rule's own GET page."""
    adapter = app.url_map.bind("localhost")
    for path in forms:
        hit = formmap.match(adapter, path, "POST")
        if hit and hit[0] == rule.endpoint:
            args = dict(hit[1], **{k: v for k, v in overrides.items() if k in hit[1]})
            with app.test_request_context():
                url = url_for(rule.endpoint, **args)
            return url, forms.get(url, forms[path])
    args = {a: overrides.get(a, _dummy(rule, a)) for a in rule.arguments}
    with app.test_request_context():
        url = url_for(rule.endpoint, **args)
    if "GET" in (rule.methods or ()):
        page = formmap._get(client, url, rule.endpoint, [])
        if page is not None:
            formmap.add_forms(forms, page, url)
    return url, forms.get(url, {})


def _dummy(rule, arg):
    conv = rule._converters[arg].__class__.__name__
    return {"IntegerConverter": 987654, "UUIDConverter": uuid.uuid4()}.get(conv, "x")


def test_every_post_route_survives_hostile_forms(app, db, world):
    password = app.config["ICRS_DEMO_PASSWORD"]
    failures, clients, forms = [], {}, {}
    for role, rule in _post_rules(app):
        if role not in clients:
            clients[role] = _login(app, role, password)
            forms[role] = _discover(app, clients[role], role, failures) if role else {}
        elif role and clients[role].get("/account").status_code != 200:
            clients[role] = _login(app, role, password)  # a route ended the session
        url, fields = _target(app, clients[role], rule, forms[role], world)
        try:
            _fuzz_route(db, clients[role], rule.endpoint, url, fields)
        except AssertionError as exc:
            message = f"{rule.endpoint} as {role}: {str(exc).splitlines()[0]}"
            if rule.endpoint in KNOWN:
                warnings.warn(f"known finding ({KNOWN[rule.endpoint]}): {message}", stacklevel=1)
            else:
                failures.append(message)
    assert not failures, "\n".join(failures)


def _fuzz_route(db, client, endpoint, url, fields):
    allowed_writes = MAY_WRITE_ON_REFUSAL.get(endpoint, set())

    # No shrinking: a failing request is reported at once, in short (see _brief).
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              derandomize=bool(os.environ.get("CI")),
              phases=(Phase.explicit, Phase.reuse, Phase.generate),
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.function_scoped_fixture])
    @given(data=form_data(fields))
    def run(data):
        before = _counts(db)
        try:
            response = client.post(url, data=data)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises what would be a 500
            raise AssertionError(f"500 ({type(exc).__name__}: {str(exc)[:200]}) "
                                 f"for {_brief(data)}") from None
        assert response.status_code < 500, f"{response.status_code} for {_brief(data)}"
        if 400 <= response.status_code < 500:
            after = _counts(db)
            changed = {t for t in before if before[t] != after[t]} - allowed_writes
            if _only_views_since(db, before["audit_entry"]):  # a page shown again is a view
                changed -= {"audit_entry", "audit_head"}
            assert not changed, (f"{response.status_code} but rows written in "
                                 f"{sorted(changed)} for {_brief(data)}")

    run()


def _brief(data):
    """The posted data in one short line: long values as their start and length."""
    def short(v):
        return repr(v) if len(v) <= 24 else f"{v[:12]!r}…(len {len(v)})"

    return "{" + ", ".join(f"{k}={short(v)}" for k, v in data.items(multi=True)) + "}"
