"""Recording a structured follow-up visit: codes stored, note encrypted, the audit entry with
codes only; refusals (another site's caseworker, future date, out-of-scale value, a WHO-5 item
missing) write nothing; the visit page's GET writes nothing; the case page's trend table."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, DomainError
from icrs.people import casework, follow_ups
from icrs.people.models import FollowUp, SustainabilityBaseline

GOOD = {"visit_date": dt.date.today() - dt.timedelta(days=1), "visit_type": "home",
        "activity": "own_business", "income_band": "25k_50k", "business_running": "yes",
        "housing": "stable", "family_acceptance": "4", "community_acceptance": "3",
        "safety": "none", "who5_cheerful": "3", "who5_calm": "3", "who5_active": "4",
        "who5_rested": "2", "who5_interest": "3"}


@pytest.fixture
def worker(make):
    return make.user("caseworker", locale="en")


@pytest.fixture
def case(register, worker, db):
    person = register(worker)
    person.registered_at = person.registered_at - dt.timedelta(days=90)
    fu = casework.schedule_follow_up(worker, person, dt.date.today(), "Home visit")
    db.session.commit()
    return person, fu


def _entries(action):
    return sa.select(AuditEntry).where(AuditEntry.action == action)


def _post(client, person, fu, **changes):
    data = {f"visit-{k}": (v.isoformat() if isinstance(v, dt.date) else v)
            for k, v in {**GOOD, **changes}.items()}
    return client.post(f"/people/{person.id}/follow-ups/{fu.id}/done", data=data)


def test_record_visit_stores_codes_and_the_audit_carries_the_visit_type_only(case, worker, db):
    person, fu = case
    follow_ups.record_visit(worker, person, fu, GOOD, note="Shop doing well near the market")
    db.session.commit()
    fu = db.session.get(FollowUp, fu.id)
    assert fu.done_at and fu.activity.value == "own_business" and fu.family_acceptance == 4
    assert fu.who5_raw == 15 and fu.who5_percent == 60
    assert fu.outcome == "Shop doing well near the market"
    raw = db.session.execute(sa.text("SELECT outcome_ct FROM follow_up")).scalar()
    assert b"market" not in raw
    entry = db.session.scalars(_entries("people.follow_up_done")).one()
    assert "market" not in entry.details and '"visit_type":"home"' in entry.details
    for answer in ("own_business", "who5_calm", "safety", "income_band", "visit_date"):
        assert answer not in entry.details  # the answers stay on the follow-up


def test_old_free_text_outcomes_keep_working(case, worker, db):
    person, fu = case
    casework.complete_follow_up(worker, person, fu, "Doing well")
    db.session.commit()
    assert not fu.is_structured and fu.who5_raw is None
    assert follow_ups.trend(person)["visits"] == []


def test_another_sites_caseworker_cannot_record(case, make, db):
    person, fu = case
    other = make.user("caseworker", site=make.site("BAM", "NW"))
    with pytest.raises(AccessDenied):
        follow_ups.record_visit(other, person, fu, GOOD)
    db.session.rollback()
    assert db.session.get(FollowUp, fu.id).done_at is None


@pytest.mark.parametrize("change, field", [
    ({"visit_date": dt.date.today() + dt.timedelta(days=2)}, "visit_date"),
    ({"visit_date": dt.date.today() - dt.timedelta(days=400)}, "visit_date"),
    ({"family_acceptance": "5"}, "family_acceptance"),
    ({"who5_rested": "6"}, "who5_rested"),
    ({"who5_interest": None}, "who5_interest"),
    ({"activity": "fishing"}, "activity"),
])
def test_bad_input_is_refused_at_the_field(case, worker, db, change, field):
    person, fu = case
    with pytest.raises(DomainError) as exc:
        follow_ups.record_visit(worker, person, fu, {**GOOD, **change})
    assert exc.value.field == field
    assert fu.done_at is None and fu.activity is None


def test_the_page_records_and_shows_the_trend(client, login_as, case, worker, db):
    person, fu = case
    login_as(worker)
    page = client.get(f"/people/{person.id}/follow-ups/{fu.id}/done")
    assert page.status_code == 200
    assert "I have felt calm and relaxed" in page.get_data(as_text=True)
    response = _post(client, person, fu)
    assert response.status_code == 302
    case_page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Reintegration sustainability score" in case_page
    assert "own_business" not in case_page and "Own business" in case_page
    # economic (2·1 + 2·0.5 + 1 + 1)/6 = 83 %; social (1 + 2/3 + 1)/3 = 89 %; WHO-5 60 %
    assert "83 %" in case_page and "89 %" in case_page and "60 %" in case_page


def test_the_visit_page_get_writes_nothing(client, login_as, case, worker, db):
    person, fu = case
    login_as(worker)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    assert client.get(f"/people/{person.id}/follow-ups/{fu.id}/done").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == before
    assert db.session.get(FollowUp, fu.id).done_at is None


@pytest.mark.parametrize("change, field_error", [
    ({"visit_date": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
     "The date of the visit cannot be in the future."),
    ({"who5_calm": ""}, "This field is required."),
    ({"community_acceptance": "9"}, "Not a valid choice"),
])
def test_the_page_refuses_bad_input_and_writes_nothing(client, login_as, case, worker, db,
                                                       change, field_error):
    person, fu = case
    login_as(worker)
    response = _post(client, person, fu, **change)
    assert response.status_code == 400
    assert field_error in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(FollowUp, fu.id).done_at is None
    assert db.session.scalars(_entries("people.follow_up_done")).all() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SustainabilityBaseline)) == 0


def test_another_sites_caseworker_gets_404_on_the_page(client, login_as, case, make, db):
    person, fu = case
    login_as(make.user("caseworker", site=make.site("BAM", "NW")))
    assert client.get(f"/people/{person.id}/follow-ups/{fu.id}/done").status_code == 404
    assert _post(client, person, fu).status_code == 404
    db.session.expire_all()
    assert db.session.get(FollowUp, fu.id).done_at is None


def test_a_done_follow_up_has_no_form(client, login_as, case, worker, db):
    person, fu = case
    follow_ups.record_visit(worker, person, fu, GOOD)
    db.session.commit()
    login_as(worker)
    assert client.get(f"/people/{person.id}/follow-ups/{fu.id}/done").status_code == 404


def test_the_reintegration_approval_shows_the_latest_scores(client, login_as, case, worker,
                                                             make, db):
    from icrs.people import stage_approvals
    from icrs.people.states import Stage
    person, fu = case
    follow_ups.record_visit(worker, person, fu, GOOD)
    person.stage = Stage.FOLLOW_UP
    req = stage_approvals.request_move(worker, person, stage_approvals.REINTEGRATION,
                                       "Visits done; shop running.")
    db.session.commit()
    login_as(make.user("supervisor", region="EN", locale="en"))
    for url in (f"/approvals/{req.id}", f"/people/{person.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Latest sustainability scores" in page, url
        assert "83 %" in page and "60 %" in page


def test_a_colleague_of_the_site_sees_no_score_safety_or_wellbeing(app, make, case, worker, db):
    """Need-to-know: the scores rest on the safety and wellbeing answers, which are open only to
    the assigned caseworker and the region's supervisors."""
    from tests.conftest import signed_in

    person, fu = case
    follow_ups.record_visit(worker, person, fu, {**GOOD, "safety": "serious"}, "")
    colleague = make.user("caseworker", site=person.site, locale="en")
    db.session.commit()
    page = signed_in(app, colleague).get(f"/people/{person.id}").get_data(as_text=True)
    assert "Reintegration sustainability score" not in page
    assert "Serious" not in page and "wellbeing 60" not in page
    assert "sustainability scores, safety and wellbeing answers are restricted" in page
    own = signed_in(app, worker).get(f"/people/{person.id}").get_data(as_text=True)
    assert "Reintegration sustainability score" in own and "wellbeing 60" in own
