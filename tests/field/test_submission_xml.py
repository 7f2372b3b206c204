"""Reading a submission instance (ODK Collect's, KoBoCollect's, ODK Web Forms') into typed answers:
the questionnaire's types, groups as nested elements, meta/instanceID; refusals for another form
or version, unsafe or malformed XML, unknown or repeated elements and values that do not parse."""
import datetime as dt
import re
from decimal import Decimal

import pytest

from icrs.field.questionnaire import load, read
from icrs.field.submission_xml import (
    MAX_BYTES,
    SubmissionError,
    read_submission,
    submission_answers,
)
from tests.field.xlsforms import FARM, xlsx

ID = "uuid:0b487e8f-0a31-4149-807e-8ed45c01194a"
META = f"<meta><instanceID>{ID}</instanceID></meta>"


@pytest.fixture(scope="module")
def farm():
    return read(xlsx(FARM))


def _farm(body: str, meta: str = META, root='data id="test_form" version="2026120401"') -> bytes:
    return f'<?xml version="1.0"?><{root}>{body}{meta}</{root.split()[0]}>'.encode()


def test_a_collect_submission_reads_with_the_questionnaires_types(farm):
    xml = f"""<?xml version='1.0' ?>
<data id="test_form" version="2026120401" xmlns:jr="http://openrosa.org/javarosa"
      xmlns:orx="http://openrosa.org/xforms">
  <farms>yes</farms>
  <crops>maize cassava</crops>
  <fields>12</fields>
  <hectares>2.50</hectares>
  <since>2024-03-01</since>
  <remark>Récolte « bonne » &amp; vendue</remark>
  <thanks/>
  <orx:meta><orx:instanceID>{ID}</orx:instanceID></orx:meta>
</data>""".encode()
    submission = read_submission(xml, farm)
    assert submission.answers == {
        "farms": "yes", "crops": ["maize", "cassava"], "fields": 12,
        "hectares": Decimal("2.50"), "since": dt.date(2024, 3, 1),
        "remark": "Récolte « bonne » & vendue"}
    assert (submission.form_id, submission.version) == ("test_form", "2026120401")
    assert submission.instance_id == ID and submission.deprecated_id is None
    assert submission_answers(xml, farm) == submission.answers


def test_absent_and_empty_answers_are_none_and_the_xforms_namespace_is_accepted(farm):
    xml = _farm("<farms>no</farms><crops/><remark>   </remark>",
                root='data xmlns="http://www.w3.org/2002/xforms" id="test_form" '
                     'version="2026120401"')
    answers = submission_answers(xml, farm)
    assert answers["farms"] == "no"
    assert all(answers[name] is None for name in ("crops", "fields", "hectares", "since",
                                                   "remark"))
    assert "thanks" not in answers   # a note is not an answer


def test_group_answers_sit_in_their_group_element():
    questionnaire = load("follow_up_visit")
    xml = (f'<data id="follow_up_visit" version="2026120401"><visit><visit_date>2026-11-30'
           f'</visit_date><visit_type>home</visit_type></visit><wellbeing><who5_intro/>'
           f'<who5_calm>4</who5_calm></wellbeing><note>Bien</note>{META}</data>').encode()
    answers = submission_answers(xml, questionnaire)
    assert answers["visit_date"] == dt.date(2026, 11, 30) and answers["visit_type"] == "home"
    assert answers["who5_calm"] == "4" and answers["note"] == "Bien"
    assert answers["activity"] is None
    outside = xml.replace(b"<visit><visit_date>2026-11-30</visit_date>",
                          b"<visit_date>2026-11-30</visit_date><visit>")
    with pytest.raises(SubmissionError, match="no question visit_date"):
        submission_answers(outside, questionnaire)
    elsewhere = xml.replace(b"<who5_intro/>", b"<activity>farming</activity>")
    with pytest.raises(SubmissionError, match="no question wellbeing/activity"):
        submission_answers(elsewhere, questionnaire)


def test_an_edit_carries_the_id_it_replaces(farm):
    earlier = "uuid:11111111-2222-4333-8444-555555555555"
    xml = _farm("<farms>no</farms>", meta=f"<meta><instanceID>{ID}</instanceID><deprecatedID>"
                                          f"{earlier}</deprecatedID><instanceName>x"
                                          f"</instanceName></meta>")
    assert read_submission(xml, farm).deprecated_id == earlier


@pytest.mark.parametrize("root, reason", [
    ('data id="other_form" version="2026120401"', "form other_form, not test_form"),
    ('data version="2026120401"', "form —, not test_form"),
    ('data id="test_form" version="2026120402"', "version 2026120402 of test_form"),
    ('data id="test_form"', "version — of test_form"),
    ('x:data xmlns:x="urn:other" id="test_form" version="2026120401"', "Unexpected element"),
])
def test_another_form_or_version_is_refused(farm, root, reason):
    with pytest.raises(SubmissionError, match=reason):
        submission_answers(_farm("<farms>no</farms>", root=root), farm)


