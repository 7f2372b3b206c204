"""What the groups domain does when a case changes under it (icrs.people.signals): a merged
case's memberships follow the surviving case; a membership the survivor already holds in the
same group ends instead (one person is a member once)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.groups.models import GroupMembership
from icrs.people import signals as people_signals


@people_signals.merge_holdings.connect
def _holdings(merged, **_):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(GroupMembership).where(
        GroupMembership.person_id == merged.id))
    return {_l("Group memberships"): count}


@people_signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    held = set(db.session.scalars(sa.select(GroupMembership.group_id).where(
        GroupMembership.person_id == survivor.id, GroupMembership.left_on.is_(None))))
    for membership in db.session.scalars(sa.select(GroupMembership).where(
            GroupMembership.person_id == merged.id)):
        if membership.left_on is None and membership.group_id in held:
            membership.left_on = max(today(), membership.joined_on)
        membership.person_id = survivor.id
