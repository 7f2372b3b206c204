"""Admin account pages: every role (the M&E reader too) with its site, region and organisation,
the list's columns, the last sign-in in the admin's time zone, and the one-button actions."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.auth.models import User


def _form(**fields):
    data = {"full_name": "Test Person", "email": "", "role": "caseworker", "site_id": "",
            "region_id": "", "organisation_id": "", "password": "long-enough-pass"}
    data.update(fields)
    return data


def test_admin_creates_a_regional_reader_without_site(client, login_as, make, db):
    login_as("admin")
    site, region = make.site("MER", region="EN"), make.region("EN")
    org = make.organisation("UN Women Cameroon")
    db.session.commit()
    response = client.post("/admin/users/new", data=_form(
        username="me.en", role="monitoring", region_id=str(region.id), site_id=str(site.id),
        organisation_id=str(org.id)))
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.scalar(sa.select(User).where(User.username == "me.en"))
    assert (user.region_id, user.site_id, user.organisation_id) == (region.id, None, org.id)
    assert user.scope.region_id == region.id and not user.scope.people


def test_caseworker_and_supervisor_keep_their_organisation(client, login_as, make, db):
    login_as("admin")
    site = make.site("MER", region="EN")
    org = make.organisation("CNDDR")
    db.session.commit()
    for username, role in (("cw.cnddr", "caseworker"), ("sup.cnddr", "supervisor")):
        response = client.post("/admin/users/new", data=_form(
            username=username, role=role, site_id=str(site.id), organisation_id=str(org.id)))
        assert response.status_code == 302
    users = db.session.scalars(sa.select(User).where(User.organisation_id == org.id)).all()
    assert {u.username for u in users} == {"cw.cnddr", "sup.cnddr"}
    supervisor = next(u for u in users if u.role.value == "supervisor")
    assert supervisor.site_id is None  # a site is a caseworker's only


def test_changing_the_organisation_is_audited_and_ends_sessions(client, login_as, make, db):
    target = make.user("caseworker")
    org = make.organisation("IOM")
    db.session.commit()
    version = target.session_version
    login_as("admin")
    response = client.post(f"/admin/users/{target.id}", data=_form(
        full_name=target.full_name, site_id=str(target.site_id), organisation_id=str(org.id),
        active="y"))
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, target.id)
    assert user.organisation_id == org.id and user.session_version == version + 1
    entry = db.session.scalar(sa.select(AuditEntry).where(
        AuditEntry.action == "admin.user_updated"))
    assert '"changed":["organisation"]' in entry.details


def test_reader_with_a_site_only_keeps_no_site(make, db):
    from icrs.auth import services
    user = services.create_user(None, "me.x", "X", "monitoring", "long-enough-pass",
                                site=make.site("MER"))
    assert user.site_id is None and user.scope.national


def test_list_shows_site_region_organisation_and_last_sign_in(client, login_as, make, db):
    org = make.organisation("Ministère de la Femme")
    worker = make.user("caseworker", username="cw.list", site=make.site("MER", region="EN"),
                       organisation=org,
                       last_login_at=dt.datetime(2026, 1, 15, 12, 5))  # UTC
    make.user("monitoring", username="me.list")
    login_as("admin", locale="en", time_zone="Africa/Douala")  # UTC+1
    body = client.get("/admin/users").get_data(as_text=True)
    row = body[body.index("cw.list"):].split("</tr>", 1)[0]
    assert "Site MER" in row and "Region EN" in row and "Ministère de la Femme" in row
    assert "1:05" in row and "12:05" not in row  # in the admin's zone
    reader_row = body[body.index("me.list"):].split("</tr>", 1)[0]
    assert "National" in reader_row and "Never" in reader_row
    edit = client.get(f"/admin/users/{worker.id}").get_data(as_text=True)
    assert "Last sign-in:" in edit and "1:05" in edit


def test_list_shows_last_sign_in_in_utc_for_a_utc_admin(client, login_as, make, db):
    make.user("caseworker", username="cw.utc", last_login_at=dt.datetime(2026, 1, 15, 12, 5))
    login_as("admin", locale="en", time_zone="UTC")
    body = client.get("/admin/users").get_data(as_text=True)
    assert "12:05" in body[body.index("cw.utc"):].split("</tr>", 1)[0]


def test_reset_and_require_two_step_are_audited(client, login_as, make, db):
    target = make.user("caseworker", totp_enabled=True, totp_secret_ct=b"sealed")
    login_as("admin", locale="en")
    response = client.post(f"/admin/users/{target.id}/two-step/required",
                           data={"required": "1"})
    assert response.status_code == 302
    response = client.post(f"/admin/users/{target.id}/two-step/reset", follow_redirects=True)
    assert f"Two-step verification of {target.username} was reset." in response.get_data(
        as_text=True)
    db.session.expire_all()
    user = db.session.get(User, target.id)
    assert user.totp_required and not user.totp_enabled and user.totp_secret_ct is None
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"admin.2fa_required", "admin.2fa_reset"} <= actions


@pytest.mark.parametrize("action", ["sign-out", "two-step/reset", "two-step/required"])
def test_account_actions_on_an_unknown_user_are_404(client, login_as, action):
    login_as("admin")
    assert client.post(f"/admin/users/987654/{action}").status_code == 404


def test_monitoring_is_offered_as_a_role(client, login_as):
    login_as("admin", locale="fr")
    body = client.get("/admin/users/new").get_data(as_text=True)
    assert 'value="monitoring"' in body
