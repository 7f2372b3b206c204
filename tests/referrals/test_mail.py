"""SMTP delivery against a real server on loopback: STARTTLS (certificate checked) then login,
`flask icrs mail test`, refusals (wrong password, login without TLS, untrusted certificate), and
`remind` run every 15 minutes for a day: one digest per user per day, queued mail every run."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from icrs.referrals import deadlines, notifications
from icrs.referrals.notifications import EmailOutbox, Notification
from tests.referrals.smtp_server import PASSWORD, USER, smtp_server
from tests.referrals.test_deadlines import _overdue_world


@pytest.fixture
def relay(app, tmp_path, monkeypatch):
    with smtp_server(tmp_path) as (recorder, port, cafile):
        for key, value in {"MAIL_SERVER": "localhost", "MAIL_PORT": port, "MAIL_USE_TLS": True,
                           "MAIL_USERNAME": USER, "MAIL_PASSWORD": PASSWORD,
                           "MAIL_TLS_CA_FILE": cafile, "MAIL_FROM": "icrs@example.org"}.items():
            monkeypatch.setitem(app.config, key, value)
        yield recorder


def test_mail_test_command_uses_starttls_and_login(app, db, relay):
    result = app.test_cli_runner().invoke(args=["icrs", "mail", "test", "ops@example.org"])
    assert result.exit_code == 0, result.output
    assert "STARTTLS" in result.output and f"login as {USER}" in result.output
    assert relay.logins and all(ok for _mech, ok in relay.logins)
    [(recipients, content, authenticated)] = relay.messages
    assert recipients == ["ops@example.org"] and authenticated
    assert "Subject: ICRS: test message" in content


def test_wrong_password_is_reported(app, db, relay, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "wrong")
    result = app.test_cli_runner().invoke(args=["icrs", "mail", "test", "ops@example.org"])
    assert result.exit_code == 1
    assert "SMTPAuthenticationError" in result.output
    assert PASSWORD not in result.output and "wrong" not in result.output
    assert relay.messages == []


def test_login_without_tls_is_refused_before_sending_the_password(app, db, tmp_path,
                                                                  monkeypatch):
    with smtp_server(tmp_path, tls=False) as (recorder, port, _cafile):
        for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False,
                           "MAIL_USERNAME": USER, "MAIL_PASSWORD": PASSWORD}.items():
            monkeypatch.setitem(app.config, key, value)
        result = app.test_cli_runner().invoke(args=["icrs", "mail", "test", "ops@example.org"])
    assert result.exit_code == 1 and "without MAIL_USE_TLS" in result.output
    assert recorder.logins == [] and recorder.messages == []


def test_untrusted_certificate_is_refused(app, db, relay, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TLS_CA_FILE", None)  # system CAs only
    result = app.test_cli_runner().invoke(args=["icrs", "mail", "test", "ops@example.org"])
    assert result.exit_code == 1 and "SSLCertVerificationError" in result.output
    assert relay.logins == [] and relay.messages == []


def test_mail_test_without_server(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    result = app.test_cli_runner().invoke(args=["icrs", "mail", "test", "ops@example.org"])
    assert result.exit_code == 1 and "MAIL_SERVER is not set" in result.output


def test_remind_every_15_minutes_sends_one_digest_a_day_and_all_queued_mail(
        app, world, sent, make, db, relay):
    _overdue_world(world, sent, make, db)
    start = datetime.combine(datetime.utcnow().date(), datetime.min.time())  # noqa: DTZ003
    delivered_after_new_referral = None
    for run in range(96 + 4):  # a whole day, then the first hour of the next
        now = start + timedelta(minutes=15 * run)
        if run == 40:
            sent()  # a new referral mid-day: its mail is queued now
        with app.test_request_context():
            deadlines.send_reminders(now=now)
            db.session.commit()
            notifications.deliver_outbox()
            db.session.commit()
        if run == 40:
            delivered_after_new_referral = db.session.scalar(
                sa.select(sa.func.count()).select_from(EmailOutbox)
                .where(EmailOutbox.sent_at.is_(None)))
    digests = db.session.execute(sa.select(Notification.user_id, Notification.dedup_key)
                                 .where(Notification.kind == "digest")).all()
    per_user_day = {}
    for user_id, key in digests:
        per_user_day[(user_id, key)] = per_user_day.get((user_id, key), 0) + 1
    assert set(per_user_day.values()) == {1}
    assert {key for _u, key in per_user_day} == {deadlines.digest_key(start.date()),
                                                 deadlines.digest_key(start.date()
                                                                      + timedelta(days=1))}
    assert len(digests) == 6  # 3 users with overdue items, on 2 days
    assert delivered_after_new_referral == 0  # queued mail leaves at the run that queued it
    unsent = db.session.scalar(sa.select(sa.func.count()).select_from(EmailOutbox)
                               .where(EmailOutbox.sent_at.is_(None)))
    assert unsent == 0 and len(relay.messages) == db.session.scalar(
        sa.select(sa.func.count()).select_from(EmailOutbox))


def test_remind_reports_a_delivery_failure_and_keeps_the_mail(app, world, sent, make, db,
                                                              monkeypatch):
    _overdue_world(world, sent, make, db)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # nothing listens: connection refused
    result = app.test_cli_runner().invoke(args=["icrs", "remind"])
    assert result.exit_code == 1 and "stays queued" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.kind == "digest")) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailOutbox)
                             .where(EmailOutbox.sent_at.is_(None))) > 0
