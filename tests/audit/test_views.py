"""Audit viewer (admins) and case history (supervisors): filters, paging, refusals, scope, and
that reading a case is itself logged."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.audit.services import record


def _entries(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_case_read_is_logged(client, login_as, db, person):
    login_as(db.session.get(type(person.caseworker), person.caseworker_id))
    assert client.get(f"/people/{person.id}").status_code == 200
    (entry,) = _entries(db, "people.viewed")
    assert entry.object_type == "person" and entry.object_id == str(person.id)
    assert entry.actor_id == person.caseworker_id
    assert "Mahamat" not in entry.details and "4242" not in entry.details


def test_index_lists_and_never_shows_personal_values(client, login_as, db, person):
    login_as("admin")
    html = client.get("/audit/").get_data(as_text=True)
    assert "people.registered" in html
    assert "Mahamat" not in html and "Aïcha" not in html and "CNI-4242" not in html
    assert str(person.id) in html


@pytest.mark.parametrize("query, expected, absent", [
    ({"action": "people"}, "people.registered", "test.other"),
    ({"action": "test.other"}, "test.other", "people.registered"),
    ({"actor": "cw.audit"}, "people.registered", "test.other"),
    ({"object_type": "thing"}, "test.other", "people.registered"),
    ({"object_id": "t-1"}, "test.other", "people.registered"),
])
def test_index_filters(client, login_as, db, person, query, expected, absent):
    record("test.other", object_type="thing", object_id="t-1")
    db.session.commit()
    login_as("admin")
    response = client.get("/audit/", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert expected in html and f">{absent}<" not in html


def test_action_prefix_stops_at_a_dot(client, login_as, db):
    record("peoplex.thing")
    record("people.viewed_fake")
    db.session.commit()
    login_as("admin")
    html = client.get("/audit/?action=people").get_data(as_text=True)
    assert "people.viewed_fake" in html and "peoplex.thing" not in html


def test_index_date_range(client, login_as, db):
    old = record("test.old")
    old_day = dt.date(2020, 5, 1)
    db.session.flush()
    db.session.execute(sa.update(AuditEntry).where(AuditEntry.seq == old.seq)
                       .values(at=dt.datetime(2020, 5, 1, 12)))
    record("test.new")
    db.session.commit()
    login_as("admin")
    html = client.get("/audit/", query_string={"date_from": old_day.isoformat(),
                                               "date_to": old_day.isoformat()}).get_data(True)
    assert "test.old" in html and "test.new" not in html
    html = client.get("/audit/?date_from=2021-01-01").get_data(as_text=True)
    assert "test.new" in html and "test.old" not in html


@pytest.mark.parametrize("query", [{"date_from": "yesterday"}, {"action": "DROP TABLE"},
                                   {"date_from": "2024-02-02", "date_to": "2024-02-01"},
                                   {"object_type": "no_such_type"}, {"actor": "x" * 200}])
def test_bad_filters_are_refused(client, login_as, db, query):
    login_as("admin")
    assert client.get("/audit/", query_string=query).status_code == 400


def test_index_paginates(client, login_as, db):
    for i in range(55):
        record("test.bulk", object_id=i)
    db.session.commit()
    login_as("admin")
    first = client.get("/audit/?action=test.bulk").get_data(as_text=True)
    second = client.get("/audit/?action=test.bulk&page=2").get_data(as_text=True)
    assert first.count('data-action="test.bulk"') == 50
    assert second.count('data-action="test.bulk"') == 5
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_viewing_the_log_is_itself_logged(client, login_as, db):
    admin = login_as("admin")
    client.get("/audit/?action=people")
    (entry,) = _entries(db, "audit.log_viewed")
    assert entry.actor_id == admin.id and '"action":"people"' in entry.details


@pytest.mark.parametrize("role", ["caseworker", "provider", "supervisor"])
def test_index_refused_to_other_roles(client, login_as, db, role):
    login_as(role)
    assert client.get("/audit/").status_code == 403


@pytest.mark.parametrize("role", ["caseworker", "provider"])
def test_case_history_refused(client, login_as, db, person, role):
    login_as(role)
    assert client.get(f"/audit/person/{person.id}").status_code == 403


def test_case_history_for_supervisor_in_scope(client, login_as, db, person):
    login_as("supervisor", region="EN")
    response = client.get(f"/audit/person/{person.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-action="people.registered"' in html and person.case_number in html
    assert "Mahamat" not in html
    (entry,) = _entries(db, "audit.case_history_viewed")
    assert entry.object_id == str(person.id)


def test_case_history_national_supervisor_and_admin(client, login_as, db, person):
    login_as("supervisor")
    assert client.get(f"/audit/person/{person.id}").status_code == 200


def test_case_history_out_of_scope_is_404(client, login_as, db, person):
    login_as("supervisor", region="NW")
    assert client.get(f"/audit/person/{person.id}").status_code == 404


def test_case_history_unknown_person_is_404(client, login_as, db):
    login_as("supervisor")
    assert client.get("/audit/person/00000000-0000-0000-0000-000000000000").status_code == 404


def test_case_history_partial(app, login_as, db, person, make):
    """The case-page panel renders for the case's supervisor and is empty for others."""
    from flask import render_template_string
    from flask_login import login_user, logout_user

    template = '{% include "audit/_case_history.html" %}'
    sup = make.user("supervisor", region="EN")
    cw = db.session.get(type(sup), person.caseworker_id)
    with app.test_request_context("/"):
        login_user(sup)
        html = render_template_string(template, person=person)
        assert 'data-action="people.registered"' in html and f"/audit/person/{person.id}" in html
        logout_user()
        login_user(cw)
        assert render_template_string(template, person=person).strip() == ""


def test_case_page_shows_who_viewed_it_to_its_supervisor_only(client, login_as, db, person,
                                                              make):
    caseworker = db.session.get(type(person.caseworker), person.caseworker_id)
    login_as(caseworker)
    html = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert 'id="audit-history-h"' not in html and f"/audit/person/{person.id}" not in html
    client.post("/logout")
    supervisor = login_as("supervisor", region="EN", locale="en")
    response = client.get(f"/people/{person.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="audit-history-h"' in html and "Who viewed or changed this case" in html
    assert f"/audit/person/{person.id}" in html
    panel = html[html.index('id="audit-history-h"'):]
    assert 'data-action="people.viewed"' in panel and 'data-action="people.registered"' in panel
    assert ">Case viewed<" in panel and ">people.viewed<" not in panel  # labels, not codes
    assert caseworker.full_name in panel  # the caseworker's earlier read is listed
    newest = panel[panel.index("<tbody>"):panel.index("</tr>", panel.index("<tbody>"))]
    assert supervisor.full_name in newest and "(Supervisor)" in newest  # this very view
    assert 'data-action="people.viewed"' in newest
    assert "CNI-4242" not in panel and "+237" not in panel
