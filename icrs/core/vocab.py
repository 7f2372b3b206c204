"""Coded vocabularies shared by people, directory eligibility, referrals and dashboards."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels


class Sex(LabelledEnum):
    FEMALE = "female"
    MALE = "male"


with_labels(Sex, {"female": _l("Female"), "male": _l("Male")})


class PersonCategory(LabelledEnum):
    ADULT_MAN = "adult_man"
    ADULT_WOMAN = "adult_woman"
    CAAFAG = "caafag"
    PERSON_WITH_DISABILITY = "person_with_disability"
    DEPENDANT = "dependant"


with_labels(PersonCategory, {
    "adult_man": _l("Adult man"),
    "adult_woman": _l("Adult woman"),
    "caafag": _l("Child associated with armed forces or groups"),
    "person_with_disability": _l("Person with disability"),
    "dependant": _l("Dependant"),
})

# Languages spoken in the programme areas (ISO 639 codes where they exist).
LANGUAGES = [
    ("fr", _l("French")), ("en", _l("English")), ("pcm", _l("Cameroonian Pidgin")),
    ("ff", _l("Fulfulde")), ("ha", _l("Hausa")), ("kr", _l("Kanuri")),
    ("shu", _l("Chadian Arabic")), ("mua", _l("Mundang")), ("mfh", _l("Matal")),
    ("other", _l("Other")),
]
LANGUAGE_CODES = {code for code, _ in LANGUAGES}

# Age bands used in reports (configurable through ICRS_AGE_BANDS: list of (low, high|None)).
DEFAULT_AGE_BANDS = [(0, 14), (15, 17), (18, 24), (25, 35), (36, None)]


def age_band_label(low, high):
    return f"{low}+" if high is None else f"{low}–{high}"
