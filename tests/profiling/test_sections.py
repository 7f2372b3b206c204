"""The section registry: every section of DESIGN §3, coherent required fields, plausibility."""
import pytest
from werkzeug.datastructures import MultiDict

from icrs.profiling.sections import BY_CODE, SECTIONS, SENSITIVE
from tests.profiling.conftest import COMPLETE, form_data


def test_all_design_sections_in_interview_order():
    assert [s.code for s in SECTIONS] == [
        "household", "education", "languages", "skills", "work", "health", "psychosocial",
        "association", "security", "aspirations"]
    assert {"association", "security", "health"} <= SENSITIVE
    assert len(BY_CODE) == len(SECTIONS)


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.code)
def test_required_fields_exist_and_complete_answers_fill_them(app, section):
    with app.test_request_context():
        form = section.make_form(formdata=None, meta={"csrf": False})
        names = {f.name for f in form.question_fields()}
    assert set(section.required) <= names
    assert section.required, "every section needs at least one required answer"
    assert section.missing(COMPLETE[section.code]) == []
    assert section.missing({}) == list(section.required)


def _validate(app, code, answers, complete=False):
    section = BY_CODE[code]
    with app.test_request_context(method="POST"):
        form = section.make_form(formdata=MultiDict(form_data(answers, complete=complete)),
                                 meta={"csrf": False})
        return form.validate(), {k: [str(e) for e in v] for k, v in form.errors.items()}


@pytest.mark.parametrize("code, answers, field", [
    ("household", {"household_size": 0}, "household_size"),
    ("household", {"household_size": 51}, "household_size"),
    ("household", {"household_size": "many"}, "household_size"),
    ("household", {"dependants_count": 2, "dependants_under_five": 3}, "dependants_under_five"),
    ("education", {"years_of_schooling": 40}, "years_of_schooling"),
    ("education", {"education_level": "phd_in_the_bush"}, "education_level"),
    ("work", {"monthly_income": -5}, "monthly_income"),
    ("association", {"year_joined": 2030}, "year_joined"),
    ("association", {"year_joined": 2019, "year_left": 2015}, "year_left"),
    ("skills", {"skills": ["juggling"]}, "skills"),
])
def test_implausible_values_are_refused_at_the_field(app, code, answers, field):
    ok, errors = _validate(app, code, answers)
    assert not ok and field in errors


def test_partial_draft_is_valid_but_save_complete_needs_required_answers(app):
    assert _validate(app, "household", {"household_size": 4})[0]
    ok, errors = _validate(app, "household", {"household_size": 4}, complete=True)
    assert not ok
    assert set(errors) == set(BY_CODE["household"].required) - {"household_size"}
    assert _validate(app, "household", COMPLETE["household"], complete=True)[0]
