"""The menu comes from the views' own checks: every entry shown to a role opens (200) for that
role, and every list page the role may open is in its menu."""
import pytest
from flask import current_app
from flask_login import login_user

from icrs.navigation import ENTRIES, may_open, navigation

ROLES = [("caseworker", {}), ("supervisor", {}), ("supervisor", {"region": "EN"}),
         ("provider", {}), ("admin", {})]


def _lists(app):
    """Every page without arguments named as a list (`*.index`) or in the menu."""
    named = {endpoint for endpoint, _ in ENTRIES}
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if "GET" in (rule.methods or ()) and not rule.arguments
                   and (rule.endpoint.endswith(".index") or rule.endpoint in named)})


def _menu(app, user):
    with app.test_request_context("/"):
        login_user(user)
        return navigation()


@pytest.mark.parametrize(("role", "fields"), ROLES)
def test_menu_entries_open_and_lists_are_in_the_menu(app, client, login_as, make, role, fields):
    make.site("MER", "EN")
    user = login_as(role, **fields)
    menu = _menu(app, user)
    shown = {item["url"] for item in menu}
    assert shown, "every role has a menu"
    for url in shown:
        assert client.get(url).status_code == 200, url
    with app.test_request_context("/"):
        from flask import url_for
        urls = {endpoint: url_for(endpoint) for endpoint in _lists(app)}
    for endpoint, url in urls.items():
        if client.get(url).status_code == 200:
            assert url in shown, f"{role} may open {endpoint} but the menu hides it"


def test_supervisors_find_the_referrals_list_in_their_menu(app, login_as):
    user = login_as("supervisor")
    assert "/referrals/" in {item["url"] for item in _menu(app, user)}


def test_may_open_asks_the_views_own_check(app, make, db):
    provider, caseworker = make.user("provider"), make.user("caseworker")
    with app.test_request_context("/"):
        assert current_app.view_functions["referrals.index"].allows(caseworker)
        assert not may_open("referrals.index", provider)  # referrals.view, but not staff
        assert may_open("referrals.inbox", provider)
        assert not may_open("no.such.endpoint", provider)
