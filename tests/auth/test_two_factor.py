"""TOTP two-step verification: enrolment, login with and without a valid code, staff policy."""
import pyotp

from icrs.auth import services
from icrs.auth.models import User
from tests.conftest import TEST_PASSWORD


def _enrol(db, user):
    secret = services.start_totp_enrolment(user)
    user.totp_enabled = True
    db.session.commit()
    return secret


def test_enrolment_shows_local_qr_and_confirms(client, login_as, db):
    user = login_as("supervisor")
    page = client.get("/account/two-step")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    db.session.expire_all()
    secret = services.totp_secret(db.session.get(User, user.id))
    assert client.post("/account/two-step", data={"code": "000000"}).status_code == 400
    ok = client.post("/account/two-step", data={"code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).totp_enabled


def test_secret_is_not_stored_in_clear(make, db):
    user = make.user("admin")
    secret = services.start_totp_enrolment(user)
    assert secret.encode() not in user.totp_secret_ct


def test_login_needs_valid_code(client, make, db):
    user = make.user("admin")
    secret = _enrol(db, user)
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302 and "/login/two-step" in response.headers["Location"]
    assert client.get("/account").status_code == 302  # not logged in yet
    assert client.post("/login/two-step", data={"code": "123456"}).status_code == 401
    assert client.post("/login/two-step",
                       data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert client.get("/account").status_code == 200


def test_two_step_page_without_password_step_redirects(client, db):
    assert client.post("/login/two-step", data={"code": "123456"}).status_code == 302


def test_policy_forces_enrolment_for_staff(app, client, login_as):
    app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = True
    try:
        login_as("supervisor")
        response = client.get("/account")
        assert response.status_code == 302 and "two-step" in response.headers["Location"]
        assert client.post("/account/two-step/disable").status_code == 302
    finally:
        app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = False


def test_policy_does_not_apply_to_caseworkers(app, client, login_as):
    app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = True
    try:
        login_as("caseworker")
        assert client.get("/account").status_code == 200
    finally:
        app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = False
