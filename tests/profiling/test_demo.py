"""Demo profiles: valid for the forms, coherent, in the region's language, versioned."""
import random

import pytest
from werkzeug.datastructures import MultiDict

from icrs.demo.profiles import demo_answers, fill_demo_profile
from icrs.profiling import services
from icrs.profiling.models import ProfileVersion
from icrs.profiling.queries import get_draft, versions
from icrs.profiling.sections import SECTIONS
from tests.profiling.conftest import form_data


@pytest.fixture
def nw_caseworker(make):
    return make.user("caseworker", site=make.site("BAM", make.region("NW")))


@pytest.mark.parametrize("seed", range(12))
def test_demo_answers_pass_the_forms_and_are_complete(app, db, register, nw_caseworker, seed):
    rng = random.Random(seed)
    people = [register(sex="female", category="adult_woman"),
              register(sex="male", category="caafag", birth_date=None, birth_year=2010,
                       caregiver_name="Hadidja Modu"),
              register(actor=nw_caseworker, sex="male", category="person_with_disability")]
    for person in people:
        answers = demo_answers(person, rng)
        for section in SECTIONS:
            with app.test_request_context(method="POST"):
                form = section.make_form(formdata=MultiDict(
                    form_data({k: v for k, v in answers[section.code].items()
                               if v is not None}, complete=True)), meta={"csrf": False})
                assert form.validate(), (section.code, form.errors)


def test_submitted_demo_profile(db, register, caseworker, nw_caseworker):
    rng = random.Random(3)
    fr = register()
    en = register(actor=nw_caseworker, first_name="Comfort", last_name="Ngwa")
    for person, actor in ((fr, caseworker), (en, nw_caseworker)):
        count = fill_demo_profile(person, rng, actor, 1.0)
        db.session.commit()
        assert count >= 1 and len(versions(person)) == count
        assert services.profile_is_complete(person)
        stamps = [v.submitted_at for v in reversed(versions(person))]
        assert stamps == sorted(stamps)
    notes = lambda p: versions(p)[0].sections  # noqa: E731
    fr_text = {s.section: s.answers for s in notes(fr)}["household"]["household_notes"]
    en_text = {s.section: s.answers for s in notes(en)}["household"]["household_notes"]
    assert fr_text.startswith("Vit avec") and en_text.startswith("Lives with")


@pytest.mark.parametrize("completeness, started", [(0.0, False), (0.3, True), (0.6, True)])
def test_draft_demo_profile(db, register, caseworker, completeness, started):
    person = register()
    assert fill_demo_profile(person, random.Random(1), caseworker, completeness) == 0
    db.session.commit()
    draft = get_draft(person)
    assert (draft is not None) is started
    assert db.session.query(ProfileVersion).count() == 0
    if started:
        assert 0 < len(draft.sections) < len(SECTIONS)
