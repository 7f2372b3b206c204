"""Overdue selection per user and the daily digest: only overdue items, only the right users,
once a day, no personal data in the mail."""
from datetime import date, timedelta

import sqlalchemy as sa

from icrs.core.timeutil import utcnow
from icrs.referrals import deadlines, services
from icrs.referrals.notifications import EmailOutbox, Notification, unread_count
from icrs.referrals.states import ReferralStatus as S
from tests.referrals.conftest import make_service, new_person


def _overdue_world(world, sent, make, db):
    late = sent(priority="emergency")
    late.accept_by = utcnow() - timedelta(hours=2)
    on_time = sent()
    running = sent()
    services.respond(world.provider, running, S.ACCEPTED)
    running.complete_by = date.today() - timedelta(days=1)
    finished = sent()
    services.respond(world.provider, finished, S.DECLINED, reason="not_eligible")
    finished.accept_by = utcnow() - timedelta(days=30)
    db.session.commit()
    return late, on_time, running


def test_overdue_selection(world, sent, make, db):
    late, on_time, running = _overdue_world(world, sent, make, db)
    assert late.overdue_to_accept() and running.overdue_to_complete()
    assert not on_time.is_overdue
    for user in (world.provider, world.caseworker, world.supervisor):
        ids = set(db.session.scalars(deadlines.overdue_for(user).with_only_columns(
            deadlines.Referral.id)))
        assert ids == {late.id, running.id}, user
    for user in (world.other_provider, world.colleague,
                 make.user("supervisor", region=world.nw)):
        assert deadlines.count_overdue_for(user) == 0, user
    assert deadlines.overdue_for(make.user("admin")) is None


def test_digest_once_a_day_to_the_right_users(app, world, sent, make, db):
    _overdue_world(world, sent, make, db)
    national = make.user("supervisor")
    db.session.commit()
    with app.test_request_context():
        made = deadlines.send_reminders()
        db.session.commit()
        assert made == {world.provider.id: 2, world.caseworker.id: 2, world.supervisor.id: 2,
                        national.id: 2}
        assert deadlines.send_reminders() == {}
    db.session.commit()
    digests = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "digest")).all()
    assert len(digests) == 4 and "2 referrals are overdue" in str(digests[0].message)
    tomorrow = utcnow() + timedelta(days=1)
    with app.test_request_context():
        assert len(deadlines.send_reminders(now=tomorrow)) == 4


def test_remind_command_is_idempotent_and_mail_has_no_personal_data(app, world, sent, make,
                                                                     person, db):
    _overdue_world(world, sent, make, db)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["icrs", "remind"])
    assert first.exit_code == 0, first.output
    assert "4 digests" not in first.output  # no national supervisor here
    assert "3 digests" in first.output
    again = runner.invoke(args=["icrs", "remind"])
    assert "0 digests" in again.output
    mails = db.session.scalars(sa.select(EmailOutbox)).all()
    assert mails
    for mail in mails:
        for secret in (person.first_name, person.last_name, person.case_number, person.phone):
            assert secret not in mail.body
        assert "needs your attention" in mail.body


def test_unread_count(world, sent, db):
    sent()
    assert unread_count(world.provider) == 1
    assert unread_count(world.other_provider) == 0


def test_no_reminder_without_overdue(world, db):
    new_person(world, db)
    make_service(world.org, "Idle", regions=[world.en])
    db.session.commit()
    assert deadlines.send_reminders() == {}


def test_outbox_delivered_over_smtp_when_configured(app, world, sent, db, monkeypatch):
    from icrs.referrals import notifications

    delivered = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            assert (host, port) == ("mail.example.org", 2525)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, msg):
            delivered.append(msg)

    sent()
    monkeypatch.setattr(notifications.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    monkeypatch.setitem(app.config, "MAIL_PORT", 2525)
    assert notifications.deliver_outbox() == 1
    assert notifications.deliver_outbox() == 0
    assert delivered[0]["To"] == "p@example.org"
    assert db.session.scalar(sa.select(EmailOutbox.sent_at)) is not None


def test_without_mail_server_nothing_is_sent(world, sent, db):
    from icrs.referrals import notifications

    sent()
    assert notifications.deliver_outbox() == 0
    assert db.session.scalar(sa.select(EmailOutbox.sent_at)) is None
