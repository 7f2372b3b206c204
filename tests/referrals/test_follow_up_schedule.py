"""A completed referral schedules follow-ups at ICRS_FOLLOWUP_MONTHS (1, 3, 6, 12 months),
assigned to the caseworker, exactly once per referral and offset; they reach the caseworker's
overdue list and digest like any follow-up."""
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from icrs.people import follow_ups
from icrs.people.models import FollowUp
from icrs.referrals import deadlines, services
from icrs.referrals.states import ReferralStatus as S


def _scheduled(db, person):
    return db.session.scalars(sa.select(FollowUp).where(FollowUp.person_id == person.id)
                              .order_by(FollowUp.offset_months)).all()


def _complete(world, r, target=S.COMPLETED, outcome="served"):
    services.respond(world.provider, r, S.ACCEPTED)
    services.respond(world.provider, r, target, outcome=outcome)


def test_completion_schedules_four_follow_ups_once(world, person, sent, db):
    r = sent()
    _complete(world, r)
    db.session.commit()
    made = _scheduled(db, person)
    today = follow_ups.local_today(world.provider)
    assert [f.offset_months for f in made] == [1, 3, 6, 12]
    assert [f.due_date for f in made] == [follow_ups.add_months(today, m) for m in (1, 3, 6, 12)]
    assert {f.assigned_to_id for f in made} == {world.caseworker.id}
    assert {(f.source_kind, f.source_id) for f in made} == {("referral_completed", str(r.id))}
    # a second completion signal of the same event adds nothing
    assert follow_ups.schedule_after(world.provider, person, "referral_completed", r.id) == []
    db.session.commit()
    assert len(_scheduled(db, person)) == 4


def test_the_unique_key_refuses_a_duplicate_row(world, person, sent, db):
    r = sent()
    _complete(world, r)
    db.session.commit()
    db.session.add(FollowUp(person_id=person.id, due_date=dt.date.today(),
                            created_by_id=world.caseworker.id, source_kind="referral_completed",
                            source_id=str(r.id), offset_months=3))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_not_completed_schedules_nothing(world, person, sent, db):
    _complete(world, sent(), S.NOT_COMPLETED, "no_show")
    db.session.commit()
    assert _scheduled(db, person) == []


def test_the_offsets_come_from_the_config(app, world, person, sent, db):
    app.config["ICRS_FOLLOWUP_MONTHS"] = "2, 6"
    try:
        _complete(world, sent())
        db.session.commit()
    finally:
        app.config["ICRS_FOLLOWUP_MONTHS"] = "1,3,6,12"
    assert [f.offset_months for f in _scheduled(db, person)] == [2, 6]


def test_month_arithmetic_keeps_the_end_of_month():
    assert follow_ups.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert follow_ups.add_months(dt.date(2025, 11, 15), 3) == dt.date(2026, 2, 15)


def test_a_scheduled_follow_up_overdue_reaches_the_digest(world, person, sent, db):
    _complete(world, sent())
    first = _scheduled(db, person)[0]
    first.due_date = dt.date.today() - dt.timedelta(days=2)
    db.session.commit()
    assert deadlines.count_overdue_follow_ups_for(world.caseworker) == 1
    made = deadlines.send_reminders()
    assert made.get(world.caseworker.id) == 1
