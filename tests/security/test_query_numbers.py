"""Absurd numbers in the query string of every list page (?page=, ?site=, ?age= …), as each role
allowed to open it: never a 500 (a 400-digit ?page= used to overflow the database's OFFSET)."""
import pytest
from flask import url_for

from icrs.auth.access import is_public_endpoint
from icrs.directory.taxonomy import ensure_taxonomy
from tests.core.test_route_matrix import ACCESS, ROLES, _domain_tables

PARAMS = ("page", "per_page", "site", "region", "caseworker", "actor", "age", "organisation",
          "service", "year")
VALUES = ("9" * 400, "²")  # too big for any column; a digit to str.isdigit() but not to int()
# healthz reads no parameter and answers 503 on a database built without migrations (tests)
SKIP = {"auth.logout", "static", "ops.healthz", "ops.metrics"}


def _get_rules(app, role):
    table = dict(ACCESS, **_domain_tables())
    with app.test_request_context():
        return [url_for(r.endpoint) for r in app.url_map.iter_rules()
                if "GET" in (r.methods or ()) and not r.arguments and r.endpoint not in SKIP
                and (role in table.get(r.endpoint, ()) or is_public_endpoint(r.endpoint))]


@pytest.mark.parametrize("role", ROLES)
def test_list_pages_survive_absurd_numbers(app, client, login_as, role):
    ensure_taxonomy()  # as the demo and the directory import do (the HSDS API needs it)
    login_as(role, locale="en")
    failures = []
    for url in _get_rules(app, role):
        for name in PARAMS:
            for value in VALUES:
                try:
                    status = client.get(url, query_string={name: value}).status_code
                except Exception as exc:  # noqa: BLE001 - the test client re-raises a 500
                    status = f"500 ({type(exc).__name__}: {str(exc)[:80]})"
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{url}?{name}={value[:12]}…: {status}")
    assert not failures, "\n".join(failures)
