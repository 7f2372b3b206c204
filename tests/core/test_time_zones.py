"""Times: stored UTC, shown in the user's zone (Africa/Douala by default) in the user's
language; the zone is an account setting validated against zoneinfo."""
from datetime import date, datetime

import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.auth.models import User
from icrs.core import timeutil

NOON_UTC = datetime(2026, 1, 15, 12, 0)


def _in_request(app, user=None, locale="fr"):
    ctx = app.test_request_context(headers={"Accept-Language": locale})
    ctx.push()
    if user is not None:
        from flask_login import login_user
        login_user(user)
    return ctx


def test_default_zone_is_douala_in_french(app, db, make):
    user = make.user("caseworker", locale="fr")
    db.session.commit()
    ctx = _in_request(app, user)
    try:
        assert timeutil.format_when(NOON_UTC) == "15 janv. 2026, 13:00"
        assert timeutil.format_day(datetime(2026, 1, 15, 23, 30)) == "16 janv. 2026"
        assert timeutil.format_day(date(2026, 1, 15)) == "15 janv. 2026"
        assert timeutil.format_when(None) == "—"
        assert timeutil.iso_utc(NOON_UTC) == "2026-01-15T12:00:00Z"
        assert timeutil.export_text(NOON_UTC) == "2026-01-15T13:00+01:00"
        assert timeutil.zone_label() == "Africa/Douala (UTC+01:00)"
    finally:
        ctx.pop()


def test_the_users_zone_and_language_are_used(app, db, make):
    user = make.user("caseworker", locale="en")
    user.time_zone = "America/New_York"
    db.session.commit()
    ctx = _in_request(app, user, "en")
    try:
        assert timeutil.format_when(NOON_UTC) == "Jan 15, 2026, 7:00\u202fAM"
        assert timeutil.export_local(NOON_UTC) == datetime(2026, 1, 15, 7, 0)
    finally:
        ctx.pop()


def test_unknown_zone_falls_back_to_the_default(app, db, make):
    user = make.user("caseworker")
    user.time_zone = "Mars/Olympus"
    ctx = _in_request(app)
    try:
        assert timeutil.zone_of(user) == "Africa/Douala"
        assert not timeutil.is_zone("Mars/Olympus") and timeutil.is_zone("Africa/Lagos")
    finally:
        ctx.pop()
        db.session.rollback()


def test_account_page_sets_the_time_zone(client, db, login_as):
    user = login_as("caseworker")
    page = client.get("/account").get_data(as_text=True)
    assert 'name="tz-time_zone"' in page and "Africa/Douala" in page
    response = client.post("/account/time-zone", data={"tz-time_zone": "Africa/Lagos"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Africa/Lagos"


def test_bad_time_zone_is_refused_at_the_field(client, db, login_as):
    user = login_as("supervisor")
    for bad in ("Mars/Olympus", "", "../../etc/passwd"):
        response = client.post("/account/time-zone", data={"tz-time_zone": bad})
        assert response.status_code == 400
        assert "fuseau horaire" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Africa/Douala"


def test_time_zone_change_needs_a_post_and_a_login(client, db):
    assert client.get("/account/time-zone").status_code == 405
    response = client.post("/account/time-zone", data={"tz-time_zone": "Africa/Lagos"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_audit_log_shows_local_time(client, db, login_as):
    login_as("admin")
    entry = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    page = client.get("/audit/").get_data(as_text=True)
    assert f'datetime="{timeutil.iso_utc(entry.at)}"' in page
    assert "Africa/Douala (UTC+01:00)" in page  # the footer says which zone
