"""Deadlines: what is overdue, for whom, and the daily reminder digest (`flask icrs remind`)."""
import sqlalchemy as sa

from icrs.auth.models import User
from icrs.auth.roles import Role
from icrs.core.timeutil import today, utcnow
from icrs.extensions import db
from icrs.people.models import FollowUp, Person
from icrs.referrals.models import Referral
from icrs.referrals.notifications import Notification, notify
from icrs.referrals.states import ACTIVE_SERVICE, ReferralStatus


def overdue_to_accept(now=None):
    return sa.and_(Referral.status == ReferralStatus.SENT, Referral.accept_by < (now or utcnow()))


def overdue_to_complete(on=None):
    return sa.and_(Referral.status.in_(ACTIVE_SERVICE), Referral.complete_by < (on or today()))


def overdue_clause(now=None):
    now = now or utcnow()
    return sa.or_(overdue_to_accept(now), overdue_to_complete(now.date()))


def overdue_for(user, now=None):
    """Select of the overdue referrals this user must act on or watch over.

    provider: their organisation's; caseworker: the cases assigned to them; supervisor: their
    region's (all regions if national). Admins follow none.
    """
    stmt = sa.select(Referral).where(overdue_clause(now))
    if user.role == Role.PROVIDER:
        return stmt.where(Referral.organisation_id == user.organisation_id)
    if user.role not in (Role.CASEWORKER, Role.SUPERVISOR):
        return None
    stmt = stmt.join(Person, Person.id == Referral.person_id).where(
        Person.erased_at.is_(None), user.scope.clause(Person))
    if user.role == Role.CASEWORKER:
        return stmt.where(Person.caseworker_id == user.id)
    return stmt


def count_overdue_for(user, now=None) -> int:
    stmt = overdue_for(user, now)
    if stmt is None:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0


def reminder_recipients():
    return db.session.scalars(sa.select(User).where(
        User.active.is_(True), User.role.in_([Role.PROVIDER, Role.CASEWORKER, Role.SUPERVISOR]))
        .order_by(User.id)).all()


def count_overdue_follow_ups_for(user, on=None) -> int:
    """Open follow-ups past their due date assigned to this caseworker (any kind: planned by
    hand or scheduled after an event)."""
    if user.role != Role.CASEWORKER:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp).join(
        Person, Person.id == FollowUp.person_id).where(
        FollowUp.done_at.is_(None), FollowUp.due_date < (on or today()),
        FollowUp.assigned_to_id == user.id, Person.erased_at.is_(None))) or 0


def digest_key(day, kind="digest"):
    return f"{kind}:{day.isoformat()}"


def send_reminders(now=None) -> dict:
    """One digest per user with overdue referrals, and one of a caseworker's overdue follow-ups,
    each at most once per day (idempotent: the notification's dedup key is the day), and one SMS
    a day per organisation with referrals past their accept-by deadline (icrs.exchange.sms).
    Returns {user_id: count} of the overdue items in the digests made now."""
    from icrs.exchange.sms import queue_overdue_reminders

    now = now or utcnow()
    made = {}
    queue_overdue_reminders(now)
    for kind, counter in (("digest", count_overdue_for),
                          ("follow_up_digest", _follow_ups_due)):
        key = digest_key(now.date(), kind)
        already = set(db.session.scalars(sa.select(Notification.user_id).where(
            Notification.dedup_key == key)))
        for user in reminder_recipients():
            count = 0 if user.id in already else counter(user, now)
            if count:
                notify([user], kind, count=count, dedup_key=key)
                made[user.id] = made.get(user.id, 0) + count
    return made


def _follow_ups_due(user, now):
    return count_overdue_follow_ups_for(user, now.date())
