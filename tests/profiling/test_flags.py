"""Vulnerability flags: a table of cases over the pure derive_flags function (no app, no DB)."""
import pytest

from icrs.profiling.flags import SENSITIVE_FLAGS, VulnerabilityFlag, derive_flags, flag_labels
from icrs.profiling.sections.wellbeing import WG_DOMAINS

ADULT_MAN = {"age": 30, "sex": "male"}
ADULT_WOMAN = {"age": 30, "sex": "female"}
GIRL = {"age": 15, "sex": "female"}


@pytest.mark.parametrize("person, answers, expected", [
    (ADULT_MAN, {}, []),
    ({"age": None, "sex": "male"}, {}, []),
    (GIRL, {}, ["child"]),
    ({"age": 17, "sex": "male"}, {}, ["child"]),
    ({"age": 18, "sex": "male"}, {}, []),
    (GIRL, {"household": {"separated_from_parents": "yes"}}, ["child", "separated_child"]),
    (GIRL, {"household": {"separated_from_parents": "no"}}, ["child"]),
    # separation is a child-protection flag: not raised for adults
    (ADULT_MAN, {"household": {"separated_from_parents": "yes"}}, []),
    (ADULT_WOMAN, {"household": {"head_of_household": "self"}}, ["female_head_of_household"]),
    (ADULT_MAN, {"household": {"head_of_household": "self"}}, []),
    (ADULT_WOMAN, {"household": {"head_of_household": "spouse"}}, []),
    (ADULT_MAN, {"health": {"chronic_illness": "yes"}}, ["chronic_illness"]),
    (ADULT_WOMAN, {"health": {"pregnancy": "pregnant"}}, ["pregnant_or_lactating"]),
    (ADULT_WOMAN, {"health": {"pregnancy": "lactating"}}, ["pregnant_or_lactating"]),
    (ADULT_WOMAN, {"health": {"pregnancy": "no"}}, []),
    (ADULT_MAN, {"work": {"has_income": "no"}}, ["no_income"]),
    (ADULT_MAN, {"work": {"has_income": "yes"}}, []),
    (ADULT_MAN, {"work": {}}, []),  # unanswered is not "no income"
    (ADULT_MAN, {"security": {"threatened": "yes"}}, ["security_threat"]),
    (ADULT_MAN, {"security": {"feels_safe": "no"}}, ["security_threat"]),
    (ADULT_MAN, {"security": {"feels_safe": "somewhat", "threatened": "no"}}, []),
    (ADULT_MAN, {"security": {"relocation_needed": "yes"}}, ["security_threat"]),
    (ADULT_WOMAN, {"security": {"gbv_disclosed": "yes", "gbv_support_wanted": "yes"}},
     ["protection_support"]),
    (ADULT_WOMAN, {"security": {"gbv_disclosed": "not_said"}}, []),
    (ADULT_MAN, {"psychosocial": {"wants_support": "yes"}}, ["psychosocial_support"]),
    (ADULT_MAN, {"psychosocial": {"hopelessness": "often"}}, ["psychosocial_support"]),
    (ADULT_MAN, {"psychosocial": {"hopelessness": "sometimes"}}, []),
    (GIRL, {"household": {"head_of_household": "self", "separated_from_parents": "yes"},
            "work": {"has_income": "no"}, "health": {"wg_hearing": "cannot"}},
     ["child", "separated_child", "female_head_of_household", "disability", "no_income"]),
])
def test_flags_table(person, answers, expected):
    assert derive_flags(person, answers) == expected


@pytest.mark.parametrize("domain", WG_DOMAINS)
@pytest.mark.parametrize("answer, disabled", [
    ("none", False), ("some", False), ("a_lot", True), ("cannot", True), (None, False),
])
def test_washington_group_disability_cut_off(domain, answer, disabled):
    """WG recommended cut-off: at least one domain "a lot of difficulty" or "cannot do at all"."""
    answers = {"health": {d: "none" for d in WG_DOMAINS} | {domain: answer}}
    assert ("disability" in derive_flags(ADULT_MAN, answers)) is disabled


def test_many_some_difficulties_are_not_a_disability():
    answers = {"health": {d: "some" for d in WG_DOMAINS}}
    assert derive_flags(ADULT_MAN, answers) == []


def test_flags_tolerate_missing_or_empty_sections():
    assert derive_flags(ADULT_MAN, {"health": None, "security": {}}) == []
    assert derive_flags(ADULT_MAN, None) == []


def test_every_flag_has_a_label_and_sensitive_ones_are_filtered(app):
    with app.test_request_context():
        codes = [f.value for f in VulnerabilityFlag]
        labelled = flag_labels(codes)
        assert all(str(label) != code for code, label in labelled)
        shown = [c for c, _ in flag_labels(codes, include_sensitive=False)]
    assert set(shown) == set(codes) - SENSITIVE_FLAGS
    assert "child" in shown and "security_threat" not in shown
