"""Community groups: who may do what, and the writes (flush, never commit; each audited).

A caseworker forms and runs the groups of their site, with members from their own scope only
(people of any kind). Supervisors of the area read everything; the facilitating provider reads
the group's counts, plan and follow-ups and records follow-ups, never who the members are.
Reading a member list writes an audit entry."""
import uuid

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.assistance import services as assistance
from icrs.audit.services import record
from icrs.auth.roles import Role
from icrs.core.errors import AccessDenied, ConflictError, DomainError, IllegalTransition
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.groups import states
from icrs.groups.cohesion import SCALE, WorkingTogether
from icrs.groups.models import (
    CommunityGroup,
    GroupFollowUp,
    GroupGrant,
    GroupMeeting,
    GroupMembership,
    GroupReferral,
    GroupType,
    MemberRole,
)
from icrs.groups.states import GroupStatus

MAX_PLAN = 2000


# --- who may ------------------------------------------------------------------------------------
def is_facilitator(user, group) -> bool:
    return (user.role == Role.PROVIDER and group.facilitator_id is not None
            and user.organisation_id == group.facilitator_id)


def can_view(user, group) -> bool:
    """The group's page (no identities): staff of its area, or its facilitating provider."""
    if not user.can("groups.view"):
        return False
    return is_facilitator(user, group) or (user.role != Role.PROVIDER
                                           and user.scope.covers_site(group.site))


def can_manage(user, group) -> bool:
    return user.can("groups.manage") and user.scope.covers_site(group.site)


def can_read_members(user, group) -> bool:
    """Who the members are: the case readers of the group's area (need-to-know)."""
    return (user.can("groups.members") and user.scope.people
            and user.scope.covers_site(group.site))


def can_follow_up(user, group) -> bool:
    return can_manage(user, group) or is_facilitator(user, group)


def visible(user):
    """The groups a user's list shows (a WHERE clause)."""
    if user.role == Role.PROVIDER:
        return CommunityGroup.facilitator_id == user.organisation_id
    if not user.can("groups.view") or user.scope.nowhere:
        return sa.false()
    if user.scope.site_id is not None:
        return CommunityGroup.site_id == user.scope.site_id
    if user.scope.region_id is not None:
        return CommunityGroup.region_id == user.scope.region_id
    return sa.true()


def _require(allowed, message):
    if not allowed:
        raise AccessDenied(message)


def _require_open(group):
    if group.status not in states.OPEN:
        raise ConflictError(_l("This group is %(status)s: it takes no changes.",
                               status=str(group.status.label).lower()))


# --- the group ----------------------------------------------------------------------------------
def _facilitator(organisation_id):
    from icrs.directory.models import Organisation
    if not organisation_id:
        return None
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not organisation.active:
        raise DomainError(_l("Choose an organisation from the list."), "facilitator_id")
    return organisation


def _name(name):
    name = (name or "").strip()
    if not name or len(name) > 120 or set("<>") & set(name):
        raise DomainError(_l("Give the group a name (at most 120 characters, without < or >)."),
                          "name")
    return name


def create_group(actor, name, group_type, facilitator_id=None) -> CommunityGroup:
    if not actor.can("groups.manage") or actor.site is None:
        raise AccessDenied(_l("Only a caseworker can form a group, at their site."))
    try:
        group_type = GroupType(group_type)
    except ValueError:
        raise DomainError(_l("Choose a type from the list."), "group_type") from None
    group = CommunityGroup(id=uuid.uuid4(), name=_name(name), group_type=group_type,
                           status=GroupStatus.FORMING, site=actor.site,
                           region_id=actor.site.region_id, created_by_id=actor.id,
                           facilitator=_facilitator(facilitator_id))
    db.session.add(group)
    db.session.flush()
    record("groups.created", actor=actor, obj=group, type=group_type.value)
    return group


def change_status(actor, group, target, version=None) -> CommunityGroup:
    _require(can_manage(actor, group), _l("Only a caseworker of the group's site can do this."))
    if version is not None and str(version) != str(group.version):
        raise ConflictError(_l("Someone else changed this group in the meantime."))
    try:
        target = GroupStatus(target)
        states.check(group.status, target)
    except (ValueError, IllegalTransition) as exc:
        raise ConflictError(getattr(exc, "message", None) or _l("Choose a status from the list."),
                            "target") from None
    before = group.status
    group.status, group.status_changed_at = target, utcnow()
    if target == GroupStatus.DISSOLVED:  # nobody stays a member of a dissolved group
        for membership in group.current_members:
            membership.left_on = max(today(), membership.joined_on)
    db.session.flush()
    record("groups.status_changed", actor=actor, obj=group, before=before.value,
           after=target.value)
    return group


