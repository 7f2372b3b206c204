"""People operations (flush, never commit), one module per verb family, all importable from here.

Stage moves live in icrs.people.stages; counselling, plans, notes and follow-ups in
icrs.people.casework.
"""
from icrs.people.services.assignment import reassign
from icrs.people.services.break_glass import break_glass, case_supervisors, region_uses
from icrs.people.services.consent import (
    CONSENT_TEXT_VERSION,
    active_consents,
    has_consent,
    record_consent,
    withdraw_consent,
)
from icrs.people.services.duplicates import find_duplicates
from icrs.people.services.registration import (
    IDENTITY_FIELDS,
    PLAIN_FIELDS,
    check_site_open,
    next_case_number,
    register_person,
    update_identity,
)
from icrs.people.services.viewing import mark_viewed, record_list_view

__all__ = [
    "CONSENT_TEXT_VERSION", "IDENTITY_FIELDS", "PLAIN_FIELDS", "active_consents",
    "break_glass", "case_supervisors", "region_uses",
    "check_site_open", "find_duplicates", "has_consent", "mark_viewed", "next_case_number",
    "reassign",
    "record_consent", "record_list_view", "register_person", "update_identity",
    "withdraw_consent",
]