@pytest.mark.parametrize("meta, reason", [
    ("", "no meta/instanceID"),
    ("<meta/>", "no meta/instanceID"),
    ("<meta><instanceID/></meta>", "no meta/instanceID"),
    ("<meta><instanceID>0b487e8f-0a31-4149-807e-8ed45c01194a</instanceID></meta>", "uuid:"),
    ("<meta><instanceID>uuid:not-a-uuid</instanceID></meta>", "uuid:"),
    (f"<meta><instanceID>{ID}</instanceID><deprecatedID>x</deprecatedID></meta>", "uuid:"),
    (f"<meta><instanceID>{ID}</instanceID><instanceID>{ID}</instanceID></meta>", "twice"),
    (META * 2, "meta appears twice"),
    (f"<meta><instanceID><b>{ID}</b></instanceID></meta>", "not other elements"),
])
def test_a_submission_without_a_valid_instance_id_is_refused(farm, meta, reason):
    with pytest.raises(SubmissionError, match=reason):
        submission_answers(_farm("<farms>no</farms>", meta=meta), farm)


@pytest.mark.parametrize("xml", [
    b"",
    b"   ",
    b"<data",
    b"not xml",
    b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
    b'<data id="test_form" version="2026120401"><remark>&b;</remark></data>',
    b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<data id="test_form" version="2026120401"><remark>&x;</remark></data>',
    b'<?xml version="1.0"?><!DOCTYPE data SYSTEM "http://example.org/x.dtd"><data/>',
], ids=["empty", "blank", "truncated", "text", "entities", "external-entity", "external-dtd"])
def test_unsafe_or_malformed_xml_is_refused(farm, xml):
    with pytest.raises(SubmissionError):
        submission_answers(xml, farm)


def test_a_submission_over_the_size_limit_is_refused_unparsed(farm):
    xml = _farm(f"<remark>{'x' * MAX_BYTES}</remark>")
    with pytest.raises(SubmissionError, match="larger than"):
        submission_answers(xml, farm)


def test_a_submission_is_bytes(farm):
    with pytest.raises(TypeError):
        submission_answers(_farm("<farms>no</farms>").decode(), farm)


@pytest.mark.parametrize("body, reason", [
    ("<farms>no</farms><farms>yes</farms>", "farms appears twice"),
    ("<farms>no</farms><extra>1</extra>", "no question extra"),
    ('<farms>no</farms><x:remark xmlns:x="urn:other">1</x:remark>', "no question"),
    ("<farms><value>no</value></farms>", "not other elements"),
    ("<farms>maybe</farms>", "“Cultive ?” is not one of its choices"),
    ("<crops>maize rice</crops>", "“Cultures” must be different choices"),
    ("<crops>maize maize</crops>", "“Cultures” must be different choices"),
    ("<fields>3.5</fields>", "“Champs” must be a whole number"),
    ("<fields>1e3</fields>", "“Champs” must be a whole number"),
    ("<fields>2147483648</fields>", "“Champs” must be a whole number"),
    ("<fields>-2147483649</fields>", "“Champs” must be a whole number"),
    ("<hectares>NaN</hectares>", "“Hectares” must be a number"),
    ("<hectares>1,5</hectares>", "“Hectares” must be a number"),
    ("<hectares>1e999</hectares>", "“Hectares” must be a number"),
    ("<since>30/11/2026</since>", "“Depuis” must be a date written YYYY-MM-DD"),
    ("<since>2026-02-30</since>", "“Depuis” must be a date written YYYY-MM-DD"),
    ("<since>2026-11-30T10:00:00</since>", "“Depuis” must be a date written YYYY-MM-DD"),
])
def test_unknown_repeated_or_unparsable_answers_are_refused(farm, body, reason):
    with pytest.raises(SubmissionError, match=re.escape(reason)):
        submission_answers(_farm(body), farm)


def test_numbers_keep_their_sign_and_precision(farm):
    answers = submission_answers(_farm("<fields>-2</fields><hectares>-.5</hectares>"), farm)
    assert answers["fields"] == -2 and answers["hectares"] == Decimal("-0.5")
    assert submission_answers(_farm("<fields>2147483647</fields>"), farm)["fields"] == 2**31 - 1
    assert submission_answers(_farm("<hectares>1.0E-4</hectares>"), farm)["hectares"] == \
        Decimal("0.0001")


@pytest.mark.parametrize("language, message", [
    ("fr", "La réponse à «\u00a0Champs\u00a0» doit être un nombre entier."),
    ("en", "The answer to “Fields” must be a whole number."),
])
def test_the_refusal_is_in_the_requests_language_with_the_questions_label(app, farm, language,
                                                                          message):
    with app.test_request_context(headers={"Accept-Language": language}):
        with pytest.raises(SubmissionError) as refused:
            submission_answers(_farm("<fields>many</fields>"), farm)
        assert str(refused.value) == message
        with pytest.raises(SubmissionError) as refused:
            submission_answers(_farm("<farms>no</farms>", meta=""), farm)
        assert str(refused.value) != "The submission has no meta/instanceID." or language == "en"
