"""Server-side revocation of sessions: logout, admin "sign out everywhere", absolute lifetime,
and the session guards on the HSDS API with a browser session."""
from datetime import timedelta

from icrs.audit.models import AuditEntry
from icrs.core.timeutil import utcnow
from tests.conftest import TEST_PASSWORD


def _copy_cookie(client):
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _replay(app, value):
    thief = app.test_client()
    thief.set_cookie("session", value)
    return thief.get("/account")


def test_copied_cookie_stops_working_after_logout(app, client, login_as, db):
    user = login_as("caseworker")
    stolen = _copy_cookie(client)
    assert _replay(app, stolen).status_code == 200  # the copy works while signed in
    assert client.post("/logout").status_code == 302
    response = _replay(app, stolen)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.query(AuditEntry).filter_by(action="auth.logout",
                                                  actor_id=user.id).count() == 1


def test_admin_signs_a_user_out_everywhere(app, client, login_as, make, db):
    target = make.user("caseworker")
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"username": target.username, "password": TEST_PASSWORD})
    assert other.get("/account").status_code == 200
    login_as("admin")
    assert client.post(f"/admin/users/{target.id}/sign-out").status_code == 302
    assert other.get("/account").status_code == 302
    assert db.session.query(AuditEntry).filter_by(action="admin.sessions_ended",
                                                  object_id=str(target.id)).count() == 1


def test_sign_out_everywhere_is_admin_only(client, login_as, make, db):
    target = make.user("caseworker")
    login_as("supervisor")
    assert client.post(f"/admin/users/{target.id}/sign-out").status_code == 403
    assert client.get(f"/admin/users/{target.id}/sign-out").status_code == 405


def test_absolute_lifetime_ends_an_active_session(app, client, login_as):
    login_as("caseworker")
    hours = app.config["ICRS_SESSION_MAX_HOURS"]
    with client.session_transaction() as s:
        s["signed_in_at"] = (utcnow() - timedelta(hours=hours, minutes=1)).isoformat()
        s["last_seen"] = utcnow().isoformat()  # active a moment ago
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/account").status_code == 302


def test_session_within_lifetime_continues(app, client, login_as):
    login_as("caseworker")
    hours = app.config["ICRS_SESSION_MAX_HOURS"]
    with client.session_transaction() as s:
        s["signed_in_at"] = (utcnow() - timedelta(hours=hours - 1)).isoformat()
    assert client.get("/account").status_code == 200


def test_hsds_with_browser_session_honours_idle_timeout(app, client, login_as):
    login_as("caseworker")
    assert client.get("/hsds/services").status_code == 200
    with client.session_transaction() as s:
        minutes = app.config["ICRS_IDLE_TIMEOUT_MINUTES"] + 1
        s["last_seen"] = (utcnow() - timedelta(minutes=minutes)).isoformat()
    response = client.get("/hsds/services")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_hsds_with_browser_session_honours_forced_two_step(app, client, login_as):
    app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = True
    try:
        login_as("supervisor")
        response = client.get("/hsds/services")
        assert response.status_code == 302 and "two-step" in response.headers["Location"]
    finally:
        app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = False


def test_hsds_without_session_still_answers_401(client, db):
    assert client.get("/hsds/services").status_code == 401
