"""The XForms generated from our XLSForms, in ODK's own engine (@getodk/xforms-engine, behind ODK
Web Forms; tests/field/xform_engine.py): every questionnaire shipped (icrs/field/forms/*.xlsx)
and the small test form with relevance and constraints load, are answered as a user would, and
the submission XML the engine serialises is read back by icrs.field.submission_xml with the
right form id, version, instanceID, value encodings and the non-relevant questions empty.
ODK Validate (bundled with pyxform) also accepts them when Java is installed.
"""
import datetime as dt
import shutil
import uuid
from decimal import Decimal

import defusedxml.ElementTree as ET
import pytest

from icrs.field.questionnaire import FORMS_DIR, path_of, read
from icrs.field.submission_xml import read_submission, submission_answers
from icrs.field.xform import to_xform
from tests.field.xform_engine import EngineRefused, engine
from tests.field.xlsforms import FARM, xlsx

SHIPPED = sorted(path.stem for path in FORMS_DIR.glob("*.xlsx"))
FORMS = [pytest.param(lambda name=name: path_of(name), id=name) for name in SHIPPED] + \
        [pytest.param(lambda: xlsx(FARM), id="test_form")]
CANDIDATES = {
    "integer": [3, 1, 2, 5, 10, 0, 20, 100, -1],
    "decimal": ["2.5", "1", "0.5", "10", "100"],
    "date": ["2026-11-30", "2026-01-15", "2000-06-01"],
    "text": ["Réponse « test » & <b>pas une balise</b>\nsur deux lignes"],
}


@pytest.fixture(scope="session")
def xform_engine():
    return engine()


@pytest.fixture(scope="module")
def farm():
    source = xlsx(FARM)
    return read(source), to_xform(source)


def test_every_shipped_questionnaire_is_tried():
    assert "follow_up_visit" in SHIPPED


# --- answers valid per the form -------------------------------------------------------------------
def _candidates(question):
    if question.type == "select_one":
        return list(question.codes)
    if question.type == "select_multiple":
        codes = list(question.codes)
        return [codes[:2], *[[code] for code in codes]]
    return CANDIDATES[question.type]


def _typed(question, value):
    """`value` as submission_answers gives it back."""
    match question.type:
        case "integer":
            return int(value)
        case "decimal":
            return Decimal(value)
        case "date":
            return dt.date.fromisoformat(value)
        case "select_multiple":
            return list(value)
    return value


def _valid_answers(questionnaire):
    """(what a user types, what submission_answers must read): every question relevant with the
    answers before it (icrs.field.expressions, the web form's rule) answered with the first
    candidate its constraint accepts; the others None."""
    given, expected = {}, {}
    for group in questionnaire.groups:
        shown = group.relevant is None or group.relevant.evaluate(expected)
        for q in group.questions:
            if q.type == "note":
                continue
            expected[q.name] = None
            if not shown or (q.relevant is not None and not q.relevant.evaluate(expected)):
                continue
            for value in _candidates(q):
                if q.constraint is None or q.constraint.evaluate(expected, _typed(q, value)):
                    given[q.name], expected[q.name] = value, _typed(q, value)
                    break
            else:
                pytest.fail(f"{questionnaire.form_id}: no test answer for {q.name!r} meets its "
                            "constraint; add one to CANDIDATES")
    return given, expected


def _leaves(xml: bytes) -> dict:
    """{question name: text} of the submission's leaf elements (meta apart)."""
    root = ET.fromstring(xml)
    leaves = {}
    for element in root.iter():
        name = element.tag.rpartition("}")[2]
        if element is not root and len(element) == 0 and name not in ("instanceID",):
            leaves[name] = element.text or ""
    return leaves


def _encoded(question, value) -> str:
    if question.type == "select_multiple":
        return " ".join(value)
    return str(value)


