"""Directory vocabulary: service status, referral method; person categories, sex and languages
are the shared ones of `icrs.core.vocab`, re-exported."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum
from icrs.core.vocab import (  # noqa: F401 - re-exported for the directory
    NOT_A_SERVICE_LANGUAGE,
    PersonCategory,
    Sex,
    is_language,
    language_name,
)


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


