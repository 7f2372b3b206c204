"""The M&E / donor reader: dashboards and suppressed aggregates for a region or the country,
never a person, a case number, a worklist, the audit log or a personal export."""
import re

import pytest

from icrs.auth.roles import PERMISSIONS, Role, has_permission
from tests.dashboard.conftest import PERIOD, world  # noqa: F401  (the dashboard's known world)

CASE_NUMBER = re.compile(r"\b(EN|NW|SW)-[A-Z]{3}-\d{4}-p\d\b")
REFUSED = ["/people/", "/people/follow-ups", "/people/new", "/referrals/",
           "/dashboard/overdue/follow_ups", "/dashboard/overdue/referrals",
           "/dashboard/export/personal", "/audit/", "/approvals/", "/directory/",
           "/admin/users", "/admin/consent-texts", "/consent-texts/print"]


def test_permissions_are_dashboard_view_only():
    class Reader:
        is_authenticated, active, role = True, True, Role.MONITORING

    allowed = {p for p in PERMISSIONS if has_permission(Reader(), p)}
    assert allowed == {"dashboard.view"}


def test_role_label_in_both_languages(app):
    from flask_babel import force_locale
    with app.test_request_context(), force_locale("fr"):
        assert str(Role.MONITORING.label) == "Lecteur S&E / bailleur"
    with app.test_request_context(), force_locale("en"):
        assert str(Role.MONITORING.label) == "M&E / donor reader"


@pytest.fixture
def reader(login_as):
    return login_as("monitoring", locale="en")


@pytest.mark.parametrize("url", REFUSED)
def test_reader_is_refused_every_page_with_people(client, world, reader, url):  # noqa: F811
    assert client.get(url).status_code == 403, url


def test_reader_cannot_open_a_case_or_its_history(client, world, reader):  # noqa: F811
    person = world.people["p3"]
    assert client.get(f"/people/{person.id}").status_code in (403, 404)
    assert client.get(f"/audit/case/{person.id}").status_code in (403, 404)
    assert client.post("/dashboard/export/personal").status_code == 403


def test_home_leads_to_the_dashboard(client, reader):
    assert client.get("/").headers["Location"].endswith("/dashboard/")


def test_dashboard_is_suppressed_and_names_no_case(client, world, reader):  # noqa: F811
    body = client.get("/dashboard/", query_string=PERIOD).get_data(as_text=True)
    assert "People by stage" in body
    assert not CASE_NUMBER.search(body), CASE_NUMBER.search(body)
    assert 'id="wl-followups"' not in body and "/dashboard/overdue/" not in body
    assert "&lt;5" in body  # small counts hidden on the page too
    assert 'role="img"' not in body  # no chart: a bar would give the small count away
    assert "/people/" not in body


def test_supervisor_still_sees_worklists_and_case_numbers(client, world, login_as):  # noqa: F811
    login_as("supervisor", locale="en")
    body = client.get("/dashboard/", query_string=PERIOD).get_data(as_text=True)
    assert CASE_NUMBER.search(body) and 'id="wl-followups"' in body
    assert client.get("/dashboard/overdue/follow_ups").status_code == 200


def test_reader_exports_are_suppressed(client, world, reader):  # noqa: F811
    csv = client.get("/dashboard/export/stages.csv", query_string=PERIOD).get_data(as_text=True)
    assert csv.startswith("\ufeffStage,") and not CASE_NUMBER.search(csv)
    xlsx = client.get("/dashboard/export.xlsx", query_string=PERIOD)
    assert xlsx.status_code == 200
    assert client.get("/dashboard/report", query_string=PERIOD).status_code == 200


def test_regional_reader_stays_in_their_region(client, world, login_as):  # noqa: F811
    login_as("monitoring", region=world.en, locale="en")
    assert client.get("/dashboard/", query_string=PERIOD).status_code == 200
    csv = client.get("/dashboard/export/stages.csv", query_string=PERIOD).get_data(as_text=True)
    assert csv.splitlines()[-1] == "Total,<5,<5,x"  # as the regional supervisor's file
    assert client.get("/dashboard/", query_string={"region": world.nw.id}).status_code == 403
    assert client.get("/dashboard/export/stages.csv",
                      query_string={"site": world.sites["BAM"].id}).status_code == 403
    body = client.get("/dashboard/").get_data(as_text=True)
    assert "Far North" in body and "North-West" not in body


def test_national_reader_sees_every_region(client, world, reader):  # noqa: F811
    assert reader.scope.national and not reader.scope.people
    response = client.get("/dashboard/export/stages.csv",
                          query_string={**PERIOD, "region": world.nw.id})
    assert response.status_code == 200


def test_reader_sees_no_person_through_scope(make, db):
    person = make.person()
    reader = make.user("monitoring")
    assert not person.can_view(reader)
    from icrs.people.models import Person
    assert db.session.query(Person).filter(reader.scope.clause(Person)).count() == 0
