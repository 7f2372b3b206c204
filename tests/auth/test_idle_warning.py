"""Idle sign-out with a warning (WCAG 2.2.1): the layout carries the warning dialog, the script
and a no-JavaScript fallback; "Stay signed in" renews an active session and cannot revive an
expired one; it needs a CSRF token like every other POST."""
import re
from datetime import timedelta

from icrs.core.timeutil import utcnow


def test_layout_has_warning_script_and_fallback(client, login_as, app):
    login_as("caseworker")
    body = client.get("/account").get_data(as_text=True)
    seconds = app.config["ICRS_IDLE_TIMEOUT_MINUTES"] * 60
    assert f'data-idle-seconds="{seconds}"' in body
    assert re.search(r'<script src="/static/js/idle\.js[^"]*" defer></script>', body)
    assert f'<noscript><meta http-equiv="refresh" content="{seconds + 5}"></noscript>' in body
    assert 'action="/session/keepalive"' in body


def test_signed_out_pages_have_no_idle_machinery(client, db):
    body = client.get("/login").get_data(as_text=True)
    assert "idle-warning" not in body and "idle.js" not in body and "refresh" not in body


def test_keepalive_renews_an_active_session(client, login_as):
    login_as("caseworker")
    old = utcnow() - timedelta(minutes=5)
    with client.session_transaction() as s:
        s["last_seen"] = old.isoformat()
    response = client.post("/session/keepalive")
    assert response.status_code == 204 and response.get_data() == b""
    with client.session_transaction() as s:
        assert s["last_seen"] > old.isoformat()
    assert client.get("/account").status_code == 200


def test_keepalive_cannot_revive_an_idle_session(client, login_as, app):
    login_as("caseworker")
    with client.session_transaction() as s:
        minutes = app.config["ICRS_IDLE_TIMEOUT_MINUTES"] + 1
        s["last_seen"] = (utcnow() - timedelta(minutes=minutes)).isoformat()
    response = client.post("/session/keepalive")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/account").status_code == 302


def test_keepalive_needs_login_and_csrf(app, client, login_as):
    assert client.post("/session/keepalive").status_code == 302  # anonymous: to the login page
    assert client.get("/session/keepalive").status_code in (302, 405)
    login_as("caseworker")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/session/keepalive").status_code == 400
        page = client.get("/account").get_data(as_text=True)
        token = re.search(r'action="/session/keepalive" class="keepalive">\s*<input type="hidden"'
                          r' name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post("/session/keepalive", data={"csrf_token": token}).status_code == 204
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
