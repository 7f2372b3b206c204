"""Login, lockout, rate limit, idle logout, password change, session invalidation."""
from datetime import timedelta

import pytest

from icrs.audit.models import AuditEntry
from icrs.auth.models import User
from icrs.core.timeutil import utcnow
from tests.conftest import TEST_PASSWORD


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_login_success_redirects_and_audits(client, make, db):
    user = make.user("caseworker")
    db.session.commit()
    response = _login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    logins = db.session.query(AuditEntry).filter_by(action="auth.login", actor_id=user.id)
    assert logins.count() == 1
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("username,password", [("nobody", "whatever-pass"), ("EXISTING", "wrong")])
def test_wrong_credentials_give_one_generic_message(client, make, db, username, password):
    make.user("caseworker", username="existing")
    db.session.commit()
    response = client.post("/login", data={"username": username, "password": password},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 401
    assert "Invalid username or password." in response.get_data(as_text=True)


def test_wrong_credentials_message_in_french(client, make, db):
    make.user("caseworker", username="existing")
    db.session.commit()
    response = client.post("/login", data={"username": "existing", "password": "nope"},
                           headers={"Accept-Language": "fr"})
    assert "Nom d’utilisateur ou mot de passe incorrect." in response.get_data(as_text=True)


def _body(response):
    return response.get_data(as_text=True)


def test_delay_after_threshold_gives_the_unknown_user_message(client, make, db, app):
    user = make.user("caseworker")
    db.session.commit()
    for _ in range(app.config["ICRS_LOCKOUT_THRESHOLD"]):
        assert _login(client, user.username, "wrong-password").status_code == 401
    db.session.expire_all()
    assert db.session.get(User, user.id).is_locked()
    waiting = _login(client, user.username, TEST_PASSWORD)  # right password, must still wait
    unknown = _login(client, "nobody-at-all", "whatever-pass")
    assert waiting.status_code == unknown.status_code == 401
    assert "Too many failed attempts" not in _body(waiting)
    assert "Trop de tentatives" not in _body(waiting)
    message = "Nom d’utilisateur ou mot de passe incorrect."
    assert message in _body(waiting) and message in _body(unknown)
    assert client.get("/account").status_code == 302


def test_delay_grows_and_is_capped(client, make, db, app):
    user = make.user("caseworker")
    db.session.commit()
    threshold = app.config["ICRS_LOCKOUT_THRESHOLD"]
    delays = []
    for _ in range(threshold + 12):
        db.session.expire_all()
        db.session.get(User, user.id).locked_until = None  # as if the wait had passed
        db.session.commit()
        _login(client, user.username, "wrong-password")
        db.session.expire_all()
        until = db.session.get(User, user.id).locked_until
        delays.append(round((until - utcnow()).total_seconds()) if until else 0)
    assert delays[:threshold - 1] == [0] * (threshold - 1)
    assert delays[threshold - 1:threshold + 2] == [2, 4, 8]
    assert max(delays) <= app.config["ICRS_LOGIN_DELAY_MAX_SECONDS"]
    assert delays[-1] == app.config["ICRS_LOGIN_DELAY_MAX_SECONDS"]


def test_attempts_while_waiting_are_not_checked_nor_counted(client, make, db):
    user = make.user("caseworker", failed_logins=7,
                     locked_until=utcnow() + timedelta(minutes=5))
    db.session.commit()
    assert _login(client, user.username, TEST_PASSWORD).status_code == 401
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_logins == 7
    refused = db.session.query(AuditEntry).filter_by(action="auth.login_refused_locked")
    assert refused.count() == 1


def test_repeated_failures_notify_user_and_admins_once(client, make, db, app):
    from icrs.referrals.notifications import EmailOutbox, Notification
    user = make.user("caseworker", email="cw@example.org")
    admin = make.user("admin", email="admin@example.org")
    db.session.commit()
    for _ in range(app.config["ICRS_LOCKOUT_THRESHOLD"] * 2):
        db.session.expire_all()
        db.session.get(User, user.id).locked_until = None
        db.session.commit()
        _login(client, user.username, "wrong-password")
    notes = db.session.query(Notification).order_by(Notification.user_id).all()
    assert [(n.user_id, n.kind) for n in notes] == sorted(
        [(user.id, "login_failures"), (admin.id, "login_failures_admin")])
    mails = db.session.query(EmailOutbox).all()
    assert sorted(m.to_address for m in mails) == ["admin@example.org", "cw@example.org"]
    for mail in mails:  # no personal data: not even the username
        assert user.username not in mail.body and user.full_name not in mail.body


def test_lock_expires(client, make, db):
    user = make.user("caseworker")
    user.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert _login(client, user.username, TEST_PASSWORD).status_code == 302


def test_inactive_user_cannot_login(client, make, db):
    user = make.user("caseworker", active=False)
    db.session.commit()
    assert _login(client, user.username, TEST_PASSWORD).status_code == 401


def test_rate_limit_per_ip(app, client, make, db):
    from icrs.extensions import limiter

    app.config["ICRS_LOGIN_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        codes = [_login(client, f"ghost{i}", "x").status_code for i in range(4)]
    finally:
        app.config["ICRS_LOGIN_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


def test_rate_limited_answer_says_when_to_retry(app, client, db):
    from icrs.extensions import limiter

    app.config["ICRS_LOGIN_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        responses = [_login(client, "ghost", "x") for _ in range(3)]
    finally:
        app.config["ICRS_LOGIN_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()
    assert responses[2].status_code == 429
    assert 1 <= int(responses[2].headers["Retry-After"]) <= 61


def test_open_redirect_refused(client, make, db):
    user = make.user("caseworker")
    db.session.commit()
    response = client.post("/login?next=https://evil.example/x",
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_idle_logout(client, login_as, app):
    login_as("caseworker")
    with client.session_transaction() as s:
        minutes = app.config["ICRS_IDLE_TIMEOUT_MINUTES"] + 1
        s["last_seen"] = (utcnow() - timedelta(minutes=minutes)).isoformat()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/account").status_code == 302  # session really ended


def test_active_session_not_logged_out(client, login_as):
    login_as("caseworker")
    with client.session_transaction() as s:
        s["last_seen"] = (utcnow() - timedelta(minutes=5)).isoformat()
    assert client.get("/account").status_code == 200


def test_logout_requires_post(client, login_as):
    login_as("caseworker")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_change_password_and_other_sessions_end(app, client, login_as, db):
    user = login_as("caseworker")
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert other.get("/account").status_code == 200
    response = client.post("/account", data={"pw-current_password": TEST_PASSWORD,
                                             "pw-new_password": "a-new-long-password",
                                             "pw-confirm": "a-new-long-password"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session continues
    assert other.get("/account").status_code == 302  # the other one is signed out
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a-new-long-password")


@pytest.mark.parametrize("current,new,confirm,field_error", [
    ("wrong-password", "a-new-long-password", "a-new-long-password", "current password"),
    (TEST_PASSWORD, "short", "short", "10"),
    (TEST_PASSWORD, "aaaaaaaaaa", "aaaaaaaaaa", "repeated characters"),
    (TEST_PASSWORD, "1234567890", "1234567890", "common password"),
    (TEST_PASSWORD, "password12", "password12", "common password"),
    (TEST_PASSWORD, TEST_PASSWORD, TEST_PASSWORD, "current password: choose"),
    (TEST_PASSWORD, "a-new-long-password", "different-password", "do not match"),
])
def test_change_password_refusals(client, login_as, db, current, new, confirm, field_error):
    user = login_as("caseworker", locale="en")
    response = client.post("/account", data={"pw-current_password": current,
                                             "pw-new_password": new, "pw-confirm": confirm})
    assert response.status_code == 400
    assert field_error in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(TEST_PASSWORD)


def test_oversize_form_gives_413(client, make, db):
    response = client.post("/login", data={"username": "a", "password": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_malformed_login_form_is_400_not_500(client, db):
    assert client.post("/login", data={}).status_code == 400
    assert client.post("/login", data={"username": "a" * 5000, "password": "x"}).status_code == 400