def save_plan(actor, group, activity, goals, inputs) -> CommunityGroup:
    _require(can_manage(actor, group), _l("Only a caseworker of the group's site can do this."))
    _require_open(group)
    activity = (activity or "").strip()
    if not activity or len(activity) > 200:
        raise DomainError(_l("Say what the group does (at most 200 characters)."), "activity")
    for field, text in (("goals", goals), ("inputs", inputs)):
        if len(text or "") > MAX_PLAN:
            raise DomainError(_l("Keep it under %(n)s characters.", n=MAX_PLAN), field)
    group.plan_activity = activity
    group.plan_goals = (goals or "").strip() or None
    group.plan_inputs = (inputs or "").strip() or None
    group.plan_updated_at = utcnow()
    db.session.flush()
    record("groups.plan_saved", actor=actor, obj=group)
    return group


# --- members ------------------------------------------------------------------------------------
def add_member(actor, group, person, role=MemberRole.MEMBER, joined_on=None) -> GroupMembership:
    """A person of the caseworker's own scope (a person outside it is refused as unknown)."""
    _require(can_manage(actor, group), _l("Only a caseworker of the group's site can do this."))
    if person is None or not person.can_view(actor) or person.is_erased or person.is_merged:
        raise DomainError(_l("No such person in your area."), "person")
    _require_open(group)
    try:
        role = MemberRole(role)
    except ValueError:
        raise DomainError(_l("Choose a role from the list."), "role") from None
    joined_on = joined_on or today()
    if joined_on > today():
        raise DomainError(_l("The date cannot be in the future."), "joined_on")
    if any(m.person_id == person.id for m in group.current_members):
        raise DomainError(_l("This person is already a member."), "person")
    membership = GroupMembership(group=group, person_id=person.id, role=role,
                                 joined_on=joined_on)
    db.session.add(membership)
    db.session.flush()
    record("groups.member_added", actor=actor, obj=group, person=str(person.id),
           role=role.value)
    return membership


def remove_member(actor, membership, left_on=None) -> GroupMembership:
    group = membership.group
    _require(can_manage(actor, group), _l("Only a caseworker of the group's site can do this."))
    left_on = left_on or today()
    if membership.left_on is not None:
        raise ConflictError(_l("This person has already left the group."))
    if left_on < membership.joined_on or left_on > today():
        raise DomainError(_l("The person leaves on or after joining, and not in the future."),
                          "left_on")
    membership.left_on = left_on
    db.session.flush()
    record("groups.member_left", actor=actor, obj=group, person=str(membership.person_id))
    return membership


def read_members(actor, group) -> list:
    """The current and past members, with their people: audited (a member list is personal)."""
    _require(can_read_members(actor, group), _l("Only case workers of the group's area can see "
                                                "who its members are."))
    record("groups.members_viewed", actor=actor, obj=group, count=len(group.memberships))
    return group.memberships


# --- meetings and follow-ups ----------------------------------------------------------------------
def _past(day, field):
    if day is None:
        raise DomainError(_l("Give the date."), field)
    if day > today():
        raise DomainError(_l("The date cannot be in the future."), field)
    return day


def record_meeting(actor, group, held_on, attendance) -> GroupMeeting:
    _require(can_follow_up(actor, group), _l("Only the group's caseworker or facilitator can "
                                             "record this."))
    _require_open(group)
    if attendance is None or not 0 <= attendance <= 1000:
        raise DomainError(_l("Give the number of people present."), "attendance")
    meeting = GroupMeeting(group_id=group.id, held_on=_past(held_on, "held_on"),
                           attendance=attendance, recorded_by_id=actor.id)
    db.session.add(meeting)
    db.session.flush()
    record("groups.meeting_recorded", actor=actor, obj=group, attendance=attendance)
    return meeting


