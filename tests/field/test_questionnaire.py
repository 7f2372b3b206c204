"""Reading an XLSForm into the Questionnaire model; the refusals of forms ICRS cannot use."""
import dataclasses

import pytest

from icrs.field.questionnaire import QuestionnaireError, load, read
from tests.field.xlsforms import FARM, SETTINGS, row, xlsx


def test_a_form_is_read_with_its_languages_choices_binds_and_coded_columns():
    form = read(xlsx(FARM))
    assert (form.form_id, form.version, form.title) == ("test_form", "2026120401", "Essai")
    assert [q.name for q in form.questions] == ["farms", "crops", "fields", "hectares", "since",
                                                "remark", "thanks"]
    assert [q.type for q in form.questions] == ["select_one", "select_multiple", "integer",
                                                "decimal", "date", "text", "note"]
    farms, crops, fields = form.questions[:3]
    assert farms.label.get("fr") == "Cultive ?" and farms.label.get("en") == "Farms?"
    assert farms.codes == ("yes", "no") and farms.choices[0].label.get("fr") == "Oui"
    assert farms.required and farms.relevant is None and farms.coded
    assert crops.relevant.source == "${farms} = 'yes'"
    assert crops.required_message.get("en") == "Choose at least one crop."
    assert fields.constraint.evaluate({}, 5) and not fields.constraint.evaluate({}, 21)
    assert fields.constraint_message.get("fr") == "Entre 1 et 20."
    assert [q.name for q in form.coded] == ["farms", "crops", "fields"]
    assert not form.question("remark").required and not form.question("remark").coded


def test_the_model_is_immutable():
    form = read(xlsx(FARM))
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.version = "2"
    with pytest.raises(dataclasses.FrozenInstanceError):
        form.questions[0].required = False
    assert isinstance(form.groups, tuple) and isinstance(form.questions[0].choices, tuple)


def test_groups_keep_their_labels_and_relevance():
    rows = [row("select_one yn", "farms"),
            row("begin_group", "farm", "Exploitation", "Farm", relevant="${farms} = 'yes'"),
            row("integer", "fields"),
            row("end_group", ""),
            row("text", "remark")]
    form = read(xlsx(rows))
    assert [g.name for g in form.groups] == ["", "farm", ""]
    assert form.groups[1].label.get("en") == "Farm"
    assert form.groups[1].relevant.source == "${farms} = 'yes'"
    assert form.question("fields").group == "farm"


def test_a_language_falls_back_to_the_other():
    form = read(xlsx([row("text", "remark", fr="Remarque", en="")]))
    assert form.question("remark").label.get("en") == "Remarque"


@pytest.mark.parametrize("rows, message", [
    ([row("text", "remark", coded="yes")], "cannot be a coded column"),
    ([row("note", "thanks", coded="yes")], "cannot be a coded column"),
    ([row("geopoint", "where")], "not supported"),
    ([row("image", "photo")], "not supported"),
    ([row("barcode", "code")], "not supported"),
    ([row("begin_repeat", "kids"), row("text", "kid"), row("end_repeat", "")],
     "repeats are not supported"),
    ([row("integer", "age", constraint="__import__('os')")], "constraint"),
    ([row("integer", "age", relevant="${age}.__class__")], "relevant"),
    ([row("integer", "age", relevant="${nobody} = 'x'")], "nobody"),
    ([row("integer", "age", relevant=". > 1")], "constraints only"),
    ([row("integer", "age", required="maybe")], "yes or no"),
    ([row("integer", "age", coded="sometimes")], "yes or no"),
    ([row("select_one nolist", "x")], "nolist"),                 # pyxform: an unknown list
    ([row("integer", "age"), row("integer", "age")], "age"),      # pyxform: a duplicate name
    ([row("integer", "1bad")], "Names must begin"),               # pyxform: an invalid name
])
def test_invalid_forms_are_refused_with_a_clear_error(rows, message):
    with pytest.raises(QuestionnaireError, match=message):
        read(xlsx(rows))


def test_a_form_without_a_version_is_refused():
    settings = [SETTINGS[0], [SETTINGS[1][0], "", *SETTINGS[1][2:]]]
    with pytest.raises(QuestionnaireError, match="version"):
        read(xlsx(FARM, settings=settings))


def test_a_coded_form_must_declare_the_icrs_namespace():
    settings = [SETTINGS[0][:4], SETTINGS[1][:4]]
    with pytest.raises(QuestionnaireError, match="namespaces"):
        read(xlsx(FARM, settings=settings))
    assert read(xlsx([row("text", "remark")], settings=settings)).coded == ()


def test_a_language_without_its_code_is_refused():
    header = ["type", "name", "label::French", "label::English"]
    with pytest.raises(QuestionnaireError, match="Name \\(code\\)"):
        read(xlsx([["text", "remark", "Remarque", "Remark"]], header=header))


def test_a_file_that_is_not_an_xlsform_is_refused():
    with pytest.raises(QuestionnaireError):
        read(b"not a spreadsheet")


def test_the_follow_up_visit_form_codes_are_todays_columns_and_codes():
    from icrs.people.follow_ups import ENUM_ITEMS, SCALE_ITEMS
    from icrs.people.outcomes import CODED_ITEMS

    form = load("follow_up_visit")
    assert form.form_id == "follow_up_visit" and form.version
    assert [q.name for q in form.coded] == ["visit_date", *CODED_ITEMS]
    for name, enum in ENUM_ITEMS.items():
        assert form.question(name).codes == tuple(member.value for member in enum), name
    for name, (low, high) in SCALE_ITEMS.items():
        assert sorted(int(code) for code in form.question(name).codes) == \
            list(range(low, high + 1)), name
    assert not form.question("note").coded and form.question("note").type == "text"
    for question in form.questions:
        assert question.label.get("fr") and question.label.get("en"), question.name
        assert question.label.get("fr") != question.label.get("en") or \
            question.name in ("note",), question.name


def test_the_shipped_xlsx_is_the_one_its_definition_makes(tmp_path, monkeypatch):
    """scripts/field/make_xlsforms.py was run after the last edit of the CSV definition."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "field" / "make_xlsforms.py"
    spec = importlib.util.spec_from_file_location("make_xlsforms", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUTPUT", tmp_path)
    made = read(module.make("follow_up_visit"))
    assert made == load("follow_up_visit")
