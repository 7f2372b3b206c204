"""The non-specific label: who sees that a person was referred to a GBV service (or consented to
share with one), and what everyone else sees instead. The one function every page, list,
timeline and notification asks."""
from flask_babel import lazy_gettext as _l

from icrs.core.vocab import PER_REFERRAL_CONSENT_CATEGORIES, PROTECTION_CATEGORIES
from icrs.people.need_to_know import may_read_sensitive

PROTECTION_LABEL = _l("Specialised protection service")


def is_protection_category(code) -> bool:
    return code in PROTECTION_CATEGORIES


def asks_per_referral(code) -> bool:
    """Sharing with this category is consented referral by referral, never for the category."""
    return code in PER_REFERRAL_CONSENT_CATEGORIES


def may_know(code, user, person, own_service=False) -> bool:
    """The viewer may know that this category concerns the person: it is no protection
    category, or they are the provider it is addressed to (`own_service`), or they may read the
    person's sensitive sections (the assigned caseworker, the area's supervisors, break-glass)."""
    if not is_protection_category(code) or own_service:
        return True
    return user is not None and may_read_sensitive(user, person)


def category_label(code, label, user, person, own_service=False):
    """`label` (a service's or a category's name) when the viewer may know; else the
    non-specific label (a same-site colleague, a notification's reader, a list)."""
    return label if may_know(code, user, person, own_service) else PROTECTION_LABEL
