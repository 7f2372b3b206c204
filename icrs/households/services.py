"""Household operations (flush, never commit) and the reads other domains use.

Changes are made from a member's case page by the caseworker assigned to that case
(`person.can_edit(actor)`); a registered person joins only if the actor may see their case.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.models import flush_or_conflict
from icrs.core.timeutil import today, utcnow
from icrs.core.vocab import Sex
from icrs.extensions import db
from icrs.households.models import (
    CHOSEN_REASONS,
    Household,
    HouseholdMember,
    LeftReason,
    Relationship,
)
from icrs.people.models import Person

ONLY_ASSIGNED = _l("Only the caseworker assigned to this case can change its household.")
ALREADY_IN_ONE = _l("This person already belongs to a household. Move them out of it first.")
NOT_FOUND = _l("No case with this number in your caseload.")
MIN_BIRTH_YEAR = 1900


# --- reads (public: the assistance ledger caps per household) ------------------------------------
def current_membership(person) -> HouseholdMember | None:
    if person is None or person.id is None:
        return None
    # asked in the middle of other domains' changes (the profile draft): never flush them
    with db.session.no_autoflush:
        return db.session.scalar(sa.select(HouseholdMember).where(
            HouseholdMember.person_id == person.id, HouseholdMember.left_at.is_(None)))


def current_household(person) -> Household | None:
    """The household the person belongs to now, or None."""
    membership = current_membership(person)
    return membership.household if membership else None


def current_member_person_ids(person) -> set:
    """Ids of the registered current members of the person's household, the person included
    (just the person when they have no household)."""
    household = current_household(person)
    if household is None:
        return {person.id}
    return {m.person_id for m in household.current_members if m.person_id is not None}


# relationships from whose view the household's children and dependants are the person's own
HEAD_COUPLE = (Relationship.HEAD, Relationship.SPOUSE)


def household_counts(person) -> dict:
    """The profile's counts, computed from the current household ({} without one). Household
    size: the members living together (the person always counted). Own children, dependants
    and those under five only for the head or spouse: relationships are to the head, so for
    another member the household does not say whose children they are (the profile asks)."""
    membership = current_membership(person)
    if membership is None:
        return {}
    members = membership.household.current_members
    counts = {"household_size": sum(1 for m in members if m.lives_together or m is membership)}
    if membership.relationship in HEAD_COUPLE:
        dependants = [m for m in members if m.relationship not in HEAD_COUPLE]
        counts.update(
            children_count=sum(1 for m in dependants if m.relationship == Relationship.CHILD),
            dependants_count=len(dependants),
            dependants_under_five=sum(1 for m in dependants if m.age is not None and m.age < 5))
    return counts


def can_change(user, person) -> bool:
    return person.can_edit(user)


# --- changes ----------------------------------------------------------------------------------
def _check(actor, person):
    if not can_change(actor, person):
        raise AccessDenied(ONLY_ASSIGNED)


def _not_in_one(person, field=None):
    if current_membership(person) is not None:
        raise DomainError(ALREADY_IN_ONE, field)


def create_household(actor, person) -> Household:
    """A new household with `person` as its head."""
    _check(actor, person)
    _not_in_one(person)
    household = Household(site_id=person.site_id, region_id=person.region_id,
                          created_by_id=actor.id)
    db.session.add(household)
    db.session.flush()
    _add(actor, household, person=person, relationship=Relationship.HEAD, lives_together=True)
    record("households.created", actor=actor, obj=person, household=household.id)
    return household


def _household_of(actor, person) -> Household:
    _check(actor, person)
    household = current_household(person)
    if household is None:
        raise ConflictError(_l("This person has no household any more."))
    return household


def _relationship(code, field="relationship") -> Relationship:
    try:
        relationship = Relationship(code)
    except ValueError:
        raise DomainError(_l("Choose a relationship from the list."), field) from None
    if relationship == Relationship.HEAD:
        raise DomainError(_l("A household has one head: choose another relationship."), field)
    return relationship


def find_case(actor, case_number) -> Person:
    """The case with this number if the actor may see it (the same refusal otherwise, so a
    case of another site is not revealed)."""
    number = (case_number or "").strip().upper()
    person = db.session.scalar(sa.select(Person).where(Person.case_number == number)) \
        if number else None
    if person is None or not person.can_view(actor) or person.is_erased or person.is_merged:
        raise DomainError(NOT_FOUND, "case_number")
    return person


def add_registered_member(actor, person, case_number, relationship, lives_together):
    """Add a registered person (found by case number) to `person`'s household."""
    household = _household_of(actor, person)
    relationship = _relationship(relationship)
    member = find_case(actor, case_number)
    _not_in_one(member, "case_number")
    return _add(actor, household, person=member, relationship=relationship,
                lives_together=lives_together, case=person)


