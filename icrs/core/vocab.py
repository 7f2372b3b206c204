"""Coded vocabularies shared by people, directory eligibility, referrals and dashboards."""
import re

from flask_babel import lazy_gettext as _l

from icrs import lookups
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

# THE language vocabulary (people, profiles, the service directory, matching, exports), a list
# administrators adapt (icrs.lookups): ISO 639 codes (639-1, or 639-3 where there is none), and
# the English label is the name stored with a service's language (HSDS `name`). Cameroonian
# Pidgin is `wes` (ISO 639-3), never `pcm` (Nigerian Pidgin). Migration 0014 writes the rows.
LANGUAGE = lookups.register(lookups.Vocabulary(
    "language", _l("Languages"),
    (("fr", _l("French")), ("en", _l("English")), ("wes", _l("Cameroonian Pidgin")),
     ("ff", _l("Fulfulde")), ("ha", _l("Hausa")), ("kr", _l("Kanuri")),
     ("shu", _l("Chadian Arabic (Shuwa)")), ("mua", _l("Mundang")), ("mfh", _l("Matal")),
     ("other", _l("Other"))),
    _l("Languages people speak and services offer. The English label is the name given in "
       "HSDS exports."),
    protected=frozenset({"other"}),
    code_pattern=re.compile(r"^[a-z]{2,3}$"),
    code_rule=_l("Use the language's ISO 639 code: two or three lowercase letters (ISO 639-1, "
                 "or ISO 639-3 when the language has no two-letter code), such as ha or wes.")))
# Services offer real languages: "other" is only an answer about a person.
NOT_A_SERVICE_LANGUAGE = ("other",)


def language_choices(keep=None, services=False):
    """The languages offered (active ones, plus the record's own `keep` codes if retired)."""
    return lookups.choices("language", canonical_languages(_as_list(keep)),
                           exclude=NOT_A_SERVICE_LANGUAGE if services else ())


def _as_list(keep):
    return [keep] if isinstance(keep, str) else list(keep or ())


def language_label(code):
    return lookups.label("language", canonical_language(code))


def language_labels(codes):
    return ", ".join(language_label(c) for c in canonical_languages(codes))


def language_name(code):
    """The locale-independent (English) name, as HSDS exchanges it."""
    return lookups.label_in("language", canonical_language(code), "en")


def is_language(code, allow_retired=False, services=False):
    code = canonical_language(code)
    if services and code in NOT_A_SERVICE_LANGUAGE:
        return False
    return lookups.is_valid("language", code, allow_retired=allow_retired)


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


# Service categories (directory taxonomy codes) whose sharing consent is asked for each referral,
# with the exact fields shown to the person: a consent given for the whole category never
# covers them (GBV and MHPSS referral practice). The one list: people, referrals and the case
# page ask it.
PER_REFERRAL_CONSENT_CATEGORIES = frozenset({"gbv", "mhpss"})
# Categories whose referrals and labels are shown non-specifically to those outside the need to
# know, and whose packet may carry a survivor code instead of the name.
PROTECTION_CATEGORIES = frozenset({"gbv"})
