"""Worklists for supervisors: overdue follow-ups (and overdue referrals, see referral_queries).
Rows carry case numbers, places, dates and staff names only, never a person's name."""
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from icrs.auth.models import User
from icrs.core.models import Site
from icrs.core.timeutil import today
from icrs.extensions import db
from icrs.people.models import FollowUp, Person


def _overdue(filters, on):
    return [FollowUp.done_at.is_(None), FollowUp.due_date < (on or today()),
            Person.erased_at.is_(None), *filters.person_conditions()]


class OverdueFollowUps:
    """Open follow-ups past their due date, oldest first, as plain columns."""

    def __init__(self, filters, on: dt.date | None = None):
        self.where = _overdue(filters, on)

    def count(self):
        return db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp)
                                 .join(Person, Person.id == FollowUp.person_id)
                                 .where(*self.where))

    def rows(self, limit, offset=0):
        worker = aliased(User)
        stmt = (sa.select(Person.id.label("person_id"), Person.case_number,
                          Site.code.label("site"), FollowUp.due_date.label("due"),
                          worker.full_name.label("assigned_to"))
                .select_from(FollowUp)
                .join(Person, Person.id == FollowUp.person_id)
                .join(Site, Site.id == Person.site_id)
                .outerjoin(worker, worker.id == FollowUp.assigned_to_id)
                .where(*self.where)
                .order_by(FollowUp.due_date, Person.case_number)
                .limit(limit).offset(offset))
        return db.session.execute(stmt).all()


def overdue_follow_up_counts(filters, dim, on=None):
    """(None, column, n) triples for the overdue follow-up summary row."""
    return (sa.select(sa.literal("follow_ups").label("r"), dim.expr.label("c"), sa.func.count())
            .select_from(FollowUp).join(Person, Person.id == FollowUp.person_id)
            .where(*_overdue(filters, on)).group_by(dim.expr))
