"""Admin user management and the refusals around it."""
import pytest

from icrs.audit.models import AuditEntry
from icrs.auth.models import User


@pytest.mark.parametrize("role", ["caseworker", "provider", "supervisor"])
def test_only_admins_manage_users(client, login_as, role):
    login_as(role)
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={}).status_code == 403


def test_admin_creates_caseworker(client, login_as, make, db):
    login_as("admin")
    site = make.site("BAM", region="NW")
    db.session.commit()
    response = client.post("/admin/users/new", data={
        "username": "new.worker", "full_name": "Ngozi Fon", "email": "", "role": "caseworker",
        "site_id": str(site.id), "region_id": "", "organisation_id": "",
        "password": "long-enough-pass"})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.session.query(User).filter_by(username="new.worker").one()
    assert user.site_id == site.id and user.check_password("long-enough-pass")
    assert db.session.query(AuditEntry).filter_by(action="admin.user_created").count() == 1


def test_caseworker_without_site_refused_nothing_saved(client, login_as, db):
    login_as("admin", locale="en")
    response = client.post("/admin/users/new", data={
        "username": "nosite", "full_name": "X", "role": "caseworker", "site_id": "",
        "region_id": "", "organisation_id": "", "password": "long-enough-pass"})
    assert response.status_code == 400
    assert "A caseworker needs a site." in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="nosite").count() == 0


def test_duplicate_username_refused(client, login_as, make, db):
    make.user("caseworker", username="taken")
    login_as("admin", locale="en")
    response = client.post("/admin/users/new", data={
        "username": "taken", "full_name": "X", "role": "admin", "site_id": "", "region_id": "",
        "organisation_id": "", "password": "long-enough-pass"})
    assert response.status_code == 400 and "already taken" in response.get_data(as_text=True)


def test_bad_choice_is_a_field_error(client, login_as, db):
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "username": "x1x", "full_name": "X", "role": "emperor", "password": "long-enough-pass"})
    assert response.status_code == 400


def test_deactivate_user_ends_their_session(app, client, login_as, make, db):
    from tests.conftest import TEST_PASSWORD
    target = make.user("caseworker")
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"username": target.username, "password": TEST_PASSWORD})
    assert other.get("/account").status_code == 200
    login_as("admin")
    response = client.post(f"/admin/users/{target.id}", data={
        "full_name": target.full_name, "role": "caseworker", "site_id": str(target.site_id),
        "region_id": "", "organisation_id": "", "email": ""})  # active unchecked
    assert response.status_code == 302
    assert other.get("/account").status_code == 302


def test_admin_cannot_deactivate_self(client, login_as, db):
    admin = login_as("admin", locale="en")
    response = client.post(f"/admin/users/{admin.id}", data={
        "full_name": "Me", "role": "admin", "site_id": "", "region_id": "",
        "organisation_id": ""})
    assert response.status_code == 400


def test_reset_password_unlocks(client, login_as, make, db):
    from icrs.core.timeutil import utcnow
    target = make.user("caseworker", locked_until=utcnow().replace(year=2100))
    login_as("admin")
    response = client.post(f"/admin/users/{target.id}/reset-password",
                           data={"reset-new_password": "brand-new-password"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, target.id)
    assert not user.is_locked() and user.check_password("brand-new-password")


def test_unknown_user_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/99999").status_code == 404