def add_light_member(actor, person, relationship, sex, birth_year, lives_together):
    """Add someone without a case: relationship, sex and birth year only."""
    household = _household_of(actor, person)
    relationship = _relationship(relationship)
    try:
        sex = Sex(sex)
    except ValueError:
        raise DomainError(_l("Choose the sex from the list."), "sex") from None
    if birth_year is None or not MIN_BIRTH_YEAR <= birth_year <= today().year:
        raise DomainError(_l("Give a birth year between %(low)s and %(high)s.",
                             low=MIN_BIRTH_YEAR, high=today().year), "birth_year")
    return _add(actor, household, relationship=relationship, lives_together=lives_together,
                sex=sex, birth_year=birth_year, case=person)


def _add(actor, household, relationship, lives_together, case=None, **fields):
    member = HouseholdMember(household=household, relationship=relationship,
                             lives_together=bool(lives_together), joined_by_id=actor.id,
                             **fields)
    db.session.add(member)
    flush_or_conflict(ALREADY_IN_ONE, integrity=True)  # the same person added at once twice
    if case is not None:
        record("households.member_added", actor=actor, obj=case, household=household.id,
               member=member.id, relationship=relationship.value,
               registered=member.person_id is not None, lives_together=member.lives_together)
    return member


def _member(household, member_id) -> HouseholdMember:
    member = next((m for m in household.current_members if m.id == member_id), None)
    if member is None:
        raise ConflictError(_l("This member is not in the household any more."))
    return member


def move_out(actor, person, member_id, reason):
    """End a membership (kept as history). The head leaves only as the last member."""
    household = _household_of(actor, person)
    member = _member(household, member_id)
    try:
        reason = LeftReason(reason)
    except ValueError:
        reason = None
    if reason not in CHOSEN_REASONS:
        raise DomainError(_l("Choose why the member left."), "reason")
    if member.relationship == Relationship.HEAD and len(household.current_members) > 1:
        raise DomainError(_l("The head can leave only as the last member: move the other "
                             "members out first."), "reason")
    _end(actor, member, reason)
    record("households.member_left", actor=actor, obj=person, household=household.id,
           member=member.id, reason=reason.value)
    return member


def _end(actor, member, reason):
    member.left_at, member.left_reason, member.left_by_id = utcnow(), reason, actor.id
    db.session.flush()


def change_member(actor, person, member_id, relationship, lives_together):
    """Change a current member's relationship (not to or from head) or living together."""
    household = _household_of(actor, person)
    member = _member(household, member_id)
    if member.relationship == Relationship.HEAD:
        if relationship != Relationship.HEAD.value:
            raise DomainError(_l("The head stays the head while the household exists."),
                              "relationship")
    else:
        member.relationship = _relationship(relationship)
    member.lives_together = bool(lives_together)
    db.session.flush()
    record("households.member_changed", actor=actor, obj=person, household=household.id,
           member=member.id, relationship=member.relationship.value,
           lives_together=member.lives_together)
    return member
