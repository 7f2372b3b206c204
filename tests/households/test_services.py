"""Household rules: one current household per person (service and database), one head, history
kept on moving out, light entries, scope, erasure and merge, the reads other domains use."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from icrs.core.errors import AccessDenied, ConflictError, DomainError
from icrs.core.timeutil import today
from icrs.households import services
from icrs.households.models import HouseholdMember, LeftReason, Relationship
from icrs.people.erasure import erase_person
from icrs.people.merge import merge_people, preview_merge
from tests.households.conftest import actions, members


def _household(db, team, head, *people):
    household = services.create_household(team["owner"], head)
    for person in people:
        services.add_registered_member(team["owner"], head, person.case_number, "child", True)
    db.session.commit()
    return household


def test_create_add_and_read_the_household(db, team, mother, child):
    household = _household(db, team, mother, child)
    light = services.add_light_member(team["owner"], mother, "child", "female", today().year - 2,
                                      True)
    db.session.commit()
    assert light.person_id is None and light.sex.value == "female" and light.age == 2
    assert services.current_household(child).id == household.id
    assert services.current_member_person_ids(child) == {mother.id, child.id}
    assert household.head.person_id == mother.id
    assert actions(db) == ["households.created", "households.member_added",
                           "households.member_added"]
    assert services.household_counts(mother) == {
        "household_size": 3, "children_count": 2, "dependants_count": 2,
        "dependants_under_five": 1}
    assert services.household_counts(child) == {"household_size": 3}


def test_without_household_the_reads_say_so(db, mother):
    assert services.current_household(mother) is None
    assert services.current_member_person_ids(mother) == {mother.id}
    assert services.household_counts(mother) == {}


def test_a_person_in_one_current_household_only(db, make, team, mother, child):
    _household(db, team, mother, child)
    father = make.person(actor=team["owner"], sex="male", category="adult_man")
    services.create_household(team["owner"], father)
    with pytest.raises(DomainError) as refused:  # a child of two households
        services.add_registered_member(team["owner"], father, child.case_number, "child", True)
    assert refused.value.field == "case_number"
    assert refused.value.message == services.ALREADY_IN_ONE
    with pytest.raises(DomainError):  # the head of one cannot head another
        services.create_household(team["owner"], mother)


def test_the_database_refuses_a_second_current_membership(db, team, mother, child):
    household = _household(db, team, mother, child)
    db.session.add(HouseholdMember(household_id=household.id, person_id=child.id,
                                   relationship=Relationship.SIBLING, lives_together=True,
                                   joined_by_id=team["owner"].id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(HouseholdMember(household_id=household.id, person_id=None,
                                   relationship=Relationship.HEAD, lives_together=True,
                                   sex="male", birth_year=1980, joined_by_id=team["owner"].id))
    with pytest.raises(sa.exc.IntegrityError):  # a light head, and a second head
        db.session.flush()
    db.session.rollback()


def test_moving_out_keeps_history_and_allows_another_household(db, make, team, mother, child):
    household = _household(db, team, mother, child)
    member = next(m for m in household.current_members if m.person_id == child.id)
    services.move_out(team["owner"], mother, member.id, "moved_out")
    db.session.commit()
    assert [m.person_id for m in household.earlier_members] == [child.id]
    assert member.left_reason == LeftReason.MOVED_OUT and member.left_by_id == team["owner"].id
    father = make.person(actor=team["owner"], sex="male", category="adult_man")
    services.create_household(team["owner"], father)
    services.add_registered_member(team["owner"], father, child.case_number, "child", False)
    db.session.commit()
    assert len([m for m in members(db) if m.person_id == child.id]) == 2
    assert "households.member_left" in actions(db)


def test_the_head_leaves_last_and_stays_head(db, team, mother, child):
    household = _household(db, team, mother, child)
    head = household.head
    with pytest.raises(DomainError):
        services.move_out(team["owner"], mother, head.id, "moved_out")
    with pytest.raises(DomainError):
        services.change_member(team["owner"], mother, head.id, "spouse", True)
    other = next(m for m in household.current_members if m.person_id == child.id)
    with pytest.raises(DomainError):  # a second head
        services.change_member(team["owner"], mother, other.id, "head", True)
    with pytest.raises(DomainError):  # an unknown reason
        services.move_out(team["owner"], mother, other.id, "abducted")
    services.change_member(team["owner"], mother, other.id, "other_dependant", False)
    assert other.relationship == Relationship.OTHER_DEPENDANT and not other.lives_together


@pytest.mark.parametrize("role", ["colleague", "supervisor", "provider", "other_site"])
def test_only_the_assigned_caseworker_changes_it(db, team, mother, role):
    with pytest.raises(AccessDenied):
        services.create_household(team[role], mother)
    assert members(db) == []


def test_another_sites_person_is_refused_as_a_member(db, make, team, mother):
    elsewhere = make.person(actor=team["other_site"])
    db.session.commit()
    services.create_household(team["owner"], mother)
    with pytest.raises(DomainError) as refused:
        services.add_registered_member(team["owner"], mother, elsewhere.case_number, "spouse",
                                       True)
    assert refused.value.field == "case_number" and refused.value.message == services.NOT_FOUND


@pytest.mark.parametrize("year", [1899, today().year + 1, None])
def test_a_light_entry_needs_a_plausible_birth_year(db, team, mother, year):
    services.create_household(team["owner"], mother)
    with pytest.raises(DomainError) as refused:
        services.add_light_member(team["owner"], mother, "child", "male", year, True)
    assert refused.value.field == "birth_year"


def test_erasure_ends_the_membership_and_keeps_codes(db, team, mother, child):
    household = _household(db, team, mother, child)
    erase_person(team["admin"], child)
    db.session.commit()
    row = next(m for m in members(db) if m.person_id == child.id)
    assert row.left_reason == LeftReason.ERASED and row.left_at is not None
    assert services.current_member_person_ids(mother) == {mother.id}
    assert household.id == services.current_household(mother).id


def test_erasing_the_head_ends_the_household(db, team, mother, child):
    _household(db, team, mother, child)
    erase_person(team["admin"], mother)
    db.session.commit()
    assert {m.left_reason for m in members(db)} == {LeftReason.ERASED,
                                                    LeftReason.HOUSEHOLD_ENDED}
    assert services.current_household(child) is None


def test_a_merge_moves_the_membership(db, make, team, mother, child):
    household = _household(db, team, mother, child)
    duplicate_child = make.person(actor=team["owner"], sex="male", category="adult_man")
    db.session.commit()
    merge_people(team["supervisor"], duplicate_child, child)
    db.session.commit()
    assert services.current_household(duplicate_child).id == household.id
    assert services.current_household(child) is None


def test_a_merge_in_the_same_household_keeps_one_membership(db, make, team, mother, child):
    _household(db, team, mother, child)
    survivor = make.person(actor=team["owner"])
    db.session.commit()
    merge_people(team["supervisor"], survivor, mother)  # the merged case was the head
    db.session.commit()
    assert services.current_membership(survivor).relationship == Relationship.HEAD


def test_a_merge_across_two_households_is_refused(db, make, team, mother, child):
    _household(db, team, mother)
    services.create_household(team["owner"], child)
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        merge_people(team["supervisor"], mother, child)
    with force_locale("en"):
        assert "different households" in str(refused.value.message)


def test_merge_holdings_count_the_memberships(db, make, team, mother, child):
    _household(db, team, mother, child)
    survivor = make.person(actor=team["owner"])
    db.session.commit()
    with force_locale("en"):
        moves = {str(k): v for k, v in preview_merge(team["supervisor"], survivor, child)
                 .moves.items()}
    assert moves["Household memberships"] == 1


def test_a_member_no_longer_current_cannot_be_changed(db, team, mother):
    services.create_household(team["owner"], mother)
    with pytest.raises(ConflictError):
        services.move_out(team["owner"], mother, 999999, "moved_out")
