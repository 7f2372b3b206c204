"""People services: each operation changes state and writes its audit row; refusals change
nothing."""
import datetime as dt

import pytest
import sqlalchemy as sa

from icrs.approvals import services as approvals
from icrs.audit.models import AuditEntry
from icrs.core.errors import AccessDenied, DomainError
from icrs.people import casework, services, stage_approvals, stages
from icrs.people.models import Consent, ConsentPurpose, DuplicateDecision, Person, StageChange
from icrs.people.states import Stage
from tests import factories


def _audit(db, action):
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)).all()


def test_register_encrypts_indexes_and_records(register, db, make):
    worker = make.user("caseworker")
    person = register(worker, first_name="Fadimatou", last_name="Bouba")
    assert person.case_number.startswith(f"EN-MER-{dt.date.today().year}-")
    assert person.stage == Stage.REGISTERED and person.caseworker_id == worker.id
    assert person.phone_bidx is not None and person.id_number_bidx is not None
    raw = db.session.execute(sa.text("SELECT first_name_ct FROM person")).scalar()
    assert b"Fadimatou" not in raw
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StageChange)) == 1
    (entry,) = _audit(db, "people.registered")
    assert "Fadimatou" not in entry.details and entry.object_id == str(person.id)


def test_case_numbers_increase_per_site_and_year(register, make):
    worker = make.user("caseworker")
    a, b = register(worker), register(worker)
    assert int(b.case_number[-5:]) == int(a.case_number[-5:]) + 1
    other = make.user("caseworker", site=make.site("BAM", region="NW"))
    assert register(other).case_number.startswith("NW-BAM-")


@pytest.mark.parametrize("data,field", [
    ({"birth_date": dt.date.today() + dt.timedelta(days=3)}, "birth_date"),
    ({"birth_date": None, "birth_year": None}, "estimated_age"),
    ({"birth_date": None, "birth_year": 1850}, "estimated_age"),
    ({"birth_date": dt.date.today() - dt.timedelta(days=3650), "category": "caafag"},
     "caregiver_name"),
])
def test_register_refusals_save_nothing(register, db, data, field):
    if "birth_date" in data and data["birth_date"]:
        data["birth_year"] = data["birth_date"].year
    with pytest.raises(DomainError) as exc:
        register(**data)
    assert exc.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 0


def test_only_caseworker_of_site_registers(make, db):
    supervisor = make.user("supervisor", region="EN")
    site = make.site()
    with pytest.raises(AccessDenied):
        services.register_person(supervisor, site, {"sex": "male", "birth_year": 1990,
                                                    "category": "adult_man"})


@pytest.mark.parametrize("field,value", [("phone", "699 01 34 56"),
                                         ("id_number", "cni 1001"),
                                         ("first_name", None)])
def test_duplicates_found_after_normalisation(register, field, value):
    existing = register(first_name="Aïcha", last_name="Mahamat", phone="+237 6 99 01 34 56",
                        id_number="CNI-1001", birth_year=1995)
    probe = {"first_name": "Someone", "last_name": "Else", "birth_year": 1980}
    if field == "first_name":
        probe = {"first_name": "aicha", "last_name": "MAHAMAT", "birth_year": 1995}
    else:
        probe[field] = value
    assert [p.id for p in services.find_duplicates(probe)] == [existing.id]


def test_no_duplicate_for_different_person(register):
    register(first_name="Aïcha", last_name="Mahamat", phone="+237699013456", id_number="X1")
    assert services.find_duplicates({"first_name": "Aïcha", "last_name": "Mahamat",
                                     "birth_year": 1970, "phone": "+237677000000",
                                     "id_number": "X2"}) == []


def test_not_duplicate_decision_recorded(register, make, db):
    worker = make.user("caseworker")
    first = register(worker)
    second = services.register_person(worker, worker.site, {
        "first_name": "B", "last_name": "C", "sex": "male", "birth_year": 1990,
        "category": "adult_man"}, not_duplicate_of=[first.id])
    db.session.commit()
    decision = db.session.scalar(sa.select(DuplicateDecision))
    assert decision.person_id == second.id and decision.candidate_id == first.id


def test_consent_and_withdrawal(register, make, db):
    worker = make.user("caseworker")
    person = register(worker)
    consent = services.record_consent(worker, person, "sharing", "verbal_witnessed",
                                      witness_name="Chef de quartier",
                                      service_category="vocational_training")
    db.session.commit()
    assert services.has_consent(person, ConsentPurpose.SHARING, "vocational_training")
    raw = db.session.execute(sa.text("SELECT witness_name_ct FROM consent")).scalar()
    assert b"Chef" not in raw
    services.withdraw_consent(worker, person, consent)
    db.session.commit()
    assert not services.has_consent(person, ConsentPurpose.SHARING, "vocational_training")
    assert person.consent_withdrawn_at is not None
    assert len(_audit(db, "people.consent_withdrawn")) == 1
    with pytest.raises(DomainError):
        services.withdraw_consent(worker, person, consent)


@pytest.mark.parametrize("kwargs,field", [
    ({"purpose": "sharing", "method": "signed"}, "service_category"),
    ({"purpose": "storage", "method": "verbal_witnessed"}, "witness_name"),
])
def test_consent_refusals(register, make, db, kwargs, field):
    worker = make.user("caseworker")
    person = register(worker)
    with pytest.raises(DomainError) as exc:
        services.record_consent(worker, person, **kwargs)
    assert exc.value.field == field
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0


