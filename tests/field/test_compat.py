"""The rules a new questionnaire version must follow (icrs.field.compat), without a database."""
import pytest
from flask_babel import force_locale

from icrs.field import compat
from icrs.field.questionnaire import read
from tests.field.xlsforms import CHOICES, FARM, SETTINGS, follow_up_visit, row, xlsx

CURRENT = read(xlsx(FARM))


@pytest.fixture(autouse=True)
def english(app):
    """The messages in English (the tests read them)."""
    with app.test_request_context("/"), force_locale("en"):
        yield



def _settings(version="2026120402", form_id="test_form"):
    return [SETTINGS[0], [form_id, version, *SETTINGS[1][2:]]]


def _new(rows=FARM, choices=CHOICES, **settings):
    return read(xlsx(rows, choices=choices, settings=_settings(**settings)))


def _messages(current, new, store=None):
    return [str(message) for message in compat.check(current, new, store)]


@pytest.mark.parametrize("older, newer", [("2026120401", "2026120402"), ("1.9", "1.10"),
                                          ("9", "10"), ("1.0", "1.0.1"), ("v1", "v2")])
def test_versions_compare_their_numbers(older, newer):
    assert compat.newer(newer, older) and not compat.newer(older, newer)
    assert not compat.newer(older, older)


def test_a_new_optional_question_is_compatible(app):
    new = _new(FARM + [row("integer", "children", "Enfants", "Children")])
    assert compat.check(CURRENT, new) == []
    changes = compat.changes(CURRENT, new)
    assert changes.added == ("children",) and changes.removed == ()


def test_a_question_that_is_not_coded_may_go(app):
    new = _new([r for r in FARM if r[1] != "remark"])
    assert compat.check(CURRENT, new) == []
    assert compat.changes(CURRENT, new).removed == ("remark",)


def test_a_code_may_be_added(app):
    new = _new(choices=CHOICES + [["crops", "millet", "Mil", "Millet"]])
    assert compat.check(CURRENT, new) == []
    assert compat.changes(CURRENT, new).new_codes == (("crops", "millet"),)


@pytest.mark.parametrize("version", ["2026120401", "2026120400", "2025"])
def test_the_version_must_be_greater(app, version):
    assert _messages(CURRENT, _new(version=version)) == [
        f"The version {version} must be greater than the current one (2026120401)."]


def test_the_form_id_must_be_the_same(app):
    assert _messages(CURRENT, _new(form_id="other_form")) == [
        "This file is the form «other_form», not «test_form»."]


def test_a_coded_question_may_not_go(app):
    new = _new([r for r in FARM if r[1] != "fields"])
    assert _messages(CURRENT, new) == ["The coded question «fields» is missing."]


def test_a_coded_question_may_not_change_type(app):
    rows = [row("text", "fields", "Champs", "Fields") if r[1] == "fields" else r for r in FARM]
    assert _messages(CURRENT, _new(rows)) == [
        "The question «fields» must stay coded (bind::icrs:coded).",
        "The coded question «fields» changes type."]
    rows = [row("decimal", "fields", coded="yes") if r[1] == "fields" else r for r in FARM]
    assert _messages(CURRENT, _new(rows)) == ["The coded question «fields» changes type."]
    rows = [row("select_multiple yn", "farms", coded="yes") if r[1] == "farms" else r
            for r in FARM]
    assert _messages(CURRENT, _new(rows)) == ["The coded question «farms» changes type."]


def test_a_coded_question_keeps_its_choice_list(app):
    choices = CHOICES + [["yesno", "yes", "Oui", "Yes"], ["yesno", "no", "Non", "No"]]
    rows = [row("select_one yesno", "farms", coded="yes") if r[1] == "farms" else r
            for r in FARM]
    assert _messages(CURRENT, _new(rows, choices)) == [
        "The coded question «farms» changes its choice list (yn, not yesno)."]


def test_a_code_may_not_go(app):
    choices = [c for c in CHOICES if c[1] != "beans"]
    assert _messages(CURRENT, _new(choices=choices)) == [
        "The code «beans» of the coded question «crops» is removed."]


def test_every_reason_is_given(app):
    new = _new([r for r in FARM if r[1] != "fields"], [c for c in CHOICES if c[1] != "beans"],
               version="1")
    assert _messages(CURRENT, new) == [
        "The version 1 must be greater than the current one (2026120401).",
        "The code «beans» of the coded question «crops» is removed.",
        "The coded question «fields» is missing."]


def test_the_store_keeps_only_its_columns_and_codes(app):
    store = compat.Store(columns={"farms": frozenset({"yes", "no"}), "crops": None,
                                  "fields": None}, needed=frozenset({"remark"}))
    assert compat.check(CURRENT, _new(), store) == []
    new = _new(FARM + [row("integer", "goats", coded="yes")],
               choices=CHOICES + [["yn", "maybe", "Peut-être", "Maybe"]])
    assert _messages(CURRENT, new, store) == [
        "The code «maybe» of «farms» cannot be kept.",
        "The coded question «goats» has no column to keep its answers."]
    assert _messages(CURRENT, _new([r for r in FARM if r[1] != "remark"]), store) == [
        "The question «remark» is missing."]


def test_the_follow_up_visit_variants(app):
    from icrs.field.questionnaire import load
    shipped = load("follow_up_visit")
    assert compat.check(shipped, read(follow_up_visit())) == []
    assert _messages(shipped, read(follow_up_visit(drop=("activity",)))) == [
        "The coded question «activity» is missing."]
