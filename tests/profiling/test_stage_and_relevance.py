"""Submitting a complete profile with consent makes the case "profiled" by itself; questions
that do not apply to the person (pregnancy for a man, childhood for an adult) are not asked."""
import sqlalchemy as sa

from icrs.audit.models import AuditEntry
from icrs.people import services as people
from icrs.people.models import ConsentMethod, ConsentPurpose, StageChange
from icrs.people.states import Stage
from icrs.profiling import services
from icrs.profiling.queries import get_draft, section_answers
from tests.profiling.conftest import COMPLETE, form_data


def _consent(actor, person):
    for purpose in (ConsentPurpose.REGISTRATION, ConsentPurpose.STORAGE):
        people.record_consent(actor, person, purpose, ConsentMethod.SIGNED)


def test_submitting_with_consent_advances_to_profiled(db, caseworker, person, submitted):
    """Regression: "Profilé" had to be chosen by hand though nothing was missing."""
    _consent(caseworker, person)
    db.session.commit()
    assert person.stage == Stage.REGISTERED  # no profile yet
    submitted(caseworker, person)
    assert person.stage == Stage.PROFILED
    change = db.session.scalars(sa.select(StageChange).order_by(StageChange.id.desc())).first()
    assert (change.to_stage, change.actor_id) == (Stage.PROFILED, caseworker.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "people.stage_changed", AuditEntry.actor_id == caseworker.id)) == 1


def test_consent_after_the_profile_also_advances(db, caseworker, person, submitted):
    submitted(caseworker, person)
    assert person.stage == Stage.REGISTERED  # no consent yet
    _consent(caseworker, person)
    db.session.commit()
    assert person.stage == Stage.PROFILED


def test_without_consent_the_stage_stays(db, caseworker, person, submitted):
    submitted(caseworker, person)
    assert person.stage == Stage.REGISTERED


def _health_page(client, person):
    return client.get(f"/people/{person.id}/profile/health").get_data(as_text=True)


def test_pregnancy_is_not_asked_for_a_man(client, login_as, db, caseworker, register):
    man = register(sex="male", category="adult_man", first_name="Moussa")
    woman = register()
    login_as(caseworker)
    assert 'name="pregnancy"' not in _health_page(client, man)
    assert 'name="pregnancy"' in _health_page(client, woman)


def test_an_answer_to_a_question_that_does_not_apply_is_not_stored(db, caseworker, register):
    man = register(sex="male", category="adult_man")
    answers = dict(COMPLETE["health"], pregnancy="pregnant")
    services.save_section(caseworker, man, "health", answers, 0)
    db.session.commit()
    stored = section_answers(get_draft(man), "health")
    assert "pregnancy" not in stored and stored["wg_seeing"] == "none"


def test_a_posted_answer_that_does_not_apply_is_ignored(client, login_as, db, caseworker,
                                                        register):
    man = register(sex="male", category="adult_man")
    login_as(caseworker)
    data = form_data(dict(COMPLETE["health"], pregnancy="pregnant"), complete=True)
    response = client.post(f"/people/{man.id}/profile/health", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    assert "pregnancy" not in section_answers(get_draft(man), "health")


def test_childhood_question_only_for_a_minor(client, login_as, db, caseworker, register):
    import datetime as dt
    adult = register()
    child = register(birth_date=dt.date(dt.date.today().year - 15, 1, 1),
                     birth_year=dt.date.today().year - 15, category="caafag",
                     caregiver_name="Hawa Modu")
    login_as(caseworker)
    page = lambda p: client.get(f"/people/{p.id}/profile/household").get_data(as_text=True)  # noqa: E731
    assert 'name="separated_from_parents"' not in page(adult)
    assert 'name="separated_from_parents"' in page(child)