@pytest.mark.parametrize("source", FORMS)
def test_the_engine_fills_the_form_and_its_submission_reads_back(xform_engine, source):
    questionnaire, xform = read(source()), to_xform(source())
    given, expected = _valid_answers(questionnaire)
    filled = xform_engine.fill(xform, given)
    assert filled.ready, filled.violations

    root = ET.fromstring(filled.xml)
    assert (root.get("id"), root.get("version")) == (questionnaire.form_id, questionnaire.version)
    leaves = _leaves(filled.xml)
    for name, value in given.items():
        question = questionnaire.question(name)
        assert leaves[name] == _encoded(question, value), name
        if question.type == "date":
            assert dt.date.fromisoformat(leaves[name]).isoformat() == leaves[name]
    for name in expected.keys() - given.keys():
        assert not leaves.get(name), f"{name} is not relevant but has {leaves[name]!r}"

    submission = read_submission(filled.xml, questionnaire)
    assert submission.answers == expected == submission_answers(filled.xml, questionnaire)
    assert submission.instance_id.startswith("uuid:")
    assert str(uuid.UUID(submission.instance_id[5:])) == submission.instance_id[5:]
    assert submission.deprecated_id is None


@pytest.mark.parametrize("source", FORMS)
def test_the_engine_reports_every_required_answer_missing(xform_engine, source):
    questionnaire, xform = read(source()), to_xform(source())
    required = {q.name for g in questionnaire.groups if g.relevant is None
                for q in g.questions if q.required and q.relevant is None}
    filled = xform_engine.fill(xform, {})
    assert not filled.ready or not required
    assert {v["question"] for v in filled.violations if v["condition"] == "required"} >= required
    assert all(value is None for value in submission_answers(filled.xml, questionnaire).values())


# --- relevance and constraints (the small form) ---------------------------------------------------
def test_answers_made_irrelevant_are_left_out(xform_engine, farm):
    questionnaire, xform = farm
    filled = xform_engine.fill(xform, [("farms", "yes"), ("crops", ["maize", "cassava"]),
                                       ("fields", 4), ("farms", "no")])
    assert filled.ready
    answers = submission_answers(filled.xml, questionnaire)
    assert answers["farms"] == "no" and answers["crops"] is None and answers["fields"] is None
    assert not _leaves(filled.xml).get("crops") and not _leaves(filled.xml).get("fields")


def test_a_question_shown_by_a_selected_choice(xform_engine, farm):
    questionnaire, xform = farm
    with pytest.raises(EngineRefused, match="not relevant"):
        xform_engine.fill(xform, {"farms": "yes", "crops": ["beans"], "fields": 4})
    filled = xform_engine.fill(xform, {"farms": "yes", "crops": ["beans", "maize"], "fields": 4})
    answers = submission_answers(filled.xml, questionnaire)   # the codes in the form's order
    assert filled.ready and answers["crops"] == ["maize", "beans"] and answers["fields"] == 4


def test_the_engine_reports_a_broken_constraint_with_the_forms_message(xform_engine, farm):
    _, xform = farm
    filled = xform_engine.fill(xform, {"farms": "yes", "crops": ["maize"], "fields": 25,
                                       "hectares": "0"})
    assert not filled.ready
    assert filled.violated("fields") == {"question": "fields", "reference": "/data/fields",
                                         "condition": "constraint", "message": "Entre 1 et 20."}
    assert filled.violated("hectares")["condition"] == "constraint"
    assert filled.violated("crops") is None and filled.violated("farms") is None


def test_the_engine_reports_a_required_relevant_question_with_the_forms_message(xform_engine,
                                                                                  farm):
    _, xform = farm
    filled = xform_engine.fill(xform, {"farms": "yes"})
    assert filled.violated("crops") == {"question": "crops", "reference": "/data/crops",
                                        "condition": "required",
                                        "message": "Choisissez au moins une culture."}
    assert xform_engine.fill(xform, {"farms": "no"}).ready


def test_a_code_the_form_does_not_offer_cannot_be_chosen(xform_engine, farm):
    _, xform = farm
    with pytest.raises(EngineRefused, match="offers no"):
        xform_engine.fill(xform, {"farms": "maybe"})
    with pytest.raises(EngineRefused, match="no question named"):
        xform_engine.fill(xform, {"unknown": "x"})


# --- ODK Validate -------------------------------------------------------------------------------
@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
@pytest.mark.parametrize("source", FORMS)
def test_odk_validate_accepts_the_form(source):
    assert "<h:html" in to_xform(source(), validate=True)
