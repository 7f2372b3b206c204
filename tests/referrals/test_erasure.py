"""An approved erasure withdraws the person's open referrals (slot freed, provider told) and the
erased case leaves every list and page."""
import sqlalchemy as sa

from icrs.approvals import services as approvals
from icrs.people import erasure
from icrs.referrals.models import Referral
from icrs.referrals.notifications import Notification
from icrs.referrals.states import ReferralStatus


def test_erasure_withdraws_open_referrals(world, person, sent, db):
    referral = sent()
    req = erasure.request_erasure(world.caseworker, person, "Asked by the person.")
    approvals.approve(world.supervisor, req)
    db.session.commit()
    db.session.expire_all()
    referral = db.session.get(Referral, referral.id)
    assert referral.status == ReferralStatus.WITHDRAWN and referral.finished_at is not None
    assert not referral.holds_slot
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.user_id == world.provider.id, Notification.kind == "withdrawn")) == 1
    assert referral.reason is not None and not referral.reason  # ERASED: falsy, unreadable
