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

# THE language vocabulary (people, profiles, the service directory, matching, exports): ISO 639
# codes, the English name stored with a service's language (locale-independent, HSDS `name`),
# and the display label. Cameroonian Pidgin is `wes` (ISO 639-3), never `pcm` (Nigerian Pidgin).
_LANGUAGE_TABLE = (
    ("fr", "French", _l("French")),
    ("en", "English", _l("English")),
    ("wes", "Cameroonian Pidgin", _l("Cameroonian Pidgin")),
    ("ff", "Fulfulde", _l("Fulfulde")),
    ("ha", "Hausa", _l("Hausa")),
    ("kr", "Kanuri", _l("Kanuri")),
    ("shu", "Chadian Arabic (Shuwa)", _l("Chadian Arabic (Shuwa)")),
    ("mua", "Mundang", _l("Mundang")),
    ("mfh", "Matal", _l("Matal")),
    ("other", "Other", _l("Other")),
)
LANGUAGES = [(code, label) for code, _name, label in _LANGUAGE_TABLE]
LANGUAGE_CODES = {code for code, _ in LANGUAGES}
LANGUAGE_LABELS = dict(LANGUAGES)
LANGUAGE_NAMES = {code: name for code, name, _label in _LANGUAGE_TABLE}
# Services offer real languages: "other" is only an answer about a person.
SERVICE_LANGUAGES = [(code, label) for code, label in LANGUAGES if code != "other"]
# Codes stored before the vocabulary was one: read as their current code (migration 0007_h1
# converts the plain columns; encrypted answers are converted when read).
LEGACY_LANGUAGE_CODES = {"pcm": "wes"}


def canonical_language(code):
    return LEGACY_LANGUAGE_CODES.get(code, code)


def canonical_languages(codes):
    """The codes in their current spelling, in order, without duplicates."""
    return list(dict.fromkeys(canonical_language(c) for c in codes or ()))


# Age bands used in reports (configurable through ICRS_AGE_BANDS: list of (low, high|None)).
DEFAULT_AGE_BANDS = [(0, 14), (15, 17), (18, 24), (25, 35), (36, None)]


def age_band_label(low, high):
    return f"{low}+" if high is None else f"{low}–{high}"
