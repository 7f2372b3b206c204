"""A merged case's referrals, their events and the notifications about it move to the
surviving case (icrs.people.merge); the referrals take the survivor's dimensions."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.extensions import db
from icrs.people import signals as people_signals
from icrs.referrals.dimensions import person_values
from icrs.referrals.models import Referral, ReferralEvent
from icrs.referrals.notifications import Notification


@people_signals.merge_holdings.connect
def _holdings(merged, **_):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Referral).where(
        Referral.person_id == merged.id))
    return {_l("Referrals"): count}


@people_signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    dimensions = person_values(survivor)
    for referral in db.session.scalars(sa.select(Referral).where(
            Referral.person_id == merged.id)):
        referral.person_id = survivor.id
        for column, value in dimensions.items():
            setattr(referral, column, value)
    for event in db.session.scalars(sa.select(ReferralEvent).where(
            ReferralEvent.person_id == merged.id)):
        event.person_id = survivor.id
    db.session.execute(sa.update(Notification).where(Notification.person_id == merged.id)
                       .values(person_id=survivor.id))
