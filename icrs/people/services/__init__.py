"""People operations (flush, never commit), one module per verb family, all importable from here.

Stage moves live in icrs.people.stages; counselling, plans, notes and follow-ups in
icrs.people.casework.
"""
from icrs.people.services.assignment import reassign
from icrs.people.services.break_glass import break_glass, case_supervisors, region_uses
from icrs.people.services.consent import (
    active_consents,
    consented_categories,
    consents_needing_renewal,
    counting_consent,
    has_consent,
    in_force,
    record_consent,
    withdraw_consent,
)
from icrs.people.services.consent_givers import record_consent_of_all
from icrs.people.services.duplicates import (
    Candidate,
    find_duplicate_candidates,
    find_duplicates,
    index_names,
)
from icrs.people.services.registration import (
    IDENTITY_FIELDS,
    PLAIN_FIELDS,
    check_identity,
    check_site_open,
    community_member_data,
    create_person,
    next_case_number,
    next_case_numbers,
    register_community_member,
    register_person,
    update_identity,
)
from icrs.people.services.viewing import mark_viewed, record_list_view

__all__ = [
    "Candidate", "IDENTITY_FIELDS", "PLAIN_FIELDS", "active_consents", "break_glass",
    "case_supervisors", "check_identity", "check_site_open", "community_member_data",
    "consented_categories",
    "consents_needing_renewal", "counting_consent",
    "create_person", "find_duplicate_candidates", "find_duplicates", "has_consent", "in_force",
    "index_names", "mark_viewed", "next_case_number", "next_case_numbers", "reassign",
    "record_consent", "record_consent_of_all", "record_list_view", "region_uses",
    "register_community_member", "register_person", "update_identity", "withdraw_consent",
]