def record_follow_up(actor, group, visited_on, trust, participation, conflicts_resolved,
                     working_together) -> GroupFollowUp:
    _require(can_follow_up(actor, group), _l("Only the group's caseworker or facilitator can "
                                             "record this."))
    if group.status == GroupStatus.DISSOLVED:
        raise ConflictError(_l("This group is dissolved: it takes no follow-up."))
    for field, value in (("trust", trust), ("participation", participation)):
        if value is None or not SCALE[0] <= value <= SCALE[1]:
            raise DomainError(_l("Answer from 1 to 5."), field)
    if conflicts_resolved is None or not 0 <= conflicts_resolved <= 999:
        raise DomainError(_l("Give a number (0 if none)."), "conflicts_resolved")
    try:
        working_together = WorkingTogether(working_together)
    except ValueError:
        raise DomainError(_l("Choose an answer from the list."), "working_together") from None
    follow_up = GroupFollowUp(group_id=group.id, visited_on=_past(visited_on, "visited_on"),
                              trust=trust, participation=participation,
                              conflicts_resolved=conflicts_resolved,
                              working_together=working_together, recorded_by_id=actor.id)
    db.session.add(follow_up)
    db.session.flush()
    record("groups.follow_up_recorded", actor=actor, obj=group)
    return follow_up


# --- assistance and referrals ---------------------------------------------------------------------
def shares(total, count) -> list:
    """`total` split into `count` whole shares, the remainder to the first ones."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]


def grant(actor, group, assistance_type, total, justification) -> GroupGrant:
    """A grant made out to the group: one entitlement per current member for their share, each
    proposed (and then approved and handed over) through the ordinary ledger. A dissolved group
    receives nothing; any member's refusal (eligibility, the type's maximum) refuses it all."""
    _require(can_manage(actor, group), _l("Only a caseworker of the group's site can do this."))
    if group.status not in states.MAY_RECEIVE:
        raise ConflictError(_l("A dissolved group cannot receive assistance."))
    if assistance_type is None:
        raise DomainError(_l("Choose an assistance from the list."), "assistance_type_id")
    members = group.current_members
    if not members:
        raise DomainError(_l("The group has no member to receive it."), "assistance_type_id")
    if total is None or total <= 0:
        raise DomainError(_l("Give a whole amount above zero."), "total")
    group_grant = GroupGrant(id=uuid.uuid4(), group_id=group.id,
                             assistance_type_id=assistance_type.id, total=total,
                             currency=assistance_type.currency, proposed_by_id=actor.id)
    db.session.add(group_grant)
    db.session.flush()
    for membership, share in zip(members, shares(total, len(members)), strict=True):
        try:
            assistance.propose_share(actor, membership.person, assistance_type, share,
                                     justification, group_grant_id=group_grant.id)
        except DomainError as exc:
            field = {"amount": "total"}.get(exc.field, exc.field)
            raise type(exc)(_l("A member's share was refused: %(why)s", why=exc.message),
                            field) from None
    record("groups.grant_proposed", actor=actor, obj=group, grant=str(group_grant.id),
           total=total, members=len(members))
    return group_grant


def refer_group(actor, group, organisation_id, service_category) -> GroupReferral:
    """The whole group to a provider (a training): one record, the group's name and size."""
    from icrs.directory.models import Organisation
    _require(can_manage(actor, group), _l("Only a caseworker of the group's site can do this."))
    _require_open(group)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None or not organisation.active:
        raise DomainError(_l("Choose an organisation from the list."), "organisation_id")
    from icrs import lookups
    if not lookups.is_valid("service_category", service_category):
        raise DomainError(_l("Choose a service category."), "service_category")
    referral = GroupReferral(group_id=group.id, organisation_id=organisation.id,
                             service_category=service_category, referred_on=today(),
                             referred_by_id=actor.id)
    db.session.add(referral)
    db.session.flush()
    record("groups.referred", actor=actor, obj=group, organisation=str(organisation.id),
           category=service_category)
    return referral


# --- figures a group's page shows (counts only, no identities) -----------------------------------
def member_counts(group) -> dict:
    """Current members by kind: what everyone who sees the group may see."""
    from icrs.people.models import Person
    rows = db.session.execute(
        sa.select(Person.beneficiary_kind, sa.func.count())
        .join(GroupMembership, GroupMembership.person_id == Person.id)
        .where(GroupMembership.group_id == group.id, GroupMembership.left_on.is_(None))
        .group_by(Person.beneficiary_kind)).all()
    counts = {getattr(kind, "value", kind): n for kind, n in rows}
    return {"total": sum(counts.values()), **counts}
