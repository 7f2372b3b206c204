"""TOTP two-step verification: enrolment by POST with the password, re-enrolment, replay,
recovery codes, wrong codes counted and audited, turning off, admin reset and policy."""
import re
import time

import pyotp

from icrs.audit.models import AuditEntry
from icrs.auth import two_factor
from icrs.auth.models import RecoveryCode, User
from tests.conftest import TEST_PASSWORD


def _enrol(db, user):
    """Enrolled user (service level): returns (secret, recovery codes)."""
    secret = two_factor.start_enrolment(user, user, TEST_PASSWORD)
    codes = two_factor.confirm_enrolment(user, user, _code(secret, -1))
    db.session.commit()
    return secret, codes


def _code(secret, offset=0):
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(int(time.time()) // totp.interval + offset)


def _fresh(db, user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def _audits(db, action):
    return db.session.query(AuditEntry).filter_by(action=action).count()


def test_get_changes_nothing(client, login_as, db):
    user = login_as("supervisor")
    secret, _codes = _enrol(db, user)
    before = _fresh(db, user).totp_secret_ct
    page = client.get("/account/two-step")
    assert page.status_code == 200
    user = _fresh(db, user)
    assert user.totp_enabled and user.totp_secret_ct == before and user.totp_pending_ct is None


def test_enrolment_needs_password_shows_qr_and_codes_once(client, login_as, db):
    user = login_as("supervisor", locale="en")
    refused = client.post("/account/two-step/start", data={"start-password": "wrong"})
    assert refused.status_code == 400 and "not correct" in refused.get_data(as_text=True)
    assert _fresh(db, user).totp_pending_ct is None
    assert client.post("/account/two-step/start",
                       data={"start-password": TEST_PASSWORD}).status_code == 303
    page = client.get("/account/two-step")
    assert "<svg" in page.get_data(as_text=True)
    secret = two_factor.pending_secret(_fresh(db, user))
    bad = client.post("/account/two-step/confirm", data={"confirm-code": "000000"})
    assert bad.status_code == 400
    ok = client.post("/account/two-step/confirm", data={"confirm-code": _code(secret)})
    assert ok.status_code == 200
    shown = re.findall(r"<code>([a-z2-9-]{19})</code>", ok.get_data(as_text=True))
    assert len(shown) == 10
    user = _fresh(db, user)
    assert user.totp_enabled and user.totp_pending_ct is None
    assert _audits(db, "auth.2fa_enabled") == 1
    stored = {c.code_hash for c in db.session.query(RecoveryCode).filter_by(user_id=user.id)}
    assert len(stored) == 10 and not any(code.replace("-", "") in stored for code in shown)
    assert "<code>" not in client.get("/account/two-step").get_data(as_text=True)


def test_reenrolment_keeps_the_old_secret_until_confirmed(client, login_as, db):
    user = login_as("supervisor")
    old_secret, _codes = _enrol(db, user)
    client.post("/account/two-step/start", data={"start-password": TEST_PASSWORD})
    user = _fresh(db, user)
    assert user.totp_enabled and two_factor.totp_secret(user) == old_secret
    new_secret = two_factor.pending_secret(user)
    assert client.post("/account/two-step/confirm",
                       data={"confirm-code": _code(new_secret)}).status_code == 200
    assert two_factor.totp_secret(_fresh(db, user)) == new_secret
    assert _audits(db, "auth.2fa_reenrolled") == 1


def test_secret_is_not_stored_in_clear(make, db):
    user = make.user("admin")
    db.session.commit()
    secret = two_factor.start_enrolment(user, user, TEST_PASSWORD)
    assert secret.encode() not in user.totp_pending_ct


def _password_step(client, user):
    response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302 and "/login/two-step" in response.headers["Location"]


def test_login_needs_valid_code(client, make, db):
    user = make.user("admin")
    db.session.commit()
    secret, _codes = _enrol(db, user)
    _password_step(client, user)
    assert client.get("/account").status_code == 302  # not logged in yet
    assert client.post("/login/two-step", data={"code": "123456"}).status_code == 401
    assert client.post("/login/two-step", data={"code": _code(secret)}).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_code_cannot_be_replayed(app, client, make, db):
    user = make.user("admin")
    db.session.commit()
    secret, _codes = _enrol(db, user)
    code = _code(secret, +1)
    _password_step(client, user)
    assert client.post("/login/two-step", data={"code": code}).status_code == 302
    other = app.test_client()
    _password_step(other, user)
    assert other.post("/login/two-step", data={"code": code}).status_code == 401


def test_wrong_codes_are_audited_and_count_toward_the_delay(client, make, db, app):
    user = make.user("admin")
    db.session.commit()
    secret, _codes = _enrol(db, user)
    _password_step(client, user)
    for _ in range(app.config["ICRS_LOCKOUT_THRESHOLD"]):
        assert client.post("/login/two-step", data={"code": "000000"}).status_code == 401
    assert _audits(db, "auth.2fa_failed") == app.config["ICRS_LOCKOUT_THRESHOLD"]
    assert _fresh(db, user).is_locked()
    assert client.post("/login/two-step", data={"code": _code(secret)}).status_code == 401


def test_recovery_code_works_once(app, client, make, db):
    user = make.user("admin")
    db.session.commit()
    _secret, codes = _enrol(db, user)
    _password_step(client, user)
    assert client.post("/login/two-step", data={"code": codes[0].upper()}).status_code == 302
    assert _audits(db, "auth.recovery_code_used") == 1
    other = app.test_client()
    _password_step(other, user)
    assert other.post("/login/two-step", data={"code": codes[0]}).status_code == 401


def test_regenerated_codes_replace_the_old_ones(client, login_as, db):
    user = login_as("supervisor")
    _secret, old = _enrol(db, user)
    assert client.post("/account/two-step/recovery-codes",
                       data={"codes-password": "wrong"}).status_code == 400
    response = client.post("/account/two-step/recovery-codes",
                           data={"codes-password": TEST_PASSWORD})
    assert response.status_code == 200
    new = re.findall(r"<code>([a-z2-9-]{19})</code>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert not two_factor.accept_code(_fresh(db, user), old[0])
    assert two_factor.accept_code(_fresh(db, user), new[0])
    assert _audits(db, "auth.recovery_codes_regenerated") == 1


def test_turning_off_needs_password_or_code_and_is_audited(client, login_as, db):
    user = login_as("caseworker")
    secret, _codes = _enrol(db, user)
    assert client.post("/account/two-step/disable",
                       data={"off-password": "wrong"}).status_code == 400
    assert _fresh(db, user).totp_enabled
    assert client.get("/account/two-step/disable").status_code == 405
    assert client.post("/account/two-step/disable",
                       data={"off-password": _code(secret)}).status_code == 303
    assert not _fresh(db, user).totp_enabled
    assert _audits(db, "auth.2fa_disabled") == 1


def test_two_step_page_without_password_step_redirects(client, db):
    assert client.post("/login/two-step", data={"code": "123456"}).status_code == 302


def test_policy_forces_enrolment_for_staff(app, client, login_as, db):
    app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = True
    try:
        user = login_as("supervisor")
        response = client.get("/account")
        assert response.status_code == 302 and "two-step" in response.headers["Location"]
        assert client.post("/account/two-step/start",
                           data={"start-password": TEST_PASSWORD}).status_code == 303
        _enrol(db, _fresh(db, user))
        assert client.post("/account/two-step/disable",
                           data={"off-password": TEST_PASSWORD}).status_code == 400
        assert _fresh(db, user).totp_enabled
    finally:
        app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = False


def test_policy_does_not_apply_to_caseworkers(app, client, login_as):
    app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = True
    try:
        login_as("caseworker")
        assert client.get("/account").status_code == 200
    finally:
        app.config["ICRS_REQUIRE_2FA_FOR_STAFF"] = False


def test_admin_requires_two_step_for_one_user(client, login_as, make, app, db):
    target = make.user("caseworker")
    login_as("admin")
    assert client.post(f"/admin/users/{target.id}/two-step/required",
                       data={"required": "1"}).status_code == 302
    assert _fresh(db, target).totp_required
    assert _audits(db, "admin.2fa_required") == 1
    other = app.test_client()
    other.post("/login", data={"username": target.username, "password": TEST_PASSWORD})
    response = other.get("/account")
    assert response.status_code == 302 and "two-step" in response.headers["Location"]


def test_admin_resets_two_step(client, login_as, make, db):
    target = make.user("caseworker")
    db.session.commit()
    _enrol(db, target)
    login_as("admin")
    assert client.get(f"/admin/users/{target.id}/two-step/reset").status_code == 405
    assert client.post(f"/admin/users/{target.id}/two-step/reset").status_code == 302
    target = _fresh(db, target)
    assert not target.totp_enabled and target.totp_secret_ct is None
    assert db.session.query(RecoveryCode).filter_by(user_id=target.id).count() == 0
    assert _audits(db, "admin.2fa_reset") == 1


def test_only_admins_reset_or_require_two_step(client, login_as, make):
    target = make.user("caseworker")
    login_as("supervisor")
    assert client.post(f"/admin/users/{target.id}/two-step/reset").status_code == 403
    assert client.post(f"/admin/users/{target.id}/two-step/required",
                       data={"required": "1"}).status_code == 403
