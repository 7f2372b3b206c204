"""Directory vocabulary: service status, referral method; person categories, sex and languages
are the shared ones of `icrs.core.vocab`, re-exported."""
from flask_babel import lazy_gettext as _l

from icrs.core.enums import LabelledEnum, with_labels
from icrs.core.vocab import (  # noqa: F401 - re-exported for the directory
    LANGUAGE_NAMES,
    SERVICE_LANGUAGES,
    PersonCategory,
    Sex,
)


class ServiceStatus(LabelledEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    TEMPORARILY_CLOSED = "temporarily_closed"

    @property
    def hsds(self):
        """HSDS 3.0 spells it with a space."""
        return self.value.replace("_", " ")

    @classmethod
    def from_hsds(cls, value):
        if value == "defunct":
            return cls.INACTIVE
        return cls(value.replace(" ", "_"))


with_labels(ServiceStatus, {
    "active": _l("Active"),
    "inactive": _l("Inactive"),
    "temporarily_closed": _l("Temporarily closed"),
})


class ReferralMethod(LabelledEnum):
    ICRS = "icrs"
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"


with_labels(ReferralMethod, {
    "icrs": _l("Referral through ICRS"),
    "phone": _l("Phone call"),
    "email": _l("Email"),
    "in_person": _l("Accompanied visit in person"),
    "letter": _l("Referral letter"),
})
