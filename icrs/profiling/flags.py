"""Vulnerability flags derived from a person's coarse fields and profile answers. Pure Python:
no Flask request, no database; unit-tested over a table of cases."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum
from icrs.profiling.sections.choices import WG_SEVERE
from icrs.profiling.sections.wellbeing import WG_DOMAINS

CHILD_AGE = 18


class VulnerabilityFlag(LabelledEnum):
    CHILD = "child", _l("Child (under 18)")
    SEPARATED_CHILD = "separated_child", _l("Unaccompanied or separated child")
    FEMALE_HEAD = "female_head_of_household", _l("Female head of household")
    DISABILITY = "disability", _l("Disability")
    CHRONIC_ILLNESS = "chronic_illness", _l("Chronic illness")
    PREGNANT_LACTATING = "pregnant_or_lactating", _l("Pregnant or breastfeeding")
    NO_INCOME = "no_income", _l("No income")
    SECURITY_THREAT = "security_threat", _l("Security threat")
    PROTECTION_SUPPORT = "protection_support", _l("Needs specialised protection support")
    PSYCHOSOCIAL_SUPPORT = "psychosocial_support", _l("Needs psychosocial support")


# Flags that come from a sensitive section: hidden from users without the sensitive permission.
SENSITIVE_FLAGS = frozenset({"disability", "chronic_illness", "pregnant_or_lactating",
                             "security_threat", "protection_support", "psychosocial_support"})


def derive_flags(person_fields: dict, answers: dict) -> list[str]:
    """person_fields: {"age": int | None, "sex": "female" | "male"};
    answers: {section_code: {question: value}}. Returns flag codes in a stable order."""
    get = _getter(answers)
    age = person_fields.get("age")
    child = age is not None and age < CHILD_AGE
    found = {
        "child": child,
        "separated_child": child and get("household", "separated_from_parents") == "yes",
        "female_head_of_household": person_fields.get("sex") == "female"
        and get("household", "head_of_household") == "self",
        "disability": any(get("health", d) in WG_SEVERE for d in WG_DOMAINS),
        "chronic_illness": get("health", "chronic_illness") == "yes",
        "pregnant_or_lactating": get("health", "pregnancy") in ("pregnant", "lactating"),
        "no_income": get("work", "has_income") == "no",
        "security_threat": get("security", "threatened") == "yes"
        or get("security", "feels_safe") == "no" or get("security", "relocation_needed") == "yes",
        "protection_support": get("security", "gbv_support_wanted") == "yes",
        "psychosocial_support": get("psychosocial", "wants_support") == "yes"
        or get("psychosocial", "hopelessness") == "often",
    }
    return [flag.value for flag in VulnerabilityFlag if found[flag.value]]


def _getter(answers):
    def get(section, question):
        return ((answers or {}).get(section) or {}).get(question)
    return get


def flag_labels(codes, include_sensitive=True):
    """[(code, label)] for display; unknown codes (from an older vocabulary) keep their code."""
    labels = VulnerabilityFlag._label_map()
    return [(code, labels.get(code, code)) for code in codes or ()
            if include_sensitive or code not in SENSITIVE_FLAGS]
