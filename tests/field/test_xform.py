"""The XForm for ODK from the same XLSForm: well-formed, with the form id and version, both
languages (itext), the coded binds; ODK Validate (bundled with pyxform) accepts it when Java is
there."""
import shutil

import defusedxml.ElementTree as ET
import pytest

from icrs.field.questionnaire import QuestionnaireError, path_of
from icrs.field.xform import to_xform, xform_of
from tests.field.xlsforms import FARM, row, xlsx

XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"


def _parts(xml):
    root = ET.fromstring(xml.encode())
    model = root.find(f"{H}head/{XF}model")
    data = model.find(f"{XF}instance")[0]
    languages = {t.get("lang") for t in model.find(f"{XF}itext").findall(f"{XF}translation")}
    return model, data, languages


def test_the_follow_up_visit_xform_is_well_formed_and_carries_id_version_and_languages():
    model, data, languages = _parts(xform_of("follow_up_visit"))
    assert data.get("id") == "follow_up_visit" and data.get("version") == "2026120401"
    assert languages == {"Français (fr)", "English (en)"}
    binds = {b.get("nodeset"): b for b in model.findall(f"{XF}bind")}
    coded = binds["/data/livelihood/activity"]
    assert coded.get("{urn:icrs:xlsform}coded") == "yes" and coded.get("required") == "true()"
    assert data.find(f"{XF}meta/{XF}instanceID") is not None


def test_both_languages_carry_the_labels():
    xml = xform_of("follow_up_visit")
    assert "I have felt calm and relaxed" in xml
    assert "Je me suis senti(e) calme et tranquille" in xml


def test_a_small_form_converts_with_its_relevance_and_constraint():
    xml = to_xform(xlsx(FARM))
    model, data, languages = _parts(xml)
    binds = {b.get("nodeset"): b for b in model.findall(f"{XF}bind")}
    assert data.get("id") == "test_form" and languages == {"Français (fr)", "English (en)"}
    assert binds["/data/crops"].get("relevant").strip().startswith("/data/farms")
    assert binds["/data/fields"].get("constraint") == ". >= 1 and . <= 20"


def test_a_form_icrs_cannot_serve_gets_no_xform():
    with pytest.raises(QuestionnaireError):
        to_xform(xlsx([row("text", "remark", coded="yes")]))


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_the_follow_up_visit_form():
    assert "<h:html" in to_xform(path_of("follow_up_visit"), validate=True)
