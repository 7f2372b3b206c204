"""Households: who lives with whom, as codes (relationship to the head, sex, birth year, living
together), created and changed from a member's case page.

Public reads for the other domains (icrs.households.services):
- `current_household(person) -> Household | None`: the household the person belongs to now.
- `current_member_person_ids(person) -> set`: the person ids of the registered current members
  of that household, the person included (just {person.id} without a household) — what the
  assistance ledger caps per household.
- `household_counts(person) -> dict`: the profile's household counts computed from the
  household (icrs.profiling reads them instead of asking again).

A person belongs to at most one current household and a household has exactly one current
head (service rules, backed by partial unique indexes). Erasure ends the person's membership;
a merge moves the merged case's memberships to the survivor (icrs.households.lifecycle).
"""
from icrs.households import lifecycle  # noqa: F401  (connects the people signals)