def test_stage_guard_names_what_is_missing(register, make, db):
    worker = make.user("caseworker")
    person = register(worker)
    with pytest.raises(DomainError) as exc:
        stages.change_stage(worker, person, Stage.PROFILED)
    assert "consent" in str(exc.value.message)
    with pytest.raises(DomainError) as exc:
        stages.change_stage(worker, person, Stage.REFERRED)
    assert person.stage == Stage.REGISTERED


def test_suspend_resume_exit_reopen(register, make, db):
    worker = make.user("caseworker")
    supervisor = make.user("supervisor", region="EN")
    person = register(worker)
    stages.change_stage(worker, person, Stage.SUSPENDED, "unreachable")
    assert person.stage == Stage.SUSPENDED and person.stage_before == Stage.REGISTERED
    stages.change_stage(worker, person, "resume")
    assert person.stage == Stage.REGISTERED
    stages.change_stage(worker, person, Stage.EXITED, "dropped_out")
    for actor in (worker, supervisor):  # reopening is an approval's, never a direct move
        with pytest.raises(DomainError):
            stages.change_stage(actor, person, "reopen")
    _reopen_by_approval(db, worker, supervisor, person)
    assert person.stage == Stage.REGISTERED
    changes = db.session.scalars(sa.select(StageChange.to_stage).order_by(StageChange.id)).all()
    assert changes == [Stage.REGISTERED, Stage.SUSPENDED, Stage.REGISTERED, Stage.EXITED,
                       Stage.REGISTERED]
    assert len(_audit(db, "people.reopened")) == 1


def _reopen_by_approval(db, worker, supervisor, person):
    req = stage_approvals.request_move(worker, person, stage_approvals.REOPENING, "Back home")
    approvals.approve(supervisor, req)
    db.session.commit()


def test_exit_needs_coded_reason(register, make):
    worker = make.user("caseworker")
    person = register(worker)
    with pytest.raises(DomainError):
        stages.change_stage(worker, person, Stage.EXITED, None)


def test_not_assigned_caseworker_cannot_move(register, make):
    person = register(make.user("caseworker"))
    colleague = make.user("caseworker")
    with pytest.raises(AccessDenied):
        stages.change_stage(colleague, person, Stage.SUSPENDED, "unreachable")


def test_plan_moves_profiled_to_planned_by_itself(register, make, db):
    """Regression: "Planifié" had to be set by hand though nothing was missing."""
    worker = make.user("caseworker")
    person = register(worker)
    person.stage = Stage.PROFILED
    factories.counselled(worker, person, "Discussed options", "livestock",
                         "Goat rearing with cooperative")
    db.session.commit()
    assert person.stage == Stage.PLANNED
    change = db.session.scalars(sa.select(StageChange).order_by(StageChange.id.desc())).first()
    assert (change.from_stage, change.to_stage, change.actor_id) == (
        Stage.PROFILED, Stage.PLANNED, worker.id)
    [entry] = _audit(db, "people.stage_changed")
    assert entry.actor_id == worker.id and '"automatic":true' in entry.details
    raw = db.session.execute(sa.text("SELECT text_ct FROM plan_goal")).scalar()
    assert b"Goat" not in raw


def test_follow_up_lifecycle_and_refusals(register, make, db):
    worker = make.user("caseworker")
    person = register(worker)
    with pytest.raises(DomainError):
        casework.schedule_follow_up(worker, person, dt.date.today() - dt.timedelta(days=1), "x")
    fu = casework.schedule_follow_up(worker, person, dt.date.today(), "Home visit")
    casework.complete_follow_up(worker, person, fu, "Doing well")
    with pytest.raises(DomainError):
        casework.complete_follow_up(worker, person, fu, "again")
    db.session.commit()
    assert fu.done_at is not None and fu.outcome == "Doing well"


def test_reassign_within_site_only(register, make, db):
    worker = make.user("caseworker")
    person = register(worker)
    supervisor = make.user("supervisor", region="EN")
    colleague = make.user("caseworker")
    services.reassign(supervisor, person, colleague)
    assert person.caseworker_id == colleague.id
    far = make.user("caseworker", site=make.site("BAM", region="NW"))
    with pytest.raises(DomainError):
        services.reassign(supervisor, person, far)
    other_region = make.user("supervisor", region="NW")
    with pytest.raises(AccessDenied):
        services.reassign(other_region, person, colleague)


def test_a_suspended_case_that_exits_can_still_be_reopened(register, make, db):
    """Regression: leaving `suspended` for `exited` cleared the stage to return to, and the
    supervisor's reopening was refused ("the stage to return to" missing)."""
    worker = make.user("caseworker")
    supervisor = make.user("supervisor", region="EN")
    person = register(worker)
    stages.change_stage(worker, person, Stage.SUSPENDED, "unreachable")
    stages.change_stage(worker, person, Stage.EXITED, "dropped_out")
    db.session.commit()
    assert person.stage_before == Stage.REGISTERED
    _reopen_by_approval(db, worker, supervisor, person)
    assert person.stage == Stage.REGISTERED and person.stage_before is None
    assert len(_audit(db, "people.reopened")) == 1


@pytest.mark.parametrize("stage, before", [(Stage.EXITED, None), (Stage.SUSPENDED, None),
                                           (Stage.REGISTERED, Stage.PROFILED),
                                           (Stage.EXITED, Stage.SUSPENDED)])
def test_stage_before_is_set_iff_the_case_is_closed(register, make, db, stage, before):
    person = register(make.user("caseworker"))
    person.stage, person.stage_before = stage, before
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
