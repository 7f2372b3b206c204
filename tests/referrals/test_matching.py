"""Suggested services: eligible above ineligible, reasons for and against, plan pathway."""
from icrs.referrals import matching
from tests import factories
from tests.referrals.conftest import make_service, new_person


def _by_name(suggestions):
    return {s.service.name: s for s in suggestions}


def test_eligible_ranks_above_ineligible_and_says_why(world, person, db):
    men = make_service(world.org, "AAA men only", sexes="m", regions=[world.en],
                       languages=["fr"], open_slots=9)
    db.session.commit()
    ranked = matching.suggest(person)
    names = [s.service.name for s in ranked]
    assert names.index("Tailoring apprenticeship") < names.index(men.name)
    found = _by_name(ranked)
    assert found["Tailoring apprenticeship"].eligible
    assert not found[men.name].eligible
    assert any("Male only" in str(p) for p in found[men.name].problems)
    reasons = [str(r) for r in found["Tailoring apprenticeship"].reasons]
    assert any("Speaks French" in r for r in reasons)
    assert any("Consent to share" in r for r in reasons)


def test_pathway_capacity_area_and_consent(world, person, db):
    farm = make_service(world.org, "Farm kit", category="agriculture_livestock",
                        regions=[world.en], open_slots=3)
    full = make_service(world.org, "Full tailoring", regions=[world.en], open_slots=0,
                        capacity=10)
    elsewhere = make_service(world.org, "Bamenda only", sites=[world.bam])
    db.session.commit()
    factories.counselled(world.caseworker, person, "Talked about farming",
                         "agriculture", "Start a poultry farm")
    db.session.commit()
    found = _by_name(matching.suggest(person, limit=50))
    assert elsewhere.name not in found  # does not serve the person's region
    assert any("pathway" in str(r) for r in found[farm.name].reasons)
    assert any("consent" in str(p) for p in found[farm.name].problems)
    assert not found[farm.name].consent
    assert any("No open place" in str(p) for p in found[full.name].problems)
    assert found["Tailoring apprenticeship"].score > found[full.name].score


def test_language_mismatch_lowers_the_score(world, db):
    person = new_person(world, db, languages=["en"])
    english = make_service(world.org, "English tailoring", regions=[world.en], languages=["en"])
    db.session.commit()
    found = _by_name(matching.suggest(person))
    assert found[english.name].score > found["Tailoring apprenticeship"].score
    assert any("No language" in str(p) for p in found["Tailoring apprenticeship"].problems)


def test_score_without_database():
    """The scorer works on plain values (no profile, no plan)."""
    fit = matching.PersonFit(age=30, sex="female", category="adult_woman", site_id=1,
                             region_id=1, languages=["fr"], pathway="small_business",
                             skills=["trading"], consented={"business_startup"})

    class Term:
        code = "business_startup"

    class Org:
        active = True

    class Svc:
        status = "active"
        organisation = Org()
        minimum_age = maximum_age = None
        sexes = ["female", "male"]
        categories = ["adult_woman"]
        sites, regions, languages = [], [], []
        open_slots = None
        category = Term()
        name = "Grants"

    s = matching.score(Svc(), fit)
    assert s.eligible and s.consent
    assert s.score == sum(matching.WEIGHTS[k] for k in ("country", "pathway", "skills",
                                                        "consent"))


def _code_for(choices, label):
    return next(code for code, text in choices if str(text) == label)


def test_cameroonian_pidgin_is_one_code_for_people_and_services(world, db):
    """Regression: the people form coded Cameroonian Pidgin `pcm`, the directory form `wes`, so a
    Pidgin speaker had "no language in common" with a Pidgin service."""
    from flask import current_app
    from flask_babel import force_locale

    from icrs.directory.forms import ServiceForm
    from icrs.people.forms import IdentityForm

    with current_app.test_request_context(), force_locale("en"):  # the forms read the lists
        person_code = _code_for(IdentityForm(meta={"csrf": False}).languages.choices,
                                "Cameroonian Pidgin")
        service_code = _code_for(ServiceForm(meta={"csrf": False}).languages.choices,
                                 "Cameroonian Pidgin")
    assert person_code == service_code == "wes"
    person = new_person(world, db, languages=[person_code])
    pidgin = make_service(world.org, "Pidgin tailoring", regions=[world.en],
                          languages=[service_code])
    db.session.commit()
    found = _by_name(matching.suggest(person))[pidgin.name]
    assert any("Speaks Cameroonian Pidgin" in str(r) for r in found.reasons)
    assert not any("No language" in str(p) for p in found.problems)


def test_a_mechanic_is_offered_mechanics_before_tailoring_for_the_right_reason(world, db):
    """Regression (tried in French): for a man with mechanical experience, "Couture" ranked
    above "Mécanique moto" with the reason "builds on skills". A reason must come from the
    profile answer that produced it."""
    from tests.people.test_stage_box import _submit_profile
    from tests.profiling.conftest import COMPLETE

    man = new_person(world, db, sex="male", category="adult_man", first_name="Moussa")
    tailoring = make_service(world.org, "Formation en couture et stylisme", regions=[world.en],
                             languages=["fr"], open_slots=5)
    mechanics = make_service(world.org, "Apprentissage en mécanique moto", regions=[world.en],
                             languages=["fr"], open_slots=5)
    db.session.commit()
    answers = {**COMPLETE, "skills": {"skills": ["mechanics"], "training_done": "no"}}
    _submit_profile(world.caseworker, man, db, answers)
    ranked = [s for s in matching.suggest(man, limit=50)
              if s.service.id in (tailoring.id, mechanics.id)]
    assert [s.service.name for s in ranked] == [mechanics.name, tailoring.name]
    assert any("profile skills: Mechanics" in str(r) for r in ranked[0].reasons)
    assert not any("skill" in str(r) for r in ranked[1].reasons)


def test_pathway_reasons_name_the_answer(db):
    fit = matching.PersonFit(age=30, sex="male", category="adult_man", site_id=1, region_id=1,
                             languages=[], pathway="agriculture", preferred="small_business")

    class Term:
        code = "business_startup"

    s = matching.Suggestion(service=None, eligible=True)
    matching._pathway(type("Svc", (), {"category": Term()})(), fit, s)
    assert [str(r) for r in s.reasons] == [
        "Matches the preferred option in the profile: Small business."]
