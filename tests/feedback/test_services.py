"""Feedback rules: who records, who reads (a complaint about abuse by staff: the focal points
only, never the staff named), the status moves, deadlines, codes and the satisfaction figures."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.core.errors import AccessDenied, DomainError
from icrs.core.timeutil import today
from icrs.feedback import services
from icrs.feedback.models import Feedback, FeedbackCategory, FeedbackStatus
from icrs.referrals.notifications import Notification
from tests.feedback.conftest import audit

S = FeedbackStatus


def _record(team, person, category="service_quality", kind="complaint", **kw):
    return services.record_feedback(team["owner"], person, kind, category, "in_person",
                                    "The training started three weeks late.", **kw)


def test_a_complaint_gets_a_deadline_and_its_handlers_are_told(db, team, person):
    feedback = _record(team, person)
    db.session.commit()
    assert feedback.due_on == today() + dt.timedelta(days=14)
    assert feedback.status == S.OPEN and not feedback.sensitive
    notes = db.session.scalars(sa.select(Notification)).all()
    assert [(n.user_id, n.kind, n.person_id) for n in notes] == [
        (team["supervisor"].id, "complaint_received", None)]
    assert audit(db, "feedback.recorded")[0] == {"kind": "complaint", "channel": "in_person",
                             "category": "service_quality"}


def test_plain_feedback_has_no_deadline_and_tells_no_one(db, team, person):
    feedback = _record(team, person, kind="feedback", satisfaction=4)
    assert feedback.due_on is None and feedback.satisfaction == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 0


def test_a_complaint_about_abuse_by_staff_reaches_the_focal_points_only(db, team, person, focal):
    feedback = _record(team, person, category="staff_abuse", kind="feedback",
                       concerns=team["supervisor"])
    db.session.commit()
    assert feedback.sensitive and feedback.kind.value == "complaint"
    assert feedback.due_on == today() + dt.timedelta(days=7)
    assert services.may_read(focal, feedback)
    for who in ("owner", "supervisor", "colleague", "admin", "provider", "monitoring"):
        assert not services.may_read(team[who], feedback), who
    notes = db.session.scalars(sa.select(Notification)).all()
    assert [(n.user_id, n.kind) for n in notes] == [(focal.id, "complaint_sensitive")]
    assert "category" not in audit(db, "feedback.recorded")[0]


def test_the_staff_named_never_reads_it_even_as_a_focal_point(db, team, person, focal):
    feedback = _record(team, person, category="staff_abuse", concerns=focal)
    assert not services.may_read(focal, feedback)
    assert services.handlers(feedback) == []
    named = _record(team, person, category="staff_conduct", concerns=team["supervisor"])
    assert not services.may_read(team["supervisor"], named)
    assert services.may_read(team["owner"], named)


def test_the_list_rule_in_sql_is_the_same_rule(db, team, person, focal):
    rows = [_record(team, person), _record(team, person, category="staff_abuse"),
            _record(team, person, category="staff_conduct", concerns=team["supervisor"])]
    db.session.commit()
    for user in [focal, *team.values()]:
        listed = set(db.session.scalars(sa.select(Feedback.id).where(
            services.readable_clause(user))))
        assert listed == {f.id for f in rows if services.may_read(user, f)}, user.username


def test_who_may_record(db, team, person):
    for who in ("colleague", "supervisor"):
        assert services.may_record(team[who], person)
    for who in ("other_site", "provider", "admin", "monitoring", "elsewhere"):
        with pytest.raises(AccessDenied):
            services.record_feedback(team[who], person, "feedback", "other", "phone", "Fine.")


@pytest.mark.parametrize("text, field", [("", "text"), ("   ", "text"), ("x" * 4001, "text")])
def test_bad_text_is_refused_at_its_field(db, team, person, text, field):
    with pytest.raises(DomainError) as caught:
        services.record_feedback(team["owner"], person, "feedback", "other", "phone", text)
    assert caught.value.field == field
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) == 0


@pytest.mark.parametrize("value", [0, 6, -1, True])
def test_satisfaction_outside_the_scale_is_refused(db, team, person, value):
    with pytest.raises(DomainError) as caught:
        _record(team, person, kind="feedback", satisfaction=value)
    assert caught.value.field == "satisfaction"


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_status_moves_over_every_pair(db, team, person, current, target):
    feedback = _record(team, person)
    feedback.status = current
    if (current, target) in services.MOVES:
        services.change_status(team["supervisor"], feedback, target, response="We called them.")
        assert feedback.status == target
    else:
        with pytest.raises(DomainError):
            services.change_status(team["supervisor"], feedback, target, response="x")
        assert feedback.status == current


def test_an_answer_needs_the_words_given_and_who_gave_them(db, team, person):
    feedback = _record(team, person)
    with pytest.raises(DomainError) as caught:
        services.change_status(team["supervisor"], feedback, "answered", response=" ")
    assert caught.value.field == "response"
    services.change_status(team["supervisor"], feedback, "answered", response="Training moved.")
    assert feedback.answered_by_id == team["supervisor"].id and feedback.response
    assert audit(db, "feedback.status_changed")[0] == {"status": "answered"}


def test_only_a_reader_changes_the_status(db, team, person):
    feedback = _record(team, person)
    for who in ("colleague", "other_site", "elsewhere", "provider"):
        with pytest.raises(AccessDenied):
            services.change_status(team[who], feedback, "in_progress")


def test_a_complaint_past_its_deadline_is_overdue_until_answered(db, team, person):
    feedback = _record(team, person)
    feedback.due_on = today() - dt.timedelta(days=1)
    assert feedback.is_overdue
    services.change_status(team["supervisor"], feedback, "answered", response="Done.")
    assert not feedback.is_overdue


def test_the_hotline_records_with_the_code_and_learns_nothing_else(db, team, person):
    code = services.issue_code(team["owner"], person)
    assert len(services.normalise_code(code)) == services.CODE_LENGTH
    feedback = services.record_by_code(team["colleague"], code.lower().replace("-", " "),
                                       "complaint", "assistance", "The kit was incomplete.")
    assert feedback.person_id == person.id and feedback.channel.value == "hotline_code"
    assert feedback.recorded_by_id == team["colleague"].id


def test_a_new_code_replaces_the_old_one(db, team, person):
    old = services.issue_code(team["owner"], person)
    new = services.issue_code(team["owner"], person)
    assert old != new and services.code_of(person) == new
    with pytest.raises(DomainError) as caught:
        services.record_by_code(team["colleague"], old, "feedback", "other", "Hello.")
    assert caught.value.field == "code"


def test_only_the_assigned_caseworker_makes_a_code(db, team, person):
    for who in ("colleague", "supervisor"):
        with pytest.raises(AccessDenied):
            services.issue_code(team[who], person)


def test_an_unknown_code_is_refused(db, team, person):
    with pytest.raises(DomainError) as caught:
        services.record_by_code(team["owner"], "ABCD-EFGH", "feedback", "other", "Hello.")
    assert caught.value.field == "code"
    with pytest.raises(AccessDenied):
        services.record_by_code(team["provider"], "ABCD-EFGH", "feedback", "other", "Hello.")


def test_satisfaction_per_service_hides_services_with_fewer_than_five_answers(
        db, make, team, person):
    busy, quiet = make.service(), make.service()
    for score in (5, 4, 4, 3, 5):
        _record(team, person, kind="feedback", service=busy, satisfaction=score)
    for score in (1, 2):
        _record(team, person, kind="feedback", service=quiet, satisfaction=score)
    assert services.satisfaction_by_service() == {busy.id: (5, 4.2)}


def test_categories_that_are_sensitive(db):
    assert services.SENSITIVE_CATEGORIES == {FeedbackCategory.STAFF_ABUSE}


def test_the_merge_page_does_not_count_what_only_the_focal_points_read(db, team, person):
    from icrs.feedback.lifecycle import _merge_holdings

    _record(team, person)
    _record(team, person, category="staff_abuse")
    assert list(_merge_holdings(person).values()) == [1]
