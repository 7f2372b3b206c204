"""The web form built from a questionnaire: labels and choices in the user's language,
relevance evaluated on submit (non-relevant answers dropped, required only when relevant),
constraints with the XLSForm's messages in FR/EN, else translated defaults."""
import datetime as dt
from decimal import Decimal

import pytest
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from icrs.field.questionnaire import read
from icrs.field.webform import TEXT_MAX, form_class
from tests.field.xlsforms import FARM, row, xlsx

FarmForm = form_class(read(xlsx(FARM + [row("text", "story", appearance="multiline")])))
GOOD = {"farms": "yes", "crops": ["maize", "beans"], "fields": "3", "hectares": "1.5",
        "since": "2020-03-01", "remark": "Good soil"}


@pytest.fixture
def submit(app):
    def post(data, language="en"):
        with app.test_request_context("/", method="POST", data=data,
                                      headers={"Accept-Language": language}):
            form = FarmForm()
            valid = form.validate()
            return valid, form, {f.short_name: [str(e) for e in f.errors] for f in form}
    return post


def test_one_field_per_question_of_the_right_kind():
    kinds = {name: type(field.field_class) for name, field in vars(FarmForm).items()
             if hasattr(field, "field_class")}
    classes = {name: field.field_class for name, field in vars(FarmForm).items()
               if hasattr(field, "field_class")}
    assert kinds and classes == {"farms": SelectField, "crops": SelectMultipleField,
                                 "fields": IntegerField, "hectares": DecimalField,
                                 "since": DateField, "remark": StringField,
                                 "story": TextAreaField}   # the note has no field


@pytest.mark.parametrize("language, label, choice", [
    ("fr", "Cultive ?", "Oui"), ("en", "Farms?", "Yes")])
def test_labels_and_choices_in_the_users_language(app, language, label, choice):
    with app.test_request_context("/", headers={"Accept-Language": language}):
        form = FarmForm()
        assert str(form.farms.label.text) == label
        assert [str(text) for _, text in form.farms.choices][1] == choice
        assert f">{choice}</option>" in str(form.farms())
        assert form.text(form.questionnaire.question("thanks").label) in ("Merci", "Thank you")


def test_good_answers_are_kept_by_question_name(submit):
    valid, form, errors = submit(GOOD)
    assert valid, errors
    assert form.answers() == {"farms": "yes", "crops": ["maize", "beans"], "fields": 3,
                              "hectares": Decimal("1.5"), "since": dt.date(2020, 3, 1),
                              "remark": "Good soil", "story": None}


def test_answers_of_questions_that_are_not_relevant_are_dropped(submit):
    valid, form, errors = submit({**GOOD, "farms": "no"})
    assert valid, errors     # crops is required, but only when relevant
    answers = form.answers()
    assert "crops" not in answers and "fields" not in answers   # fields hangs on crops
    assert form.crops.data is None and form.fields.data is None


def test_relevance_follows_the_answers_on_submit(submit):
    valid, form, errors = submit({**GOOD, "crops": ["beans"], "fields": "99"})
    assert valid, errors       # fields is not relevant without maize: its constraint is moot
    assert "fields" not in form.answers() and form.answers()["crops"] == ["beans"]


@pytest.mark.parametrize("language, message", [
    ("fr", "Choisissez au moins une culture."), ("en", "Choose at least one crop.")])
def test_the_xlsforms_required_message_in_the_users_language(submit, language, message):
    valid, form, errors = submit({**GOOD, "crops": []}, language)
    assert not valid and errors["crops"] == [message]


@pytest.mark.parametrize("language, message", [
    ("fr", "Ce champ est obligatoire."), ("en", "This field is required.")])
def test_the_default_required_message_is_translated(submit, language, message):
    valid, form, errors = submit({**GOOD, "farms": ""}, language)
    assert not valid and errors["farms"] == [message]


@pytest.mark.parametrize("language, message", [("fr", "Entre 1 et 20."), ("en", "From 1 to 20.")])
def test_the_xlsforms_constraint_message(submit, language, message):
    valid, form, errors = submit({**GOOD, "fields": "21"}, language)
    assert not valid and errors["fields"] == [message]


def test_the_default_constraint_message(submit):
    valid, form, errors = submit({**GOOD, "hectares": "0"})
    assert not valid and errors["hectares"] == ["This answer does not meet the questionnaire’s "
                                                "rule."]


def test_an_empty_optional_answer_skips_its_constraint(submit):
    valid, form, errors = submit({**GOOD, "hectares": "", "since": "", "remark": ""})
    assert valid, errors
    assert form.answers()["hectares"] is None


@pytest.mark.parametrize("change, field", [
    ({"farms": "maybe"}, "farms"),
    ({"crops": ["maize", "rice"]}, "crops"),
    ({"fields": "three"}, "fields"),
    ({"since": "yesterday"}, "since"),
    ({"remark": "x" * (TEXT_MAX + 1)}, "remark"),
])
def test_bad_input_is_refused_at_its_field(submit, change, field):
    valid, form, errors = submit({**GOOD, **change})
    assert not valid and errors[field]
    assert [name for name, messages in errors.items() if messages] == [field]


def test_the_required_flag_shows_on_the_field(app):
    with app.test_request_context("/"):
        form = FarmForm()
        assert form.farms.flags.required and not form.remark.flags.required


def test_the_questions_render_without_script_in_groups_with_checkboxes(app):
    from flask import render_template_string

    template = ('{% from "field/_questionnaire.html" import questions %}'
                '{{ questions(form) }}')
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        html = render_template_string(template, form=FarmForm())
    assert '<legend>Cultures' in html and 'type="checkbox"' in html and "Manioc" in html
    assert '<p class="hint">Merci</p>' in html and "<textarea" in html
    assert "<script" not in html
