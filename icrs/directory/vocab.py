"""Vocabulary shared with people and referrals: person categories, sex, service status."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum
from icrs.core.vocab import PersonCategory, Sex  # noqa: F401 - re-exported for the directory


class ServiceStatus(LabelledEnum):
    ACTIVE = "active", _l("Active")
    INACTIVE = "inactive", _l("Inactive")
    TEMPORARILY_CLOSED = "temporarily_closed", _l("Temporarily closed")

    @property
    def hsds(self):
        """HSDS 3.0 spells it with a space."""
        return self.value.replace("_", " ")

    @classmethod
    def from_hsds(cls, value):
        if value == "defunct":
            return cls.INACTIVE
        return cls(value.replace(" ", "_"))


class ReferralMethod(LabelledEnum):
    ICRS = "icrs", _l("Referral through ICRS")
    PHONE = "phone", _l("Phone call")
    EMAIL = "email", _l("Email")
    IN_PERSON = "in_person", _l("Accompanied visit in person")
    LETTER = "letter", _l("Referral letter")


# ISO 639 codes of languages spoken in the programme areas, with their display names.
LANGUAGES = {
    "fr": _l("French"),
    "en": _l("English"),
    "ff": _l("Fulfulde"),
    "ha": _l("Hausa"),
    "kr": _l("Kanuri"),
    "shu": _l("Chadian Arabic (Shuwa)"),
    "mua": _l("Mundang"),
    "wes": _l("Cameroonian Pidgin"),
}
# Stored (and exported) language names, independent of the user's locale.
LANGUAGE_NAMES = {"fr": "French", "en": "English", "ff": "Fulfulde", "ha": "Hausa",
                  "kr": "Kanuri", "shu": "Chadian Arabic (Shuwa)", "mua": "Mundang",
                  "wes": "Cameroonian Pidgin"}
