"""The case page's stage box and forms: no double entry, no misleading "nothing missing", no
"your role cannot" for a supervisor who can act, the pathway offered from the profile."""
import datetime as dt
import re

from flask_babel import force_locale

from icrs.people import casework, stages
from icrs.people.states import Stage
from icrs.plans.queries import current_plan, open_version
from icrs.profiling import services as profiling
from icrs.profiling.queries import get_draft
from tests import factories
from tests.profiling.conftest import COMPLETE


def _page(client, person):
    return client.get(f"/people/{person.id}").get_data(as_text=True)


def _submit_profile(actor, person, db, answers_by_section=COMPLETE):
    for code, answers in answers_by_section.items():
        draft = get_draft(person)
        profiling.save_section(actor, person, code, answers, draft.version if draft else 0)
    profiling.submit_profile(actor, person, get_draft(person).version)
    db.session.commit()


def test_referred_is_said_to_follow_the_referrals(client, login_as, register, db):
    """Regression: "next: Orienté, nothing missing" while Orienté could not be chosen."""
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    person.stage = Stage.PLANNED
    db.session.commit()
    html = _page(client, person)
    assert "Next: Referred." in html and "Nothing is missing." not in html
    assert "set automatically when a referral is sent" in html
    assert ">Referred</option>" not in html


def test_profiled_is_said_to_come_by_itself(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    html = _page(client, person)
    assert "Next: Profiled." in html and "a complete socioeconomic profile" in html
    assert "Set automatically as soon as nothing is missing." in html


def test_supervisor_is_not_told_their_role_cannot_act(client, login_as, register, make, db):
    """Regression: the stage box computed "missing" as a caseworker, so a supervisor looking at
    a follow-up case read "Your role cannot move a case to Reintegrated"."""
    worker = make.user("caseworker")
    person = register(worker)
    person.stage = Stage.FOLLOW_UP
    done = casework.schedule_follow_up(worker, person, dt.date.today(), "Home visit")
    casework.complete_follow_up(worker, person, done, "Doing well")
    db.session.commit()
    login_as("supervisor", region="EN", locale="en")
    html = _page(client, person)
    assert "Your role" not in html
    assert "Next: Reintegrated." in html and "Nothing is missing." in html
    # the supervisor decides a caseworker's request (stage_approvals), not by the stage form
    assert ">Reintegrated</option>" not in html
    assert "a supervisor approves or rejects it" in html


def test_the_plan_offers_the_profiles_preferred_pathway(client, login_as, register, db):
    """Regression: the pathway defaulted to Agriculture whatever the profile said."""
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    html = client.get(f"/people/{person.id}/plan/edit").get_data(as_text=True)
    assert not re.search(r'<option selected value="agriculture">', html)
    _submit_profile(worker, person, db)  # preferred option: small business
    html = client.get(f"/people/{person.id}/plan/edit").get_data(as_text=True)
    assert '<option selected value="small_business">' in html


def test_a_plan_without_a_pathway_is_refused_at_the_field(client, login_as, register, db):
    worker = login_as("caseworker", locale="en")
    person = register(worker)
    response = client.post(f"/people/{person.id}/plan/edit", data={
        "pathway": "", "goals-0-text": "Goals"})
    assert response.status_code == 400 and "Choose a pathway." in response.get_data(as_text=True)
    db.session.expire_all()
    assert open_version(person) is None and current_plan(person) is None


def test_profile_languages_come_from_registration(client, login_as, register, db):
    """Regression: the languages typed at registration were asked again in the profile."""
    worker = login_as("caseworker", locale="en")
    person = register(worker, languages=["fr", "wes"])
    html = client.get(f"/people/{person.id}/profile/languages").get_data(as_text=True)
    checked = re.findall(r'<input checked id="languages_spoken-\d+" name="languages_spoken" '
                         r'type="checkbox" value="(\w+)">', html)
    assert sorted(checked) == ["fr", "wes"]


def test_the_whole_path_to_planned_needs_no_manual_move(register, make, consent_all, db):
    worker = make.user("caseworker")
    person = register(worker)
    consent_all(worker, person)
    with force_locale("en"):
        _submit_profile(worker, person, db)
    factories.counselled(worker, person, "Talked", "small_business", "A shop")
    db.session.commit()
    assert person.stage == Stage.PLANNED
    assert stages.stage_hint(person)["by_referrals"]
