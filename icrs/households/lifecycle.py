"""The households' answers to the people domain: the case panel, erasure and merge
(icrs.people.signals)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.core.timeutil import utcnow
from icrs.crypto import preload_keys
from icrs.extensions import db
from icrs.households.models import HouseholdMember, LeftReason, Relationship
from icrs.households.services import can_change, current_household, current_membership
from icrs.people import signals as people_signals


@people_signals.case_panels.connect
def _case_panel(person, user=None, **_):
    if user is None:
        return {}
    from icrs.households.forms import panel_forms

    household = current_household(person)
    if household is not None:
        preload_keys(m.person_id for m in household.members if m.person_id is not None)
    return {"household": {"household": household, "can_change": can_change(user, person),
                          "forms": panel_forms(household), "viewer": user}}


@people_signals.person_erasing.connect
def _on_person_erasing(person, actor=None, **_):
    """The erased person's membership ends (the row stays, with codes only). A household whose
    head is erased ends for everyone: it has no head any more."""
    membership = current_membership(person)
    if membership is None:
        return
    _end(membership, LeftReason.ERASED, actor)
    if membership.relationship == Relationship.HEAD:
        for other in membership.household.current_members:
            _end(other, LeftReason.HOUSEHOLD_ENDED, actor)
    db.session.flush()


def _end(member, reason, actor):
    member.left_at, member.left_reason, member.left_by_id = utcnow(), reason, actor.id


@people_signals.merge_conflicts.connect
def _merge_conflict(merged, survivor=None, **_):
    kept, moved = current_household(survivor), current_household(merged)
    if kept is not None and moved is not None and kept.id != moved.id:
        return _l("The two cases belong to different households: move one of them out of "
                  "their household first.")
    return None


@people_signals.merge_holdings.connect
def _merge_holdings(merged, **_):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(HouseholdMember).where(
        HouseholdMember.person_id == merged.id))
    return {_l("Household memberships"): count}


@people_signals.person_merging.connect
def _on_merging(merged, survivor=None, actor=None, **_):
    """The memberships follow the case. In the same household, one membership stays current:
    the head's if either is the head, else the survivor's."""
    kept, moved = current_membership(survivor), current_membership(merged)
    if kept is not None and moved is not None:
        if moved.relationship == Relationship.HEAD:
            _end(kept, LeftReason.MERGED, actor)
        else:
            _end(moved, LeftReason.MERGED, actor)
        db.session.flush()
    for member in db.session.scalars(sa.select(HouseholdMember).where(
            HouseholdMember.person_id == merged.id)):
        member.person_id = survivor.id
    db.session.flush()
