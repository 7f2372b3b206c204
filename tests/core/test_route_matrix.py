"""Every route is covered: anonymous users are sent to login unless the route is public, and each
role gets the answer the access table below expects. A new route without an entry fails here."""
import uuid

import pytest

from icrs.auth.access import is_public_endpoint

ROLES = ("caseworker", "provider", "supervisor", "admin", "monitoring")
ALL = set(ROLES)

# endpoint -> roles that may open it (GET). Others get 403 (or 404 for out-of-scope objects).
ACCESS = {
    "core.home": ALL,
    "auth.account": ALL,
    "core.set_time_zone": ALL,
    "auth.two_factor_setup": ALL,
    "auth.two_factor_disable": ALL,
    "auth.two_factor_start": ALL,
    "auth.two_factor_confirm": ALL,
    "auth.two_factor_recovery_codes": ALL,
    "auth.logout": ALL,
    "auth.keepalive": ALL,
    "admin.users": {"admin"},
    "admin.user_new": {"admin"},
    "admin.user_edit": {"admin"},
    "admin.user_reset_password": {"admin"},
    "admin.user_sign_out": {"admin"},
    "admin.user_reset_two_factor": {"admin"},
    "admin.user_require_two_factor": {"admin"},
}
PUBLIC = {"static", "auth.login", "auth.two_factor", "core.set_language",
          "ops.healthz", "ops.metrics",  # no personal data; /metrics: loopback or token
          # provider links (icrs.exchange): the token or short code is the credential; the
          # packet only, audited, never cached
          "links.code_entry", "links.page", "links.answer", "links.code_page",
          "links.code_answer"}


def _rules(app):
    return [r for r in app.url_map.iter_rules()]


def _url(rule):
    values = {}
    for arg in rule.arguments:
        conv = rule._converters[arg].__class__.__name__
        values[arg] = {"IntegerConverter": 987654, "UUIDConverter": uuid.uuid4()}.get(conv, "x")
    from flask import url_for
    return url_for(rule.endpoint, **values)


def test_every_route_has_an_access_entry(app):
    domain_tables = _domain_tables()
    missing = sorted({r.endpoint for r in _rules(app)} - set(ACCESS) - PUBLIC
                     - _domain_public() - set(domain_tables))
    assert not missing, f"routes without an entry in the access matrix: {missing}"


def test_public_routes_are_exactly_the_declared_ones(app, db):
    public = {r.endpoint for r in _rules(app) if is_public_endpoint(r.endpoint)}
    token_apis = ("hsds.", "fhir.")  # answer their tokens themselves (401 without)
    assert public <= PUBLIC | _domain_public() | {e for e in _domain_tables()
                                                  if e.startswith(token_apis)}


def test_anonymous_is_sent_to_login(app, client):
    with app.test_request_context():
        rules = [(r, _url(r)) for r in _rules(app) if not is_public_endpoint(r.endpoint)]
    for rule, url in rules:
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        response = client.open(url, method=method)
        if rule.rule.startswith("/hsds"):
            assert response.status_code == 401, url
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, client, login_as, role):
    login_as(role)
    table = dict(ACCESS, **_domain_tables())
    with app.test_request_context():
        rules = [(r, _url(r)) for r in _rules(app) if r.endpoint in table
                 and not is_public_endpoint(r.endpoint) and "GET" in (r.methods or ())
                 and r.endpoint not in ("auth.logout",)]
    for rule, url in rules:
        status = client.get(url).status_code
        if role in table[rule.endpoint]:
            expected = {200, 302, 404} if rule.arguments else {200, 302}
        else:
            expected = {403, 404} if rule.arguments else {403}
        assert status in expected, (role, url, status)


def _domain_tables():
    """Domain test packages add their endpoints in tests/<domain>/access.py as ACCESS."""
    merged = {}
    for mod in _access_modules():
        merged.update(mod.ACCESS)
    return merged


def _domain_public():
    """...and their public endpoints (e.g. a gateway's webhook) as PUBLIC."""
    return set().union(*(getattr(mod, "PUBLIC", set()) for mod in _access_modules()))


def _access_modules():
    import importlib
    import pkgutil

    import tests

    for module in pkgutil.iter_modules(tests.__path__):
        try:
            yield importlib.import_module(f"tests.{module.name}.access")
        except ModuleNotFoundError:
            continue
